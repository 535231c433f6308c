"""Routes: seller accounts, shops, products and variants."""

from __future__ import annotations

from fastapi import APIRouter, Response, status
from pydantic import BaseModel, Field

from reviewdesk.api.auth import PlatformDep, PrincipalDep
from reviewdesk.api.params import RowId
from reviewdesk.services import catalog
from reviewdesk.services.catalog import (
    MemberView,
    Page,
    ProductIn,
    ProductPatch,
    ProductView,
    RecordId,
    SellerView,
    ShopView,
    VariantIn,
)

router = APIRouter(tags=["catalog"])


class SellerIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)


class MemberIn(BaseModel):
    email: str = Field(max_length=320, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    name: str = Field(min_length=1, max_length=200)


class ShopIn(BaseModel):
    seller_id: RecordId
    slug: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1, max_length=200)


@router.post("/sellers", status_code=status.HTTP_201_CREATED)
def create_seller(body: SellerIn, platform: PlatformDep, principal: PrincipalDep) -> SellerView:
    """Open a seller account (operator)."""
    return catalog.create_seller(platform, principal, name=body.name)


@router.get("/sellers/{seller_id}")
def get_seller(seller_id: RowId, platform: PlatformDep, principal: PrincipalDep) -> SellerView:
    """A seller account (operator, its members)."""
    return catalog.get_seller(platform, principal, seller_id)


@router.post("/sellers/{seller_id}/members", status_code=status.HTTP_201_CREATED)
def add_member(
    seller_id: RowId, body: MemberIn, platform: PlatformDep, principal: PrincipalDep
) -> MemberView:
    """Add a staff member to a seller account."""
    return catalog.add_member(platform, principal, seller_id, email=body.email, name=body.name)


@router.post("/shops", status_code=status.HTTP_201_CREATED)
def create_shop(body: ShopIn, platform: PlatformDep, principal: PrincipalDep) -> ShopView:
    """Open a shop under a seller account."""
    return catalog.create_shop(
        platform, principal, seller_id=body.seller_id, slug=body.slug, name=body.name
    )


@router.get("/shops")
def list_shops(platform: PlatformDep, principal: PrincipalDep) -> list[ShopView]:
    """The shops the caller manages."""
    return catalog.list_shops(platform, principal)


@router.get("/shops/{shop_id}")
def get_shop(shop_id: RowId, platform: PlatformDep, principal: PrincipalDep) -> ShopView:
    """A shop (operator, its seller's staff)."""
    return catalog.get_shop(platform, principal, shop_id)


@router.post("/shops/{shop_id}/products", status_code=status.HTTP_201_CREATED)
def create_product(
    shop_id: RowId, body: ProductIn, platform: PlatformDep, principal: PrincipalDep
) -> ProductView:
    """List a product with its variants and identifier codes."""
    return catalog.create_product(platform, principal, shop_id, body)


@router.get("/shops/{shop_id}/products")
def list_products(
    shop_id: RowId,
    platform: PlatformDep,
    principal: PrincipalDep,
    cursor: str | None = None,
    limit: int = 50,
    include_removed: bool = False,
) -> Page[ProductView]:
    """The shop's products, a page at a time."""
    return catalog.list_products(
        platform, principal, shop_id, cursor=cursor, limit=limit, include_removed=include_removed
    )


@router.get("/shops/{shop_id}/products/{product_id}")
def get_product(
    shop_id: RowId, product_id: RowId, platform: PlatformDep, principal: PrincipalDep
) -> ProductView:
    """A product with its variants and identifiers."""
    return catalog.get_product(platform, principal, shop_id, product_id)


@router.patch("/shops/{shop_id}/products/{product_id}")
def update_product(
    shop_id: RowId,
    product_id: RowId,
    body: ProductPatch,
    platform: PlatformDep,
    principal: PrincipalDep,
) -> ProductView:
    """Change a product's title, brand, MPN or description."""
    return catalog.update_product(platform, principal, shop_id, product_id, body)


@router.delete("/shops/{shop_id}/products/{product_id}", status_code=204)
def remove_product(
    shop_id: RowId, product_id: RowId, platform: PlatformDep, principal: PrincipalDep
) -> Response:
    """Delist a product: its reviews are hidden and leave the shop's rating."""
    catalog.remove_product(platform, principal, shop_id, product_id)
    return Response(status_code=204)


@router.post("/shops/{shop_id}/products/{product_id}/variants", status_code=status.HTTP_201_CREATED)
def add_variant(
    shop_id: RowId,
    product_id: RowId,
    body: VariantIn,
    platform: PlatformDep,
    principal: PrincipalDep,
) -> ProductView:
    """Add a variant (SKU) to a product."""
    return catalog.add_variant(platform, principal, shop_id, product_id, body)
