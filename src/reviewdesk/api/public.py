"""Routes anyone may call without a token: shops, products, star summaries, reviews."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response

from reviewdesk.api.auth import PlatformDep
from reviewdesk.services import public
from reviewdesk.services.catalog import Page
from reviewdesk.services.public import (
    ProductPublic,
    PublicReview,
    ReviewFilters,
    ReviewSort,
    ShopPublic,
)

router = APIRouter(prefix="/public", tags=["public"])


async def review_filters(
    stars: Annotated[
        list[int] | None, Query(description="Only these star ratings (repeatable)")
    ] = None,
    with_media: bool | None = None,
    with_text: bool | None = None,
    verified: bool | None = None,
    incentivized: bool | None = None,
    imported: bool | None = None,
    language: Annotated[str | None, Query(max_length=8)] = None,
) -> ReviewFilters:
    """The review-list filters from the query string."""
    return ReviewFilters(
        stars=stars or [],
        with_media=with_media,
        with_text=with_text,
        verified=verified,
        incentivized=incentivized,
        imported=imported,
        language=language,
    )


FiltersDep = Annotated[ReviewFilters, Depends(review_filters)]


@router.get("/shops")
def list_shops(platform: PlatformDep) -> list[ShopPublic]:
    """Every shop with its star summary."""
    return public.list_shops(platform)


@router.get("/shops/{slug}")
def shop_summary(slug: str, platform: PlatformDep) -> ShopPublic:
    """A shop's star summary (mean to one decimal, count, 1-5 histogram)."""
    return public.shop_summary(platform, slug)


@router.get("/shops/{slug}/reviews")
def shop_reviews(
    slug: str,
    platform: PlatformDep,
    filters: FiltersDep,
    sort: ReviewSort = ReviewSort.NEWEST,
    cursor: str | None = None,
    limit: Annotated[int | None, Query(ge=1, le=100)] = None,
) -> Page[PublicReview]:
    """The published reviews of all the shop's products."""
    return public.list_shop_reviews(
        platform, slug, filters=filters, sort=sort, cursor=cursor, limit=limit
    )


@router.get("/shops/{slug}/products")
def list_products(
    slug: str,
    platform: PlatformDep,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
) -> Page[ProductPublic]:
    """The shop's listed products with their star summaries."""
    return public.list_products(platform, slug, cursor=cursor, limit=limit)


# The two hot public reads run on the event loop: each is one indexed statement (well under
# a millisecond), cheaper than the hand-off to the thread pool that a sync route pays. They
# serialise their typed result once, without a second validation pass, and take the
# platform from the app directly (no dependency to solve).


@router.get("/shops/{slug}/products/{handle}", response_model=ProductPublic)
async def product_summary(slug: str, handle: str, request: Request) -> Response:
    """A product's star summary."""
    summary = public.product_summary(request.app.state.platform, slug, handle)
    return Response(summary.model_dump_json(), media_type="application/json")


@router.get("/shops/{slug}/products/{handle}/reviews", response_model=Page[PublicReview])
async def product_reviews(
    slug: str,
    handle: str,
    request: Request,
    filters: FiltersDep,
    sort: ReviewSort = ReviewSort.NEWEST,
    cursor: str | None = None,
    limit: Annotated[int | None, Query(ge=1, le=100)] = None,
) -> Response:
    """A product's published reviews: filters, sort, keyset pagination."""
    page = public.list_product_reviews(
        request.app.state.platform,
        slug,
        handle,
        filters=filters,
        sort=sort,
        cursor=cursor,
        limit=limit,
    )
    return Response(page.model_dump_json(), media_type="application/json")
