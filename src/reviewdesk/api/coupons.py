"""Routes: review promotions, their coupons, the buyer's coupons."""

from __future__ import annotations

from fastapi import APIRouter, status

from reviewdesk.api.auth import PlatformDep, PrincipalDep
from reviewdesk.api.params import RowId
from reviewdesk.services import coupons
from reviewdesk.services.coupons import (
    CouponOverview,
    CouponView,
    PromotionIn,
    PromotionPatch,
    PromotionView,
)

router = APIRouter(tags=["coupons"])


@router.post("/shops/{shop_id}/promotions", status_code=status.HTTP_201_CREATED)
def create_promotion(
    shop_id: RowId, body: PromotionIn, platform: PlatformDep, principal: PrincipalDep
) -> PromotionView:
    """Create a review promotion (at most one covers a product at any time)."""
    return coupons.create_promotion(platform, principal, shop_id, body)


@router.get("/shops/{shop_id}/promotions/overview")
def overview(shop_id: RowId, platform: PlatformDep, principal: PrincipalDep) -> CouponOverview:
    """Incentivized reviews, coupons issued and used, and every promotion's figures."""
    return coupons.coupons_overview(platform, principal, shop_id)


@router.get("/shops/{shop_id}/promotions/{promotion_id}")
def get_promotion(
    shop_id: RowId, promotion_id: RowId, platform: PlatformDep, principal: PrincipalDep
) -> PromotionView:
    """A promotion with its status, reviews, coupons used and cost."""
    return coupons.get_promotion(platform, principal, shop_id, promotion_id)


@router.patch("/shops/{shop_id}/promotions/{promotion_id}")
def update_promotion(
    shop_id: RowId,
    promotion_id: RowId,
    body: PromotionPatch,
    platform: PlatformDep,
    principal: PrincipalDep,
) -> PromotionView:
    """Change a promotion within what its status allows."""
    return coupons.update_promotion(platform, principal, shop_id, promotion_id, body)


@router.post("/shops/{shop_id}/promotions/{promotion_id}/deactivate")
def deactivate_promotion(
    shop_id: RowId, promotion_id: RowId, platform: PlatformDep, principal: PrincipalDep
) -> PromotionView:
    """Stop a promotion now; issued coupons stay valid."""
    return coupons.deactivate_promotion(platform, principal, shop_id, promotion_id)


@router.get("/shops/{shop_id}/promotions/{promotion_id}/coupons")
def promotion_coupons(
    shop_id: RowId, promotion_id: RowId, platform: PlatformDep, principal: PrincipalDep
) -> list[CouponView]:
    """The coupons a promotion issued."""
    return coupons.list_promotion_coupons(platform, principal, shop_id, promotion_id)


@router.get("/me/coupons")
def my_coupons(platform: PlatformDep, principal: PrincipalDep) -> list[CouponView]:
    """The buyer's coupons."""
    return coupons.list_my_coupons(platform, principal)
