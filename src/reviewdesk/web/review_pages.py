"""The buyer's review form (write, edit, delete) and helpful votes on the product page."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from reviewdesk.errors import NotAllowed, NotFound, ReviewdeskError
from reviewdesk.services import orders, public, reviews
from reviewdesk.services.orders import OrderLineView
from reviewdesk.services.public import ProductRef
from reviewdesk.services.reviews import ReviewView
from reviewdesk.web.forms import Posted, handle_posted, posted_form, read_uploads, text_field
from reviewdesk.web.rendering import not_found, render
from reviewdesk.web.session import (
    BuyerSession,
    buyer_session,
    local_path,
    login_url,
    platform_of,
    redirect,
)

router = APIRouter(include_in_schema=False)
RATING_WORDS = {5: "Excellent", 4: "Good", 3: "Okay", 2: "Poor", 1: "Terrible"}
_FRIENDLY = {
    "invalid_rating": "Choose a star rating from 1 to 5.",
    "already_reviewed": "You have already reviewed this item; you can edit your review instead.",
}


def _message(error: ReviewdeskError) -> str:
    return _FRIENDLY.get(error.code, error.detail)


def _int(value: object) -> int | None:
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) < 19:
        return int(value)
    return None


def _find_line(request: Request, buyer: BuyerSession, line_id: int) -> OrderLineView | None:
    """The buyer's own order line; None for a line that is not theirs or does not exist."""
    try:
        return orders.get_my_order_line(platform_of(request), buyer.principal, line_id)
    except (NotFound, NotAllowed):
        return None


def _ref(request: Request, product_id: int) -> ProductRef | None:
    return public.product_refs(platform_of(request), {product_id}).get(product_id)


def _form_page(
    request: Request,
    *,
    ref: ProductRef | None,
    values: dict[str, Any],
    line: OrderLineView | None = None,
    review: ReviewView | None = None,
    error: str | None = None,
    status: int = 200,
) -> Response:
    platform = platform_of(request)
    return render(
        request,
        "review_form.html",
        {
            "ref": ref,
            "line": line,
            "review": review,
            "values": values,
            "error": error,
            "rating_words": RATING_WORDS,
            "limits": platform.settings,
        },
        status=status,
        private=True,
    )


# ---- write ---------------------------------------------------------------------------------


@router.get("/account/reviews/new")
def new_review_form(request: Request) -> Response:
    """The review form for one delivered order line of the buyer's."""
    line_id = _int(request.query_params.get("line"))
    buyer = buyer_session(request)
    if buyer is None:
        return redirect(request, login_url(f"/account/reviews/new?line={line_id or ''}"))
    line = _find_line(request, buyer, line_id) if line_id is not None else None
    if line is None:
        return not_found(request, "There is no such item among your orders.")
    if line.review_id is not None:
        return redirect(request, f"/account/reviews/{line.review_id}/edit")
    ref = _ref(request, line.product_id)
    return _form_page(request, ref=ref, line=line, values={})


@router.post("/account/reviews/new")
async def submit_review(request: Request) -> Response:
    """Publish the review written in the form (with its photos or video)."""
    posted = await posted_form(request)
    if not isinstance(posted, Posted):
        return posted
    return await handle_posted(posted, _submit, request, posted)


def _submit(request: Request, posted: Posted) -> Response:
    platform = platform_of(request)
    assert posted.buyer is not None
    form = posted.form
    line_id = _int(form.get("line"))
    line = _find_line(request, posted.buyer, line_id) if line_id is not None else None
    if line is None:
        return not_found(request, "There is no such item among your orders.")
    ref = _ref(request, line.product_id)
    values = {k: text_field(form, k) for k in ("rating", "title", "text")}
    uploads, upload_error = read_uploads(platform, form)
    if upload_error:
        return _form_page(
            request, ref=ref, line=line, values=values, error=upload_error, status=413
        )
    try:
        written = reviews.submit_review(
            platform,
            posted.buyer.principal,
            order_line_id=line.id,
            rating=_int(values["rating"]) or 0,
            title=values["title"],
            text=values["text"],
            media=uploads,
        )
    except ReviewdeskError as error:
        return _form_page(
            request, ref=ref, line=line, values=values, error=_message(error), status=error.status
        )
    target = ref.url + "#reviews" if ref else "/account/orders"
    return redirect(request, target, ("ok", _published_or_held(written.status)))


def _published_or_held(status: str, verb: str = "published") -> str:
    if status == "held":
        return (
            "Thank you! Your review is saved and waits for a moderator before it shows "
            "(it is published within a few days at the latest)."
        )
    if status != "published":
        return "Your review is saved; a moderator has taken it off display."
    return f"Thank you! Your review is {verb}."


# ---- edit ----------------------------------------------------------------------------------


def _own_review(request: Request, buyer: BuyerSession, review_id: str) -> ReviewView | None:
    rid = _int(review_id)
    if rid is None:
        return None
    try:
        return reviews.get_review(platform_of(request), buyer.principal, rid)
    except ReviewdeskError:
        return None


def _review_values(review: ReviewView) -> dict[str, Any]:
    return {"rating": str(review.rating), "title": review.title or "", "text": review.text or ""}


