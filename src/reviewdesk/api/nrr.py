"""Routes: Negative Review Rate of a shop and of a product."""

from __future__ import annotations

from fastapi import APIRouter

from reviewdesk.api.auth import PlatformDep, PrincipalDep
from reviewdesk.api.params import RowId
from reviewdesk.services import nrr
from reviewdesk.services.nrr import NrrReport

router = APIRouter(tags=["nrr"])


@router.get("/shops/{shop_id}/nrr")
def shop_nrr(shop_id: RowId, platform: PlatformDep, principal: PrincipalDep) -> NrrReport:
    """The shop's NRR and seller-attributable NRR per window, and the daily series."""
    return nrr.shop_nrr(platform, principal, shop_id)


@router.get("/shops/{shop_id}/products/{product_id}/nrr")
def product_nrr(
    shop_id: RowId, product_id: RowId, platform: PlatformDep, principal: PrincipalDep
) -> NrrReport:
    """A product's NRR and seller-attributable NRR per window, and the daily series."""
    return nrr.product_nrr(platform, principal, shop_id, product_id)
