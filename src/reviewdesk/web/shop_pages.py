"""Public pages: the shop list, a shop's profile, the product page, review media."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import FileResponse, RedirectResponse

from reviewdesk.errors import InvalidInput, NotFound
from reviewdesk.services import public
from reviewdesk.services.catalog import Page
from reviewdesk.services.public import PublicReview, RatingView, ReviewSort
from reviewdesk.web.jsonld import product_jsonld
from reviewdesk.web.rendering import not_found, render
from reviewdesk.web.review_list import LANGUAGES, SORT_LABELS, ReviewQuery
from reviewdesk.web.session import platform_of, query_string

router = APIRouter(include_in_schema=False)
HOME_PRODUCTS = 12
SHOP_PRODUCTS = 24
SHOP_REVIEWS = 10
_MEDIA_CACHE = "public, max-age=31536000, immutable"


def histogram_rows(rating: RatingView) -> list[dict[str, int]]:
    """The 5-to-1 bars of a histogram with their share of the count in percent."""
    total = rating.count or 1
    return [
        {
            "stars": s,
            "count": rating.histogram[str(s)],
            "percent": round(100 * rating.histogram[str(s)] / total),
        }
        for s in range(5, 0, -1)
    ]


@router.get("/")
def home(request: Request) -> Response:
    """Every shop with its rating and its first products."""
    platform = platform_of(request)
    shops = []
    for shop in public.list_shops(platform):
        products = public.list_products(platform, shop.slug, limit=HOME_PRODUCTS)
        shops.append({"shop": shop, "products": products})
    return render(request, "home.html", {"shops": shops})


@router.get("/shops/{slug}")
def shop_profile(request: Request, slug: str) -> Response:
    """A shop's star summary and histogram, its products and its recent reviews."""
    platform = platform_of(request)
    params = request.query_params
    try:
        shop = public.shop_summary(platform, slug)
    except NotFound:
        return not_found(request, f"There is no shop called “{slug}”.")
    notice = None
    products_cursor = params.get("products") or None
    reviews_cursor = params.get("reviews") or None
    try:
        products = public.list_products(platform, slug, cursor=products_cursor, limit=SHOP_PRODUCTS)
    except InvalidInput:
        notice, products_cursor = "That page link is out of date; here is the first page.", None
        products = public.list_products(platform, slug, limit=SHOP_PRODUCTS)
    try:
        reviews = public.list_shop_reviews(
            platform, slug, cursor=reviews_cursor, limit=SHOP_REVIEWS
        )
    except InvalidInput:
        notice, reviews_cursor = "That page link is out of date; here is the first page.", None
        reviews = public.list_shop_reviews(platform, slug, limit=SHOP_REVIEWS)
    refs = public.product_refs(platform_of(request), {r.product_id for r in reviews.items})
    base = f"/shops/{slug}"
    return render(
        request,
        "shop.html",
        {
            "shop": shop,
            "histogram_rows": histogram_rows(shop.rating),
            "products": products,
            "reviews": reviews,
            "refs": refs,
            "notice": notice,
            "products_paged": products_cursor is not None,
            "reviews_paged": reviews_cursor is not None,
            "next_products_url": base
            + query_string([("products", products.next_cursor), ("reviews", reviews_cursor)])
            + "#products"
            if products.next_cursor
            else None,
            "next_reviews_url": base
            + query_string([("products", products_cursor), ("reviews", reviews.next_cursor)])
            + "#reviews"
            if reviews.next_cursor
            else None,
        },
    )


@router.get("/shops/{slug}/products/{handle}")
def product_page(request: Request, slug: str, handle: str) -> Response:
    """The public product page with its review widget and schema.org JSON-LD."""
    platform = platform_of(request)
    try:
        product = public.product_summary(platform, slug, handle)
    except NotFound:
        return not_found(request, f"There is no product “{handle}” in the shop “{slug}”.")
    query = ReviewQuery.parse(request.query_params)
    notice = None
    try:
        reviews = _reviews(request, slug, handle, query)
    except InvalidInput:
        notice = "That page link is out of date; here is the first page."
        query.cursor = None
        reviews = _reviews(request, slug, handle, query)
    path = f"/shops/{slug}/products/{handle}"
    here = path + query_string(query.params(cursor=query.cursor))
    next_url = (
        path + query_string(query.params(cursor=reviews.next_cursor)) + "#reviews"
        if reviews.next_cursor
        else None
    )
    histogram = histogram_rows(product.rating)
    for row in histogram:
        row["url"] = path + query_string(query.params(stars=[row["stars"]])) + "#reviews"  # type: ignore[assignment]
    return render(
        request,
        "product.html",
        {
            "product": product,
            "histogram_rows": histogram,
            "reviews": reviews,
            "query": query,
            "notice": notice,
            "here": here,
            "path": path,
            "next_url": next_url,
            "first_url": path + query_string(query.params()) + "#reviews" if query.cursor else None,
            "clear_url": path + query_string([("sort", query.sort.value)])
            if query.sort is not ReviewSort.NEWEST
            else path,
            "sort_labels": SORT_LABELS,
            "languages": LANGUAGES,
            "jsonld": product_jsonld(
                product, reviews.items, str(request.base_url).rstrip("/") + path
            ),
        },
    )


def _reviews(request: Request, slug: str, handle: str, query: ReviewQuery) -> Page[PublicReview]:
    return public.list_product_reviews(
        platform_of(request),
        slug,
        handle,
        filters=query.filters,
        sort=query.sort,
        cursor=query.cursor,
    )


def _media(request: Request, media_id: str, thumbnail: bool) -> Response:
    platform = platform_of(request)
    try:
        if not media_id.isascii() or not media_id.isdigit() or len(media_id) > 18:
            raise NotFound("media_not_found", "no such media")
        key, mime = public.public_media(platform, int(media_id), thumbnail=thumbnail)
        headers = {"Cache-Control": _MEDIA_CACHE, "X-Content-Type-Options": "nosniff"}
        url = platform.storage.url(key)
        if url is not None:
            return RedirectResponse(url, status_code=302)
        path = platform.storage.local_path(key)
        if path is not None:
            if not path.is_file():
                raise NotFound("media_not_found", "the file is missing")
            return FileResponse(path, media_type=mime, headers=headers)
        return Response(platform.storage.get(key), media_type=mime, headers=headers)
    except NotFound:
        return not_found(request, "This photo or video is not available.")


@router.get("/media/{media_id}")
def media(request: Request, media_id: str) -> Response:
    """A published review's photo or video."""
    return _media(request, media_id, thumbnail=False)


@router.get("/media/{media_id}/thumbnail")
def media_thumbnail(request: Request, media_id: str) -> Response:
    """The thumbnail of a published review's photo."""
    return _media(request, media_id, thumbnail=True)