@router.get("/account/reviews/{review_id}/edit")
def edit_review_form(request: Request, review_id: str) -> Response:
    """The form to change a review, its photos and video."""
    buyer = buyer_session(request)
    if buyer is None:
        return redirect(request, login_url(f"/account/reviews/{review_id}/edit"))
    review = _own_review(request, buyer, review_id)
    if review is None:
        return not_found(request, "There is no such review of yours.")
    ref = _ref(request, review.product_id)
    return _form_page(request, ref=ref, review=review, values=_review_values(review))


@router.post("/account/reviews/{review_id}/edit")
async def edit_review(request: Request, review_id: str) -> Response:
    """Save the changed rating, title and text; remove and add media."""
    posted = await posted_form(request, login_next=f"/account/reviews/{review_id}/edit")
    if not isinstance(posted, Posted):
        return posted
    return await handle_posted(posted, _edit, request, posted, review_id)


def _edit(request: Request, posted: Posted, review_id: str) -> Response:
    platform = platform_of(request)
    assert posted.buyer is not None
    actor = posted.buyer.principal
    review = _own_review(request, posted.buyer, review_id)
    if review is None:
        return not_found(request, "There is no such review of yours.")
    ref = _ref(request, review.product_id)
    form = posted.form
    values = {k: text_field(form, k) for k in ("rating", "title", "text")}
    uploads, upload_error = read_uploads(platform, form)
    if upload_error:
        return _form_page(
            request, ref=ref, review=review, values=values, error=upload_error, status=413
        )
    removals = [m for m in (_int(v) for v in form.getlist("remove_media")) if m is not None]
    try:
        # The text first: when it is refused nothing has changed yet.
        review = reviews.edit_review(
            platform,
            actor,
            review.id,
            rating=_int(values["rating"]) or 0,
            title=values["title"],
            text=values["text"],
        )
    except ReviewdeskError as error:
        return _form_page(
            request,
            ref=ref,
            review=review,
            values=values,
            error=_message(error),
            status=error.status,
        )
    try:
        for media_id in removals:
            review = reviews.remove_media(platform, actor, review.id, media_id)
        if uploads:
            review = reviews.add_media(platform, actor, review.id, uploads)
    except ReviewdeskError as error:
        message = f"Your text is saved, but the photos were not all changed: {_message(error)}"
        review = reviews.get_review(platform, actor, review.id)
        return _form_page(
            request,
            ref=ref,
            review=review,
            values=_review_values(review),
            error=message,
            status=error.status,
        )
    target = ref.url + f"#review-{review.id}" if ref else "/account/orders"
    return redirect(request, target, ("ok", _published_or_held(review.status, "updated")))


# ---- delete --------------------------------------------------------------------------------


def _delete_page(
    request: Request, review: ReviewView, error: str | None = None, status: int = 200
) -> Response:
    return render(
        request,
        "review_delete.html",
        {"review": review, "ref": _ref(request, review.product_id), "error": error},
        status=status,
        private=True,
    )


@router.get("/account/reviews/{review_id}/delete")
def delete_review_form(request: Request, review_id: str) -> Response:
    """Ask the buyer to confirm that the review should go."""
    buyer = buyer_session(request)
    if buyer is None:
        return redirect(request, login_url(f"/account/reviews/{review_id}/delete"))
    review = _own_review(request, buyer, review_id)
    if review is None:
        return not_found(request, "There is no such review of yours.")
    return _delete_page(request, review)


@router.post("/account/reviews/{review_id}/delete")
async def delete_review(request: Request, review_id: str) -> Response:
    """Delete the review once the buyer has ticked the confirmation."""
    posted = await posted_form(request, login_next=f"/account/reviews/{review_id}/delete")
    if not isinstance(posted, Posted):
        return posted
    return await handle_posted(posted, _delete, request, posted, review_id)


def _delete(request: Request, posted: Posted, review_id: str) -> Response:
    assert posted.buyer is not None
    review = _own_review(request, posted.buyer, review_id)
    if review is None:
        return not_found(request, "There is no such review of yours.")
    if text_field(posted.form, "confirm") != "yes":
        return _delete_page(request, review, "Tick the box to confirm the deletion.", 422)
    try:
        reviews.delete_review(platform_of(request), posted.buyer.principal, review.id)
    except ReviewdeskError as error:
        return _delete_page(request, review, _message(error), error.status)
    return redirect(request, "/account/orders", ("ok", "Your review is deleted."))


# ---- helpful votes -------------------------------------------------------------------------


@router.post("/reviews/{review_id}/helpful")
async def vote_helpful(request: Request, review_id: str) -> Response:
    """Mark a review helpful (one vote per buyer), then back to the product page."""
    posted = await posted_form(request, login_next="/")
    if not isinstance(posted, Posted):
        return posted
    return await handle_posted(posted, _vote, request, posted, review_id)


def _vote(request: Request, posted: Posted, review_id: str) -> Response:
    assert posted.buyer is not None
    back = local_path(posted.form.get("next"), "/")
    rid = _int(review_id)
    if rid is None:
        return redirect(request, back, ("error", "There is no such review."))
    try:
        reviews.vote_helpful(platform_of(request), posted.buyer.principal, rid)
    except ReviewdeskError as error:
        return redirect(request, f"{back}#review-{rid}", ("error", error.detail))
    return redirect(request, f"{back}#review-{rid}", ("ok", "Thanks, your vote is counted."))
