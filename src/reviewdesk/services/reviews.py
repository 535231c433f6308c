"""Native reviews: submit, edit, delete, media, helpful votes, history (product.md §1)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Literal

from pydantic import BaseModel
from sqlalchemy import Connection, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from reviewdesk.db.catalog import Product, Shop
from reviewdesk.db.coupons import Coupon
from reviewdesk.db.orders import Buyer, Order, OrderLine
from reviewdesk.db.reviews import HelpfulVote, Review, ReviewMedia, ReviewRevision
from reviewdesk.domain.display import mask_display_name
from reviewdesk.domain.media import SniffedMedia, check_media_set, sniff_media
from reviewdesk.domain.pagination import decode_cursor, encode_cursor
from reviewdesk.domain.principals import Principal, Role, may_manage_seller
from reviewdesk.domain.ratings import PUBLISHED, contribution, counts_in_rating
from reviewdesk.domain.reviewing import OrderLineFacts, check_content, check_may_review
from reviewdesk.errors import Conflict, NotAllowed, NotFound
from reviewdesk.integrations.images import strip_metadata
from reviewdesk.services.access import audit, require_buyer, shop_for_staff
from reviewdesk.services.alerts import raise_for_review
from reviewdesk.services.catalog import Page
from reviewdesk.services.coupons import issue_for_review
from reviewdesk.services.moderation import screen
from reviewdesk.services.platform import Platform
from reviewdesk.services.ratings import apply_delta
from reviewdesk.services.text import language_of, public_copy

DELETED = "deleted"


@dataclass(frozen=True)
class MediaUpload:
    """A file a buyer attaches: its bytes and the name it came with (never trusted)."""

    data: bytes
    filename: str | None = None


class MediaView(BaseModel):
    id: int
    kind: str
    mime: str
    width: int | None
    height: int | None
    url: str
    thumbnail_url: str | None


class ReviewView(BaseModel):
    """A review as its author, the shop's staff and the operator see it."""

    id: int
    shop_id: int
    product_id: int
    variant_id: int | None
    order_line_id: int | None
    status: str
    rating: int
    title: str | None
    text: str | None
    public_title: str | None
    public_text: str | None
    language: str | None
    reviewer: str
    source: str
    verified: bool
    incentivized: bool
    edited: bool
    coupon_code: str | None = None
    version: int
    helpful_count: int
    media: list[MediaView]
    created_at: datetime
    published_at: datetime | None
    edited_at: datetime | None


class RevisionView(BaseModel):
    version: int
    rating: int
    title: str | None
    text: str | None
    photo_count: int
    video_count: int
    created_at: datetime


class VoteView(BaseModel):
    review_id: int
    helpful_count: int
    voted: bool


def media_views(session: Session | Connection, review_ids: list[int]) -> dict[int, list[MediaView]]:
    """The media of each review, in upload order, with the URLs they are served under."""
    result: dict[int, list[MediaView]] = {rid: [] for rid in review_ids}
    if not review_ids:
        return result
    rows = session.execute(
        select(
            ReviewMedia.id,
            ReviewMedia.review_id,
            ReviewMedia.kind,
            ReviewMedia.mime,
            ReviewMedia.width,
            ReviewMedia.height,
            ReviewMedia.thumb_key,
            ReviewMedia.source_url,
        )
        .where(ReviewMedia.review_id.in_(review_ids))
        .order_by(ReviewMedia.id)
    )
    for m in rows:
        result[m.review_id].append(
            MediaView(
                id=m.id,
                kind=m.kind,
                mime=m.mime,
                width=m.width,
                height=m.height,
                # Media of an imported review kept as a link is shown from where it is.
                url=m.source_url or f"/media/{m.id}",
                thumbnail_url=f"/media/{m.id}/thumbnail" if m.thumb_key else None,
            )
        )
    return result


def _views(session: Session, reviews: Sequence[Review]) -> list[ReviewView]:
    """The private views of ``reviews``, their media and coupons read in one query each."""
    ids = [review.id for review in reviews]
    media = media_views(session, ids)
    coupons: dict[int, str] = {}
    if ids:
        found = session.execute(
            select(Coupon.review_id, Coupon.code).where(Coupon.review_id.in_(ids))
        )
        coupons = {review_id: code for review_id, code in found}
    return [
        ReviewView(
            id=review.id,
            shop_id=review.shop_id,
            product_id=review.product_id,
            variant_id=review.variant_id,
            order_line_id=review.order_line_id,
            status=review.status,
            rating=review.rating,
            title=review.title,
            text=review.body,
            public_title=review.public_title,
            public_text=review.public_body,
            language=review.language,
            reviewer=review.reviewer_display,
            source=review.source,
            verified=review.is_verified,
            incentivized=review.is_incentivized,
            edited=review.version > 1,
            coupon_code=coupons.get(review.id),
            version=review.version,
            helpful_count=review.helpful_count,
            media=media[review.id],
            created_at=review.created_at,
            published_at=review.published_at,
            edited_at=review.edited_at,
        )
        for review in reviews
    ]


def _view(session: Session, review: Review) -> ReviewView:
    return _views(session, [review])[0]


def _counted(platform: Platform, session: Session, review: Review) -> bool:
    product = session.get(Product, review.product_id)
    return counts_in_rating(
        status=review.status,
        source=review.source,
        product_listed=product is not None and product.removed_at is None,
        imported_count_in_rating=platform.settings.imported_count_in_rating,
    )


def _set_text(review: Review, title: str | None, text: str | None, names: list[str]) -> None:
    review.title, review.body = title, text
    review.public_title = public_copy(title, names)
    review.public_body = public_copy(text, names)
    review.has_text = bool(text)
    review.language = language_of(" ".join(x for x in (title, text) if x) or None)


def _known_names(buyer: Buyer | None) -> list[str]:
    if buyer is None:
        return []
    return [n for n in (buyer.full_name, buyer.nickname) if n]


def _snapshot(session: Session, review: Review) -> None:
    session.add(
        ReviewRevision(
            shop_id=review.shop_id,
            review_id=review.id,
            version=review.version,
            rating=review.rating,
            title=review.title,
            body=review.body,
            photo_count=review.photo_count,
            video_count=review.video_count,
        )
    )


def _sniff_all(
    platform: Platform, uploads: list[MediaUpload], existing: list[SniffedMedia]
) -> list[SniffedMedia]:
    limits = platform.media_limits
    sniffed = [sniff_media(u.data, u.filename, limits=limits) for u in uploads]
    check_media_set(existing + sniffed, limits=limits)
    return sniffed


def _store_media(
    platform: Platform,
    session: Session,
    review: Review,
    uploads: list[MediaUpload],
    sniffed: list[SniffedMedia],
    written: list[str],
) -> list[ReviewMedia]:
    rows = []
    for upload, kind in zip(uploads, sniffed, strict=True):
        # Photos are re-encoded before they touch the disk: no location data is ever stored.
        data = strip_metadata(upload.data) if kind.kind == "photo" else upload.data
        key = f"shop/{review.shop_id}/review/{review.id}/{uuid.uuid4().hex}.{kind.extension}"
        platform.storage.put(key, data, kind.mime_type)
        written.append(key)
        row = ReviewMedia(
            shop_id=review.shop_id,
            review_id=review.id,
            kind=kind.kind,
            mime=kind.mime_type,
            storage_key=key,
            size_bytes=len(data),
            width=kind.width,
            height=kind.height,
        )
        session.add(row)
        rows.append(row)
        if kind.kind == "photo":
            review.photo_count += 1
        else:
            review.video_count += 1
    session.flush()
    return rows


def _discard(platform: Platform, keys: list[str]) -> None:
    for key in keys:
        platform.storage.delete(key)


def submit_review(
    platform: Platform,
    actor: Principal,
    *,
    order_line_id: int,
    rating: int,
    title: str | None = None,
    text: str | None = None,
    media: list[MediaUpload] | None = None,
) -> ReviewView:
    """A buyer reviews a delivered order line of theirs (one review per line)."""
    buyer_id = require_buyer(actor)
    policy = platform.review_policy
    content = check_content(rating, title, text, policy)
    uploads = media or []
    sniffed = _sniff_all(platform, uploads, [])
    written: list[str] = []
    try:
        with platform.db.write() as session:
            line = session.scalars(
                select(OrderLine).where(OrderLine.id == order_line_id).with_for_update()
            ).first()
            if line is None:
                raise NotFound("order_line_not_found", f"order line {order_line_id} does not exist")
            order = session.get(Order, line.order_id)
            assert order is not None
            live = session.scalar(
                select(Review.id).where(Review.order_line_id == line.id, Review.status != DELETED)
            )
            check_may_review(
                OrderLineFacts(buyer_id=order.buyer_id, delivered_at=line.delivered_at),
                buyer_id=buyer_id,
                now=platform.now(),
                policy=policy,
                already_reviewed=live is not None,
            )
            product = session.get(Product, line.product_id)
            if product is None or product.removed_at is not None:
                raise Conflict("product_removed", "This product is no longer listed.")
            buyer = session.get(Buyer, buyer_id)
            now = platform.now()
            review = Review(
                shop_id=line.shop_id,
                product_id=line.product_id,
                variant_id=line.variant_id,
                order_line_id=line.id,
                buyer_id=buyer_id,
                source="native",
                status=PUBLISHED,
                rating=content.rating,
                reviewer_display=mask_display_name(
                    (buyer.nickname or buyer.full_name) if buyer else None
                ),
                is_verified=True,
                is_incentivized=False,
                photo_count=0,
                video_count=0,
                helpful_count=0,
                version=1,
                created_at=now,
                published_at=None,  # set when moderation publishes it
            )
            names = _known_names(buyer)
            _set_text(review, content.title, content.text, names)
            session.add(review)
            try:
                session.flush()
            except IntegrityError:
                raise Conflict(
                    "already_reviewed", "This order line already has a review."
                ) from None
            screen(platform, session, review, names)
            new_media = _store_media(platform, session, review, uploads, sniffed, written)
            _record_version(platform, session, review)
            apply_delta(
                session,
                review.shop_id,
                review.product_id,
                contribution(review.rating, _counted(platform, session, review)),
            )
            audit(
                session,
                actor,
                "review.create",
                "review",
                review.id,
                review.shop_id,
                {"rating": review.rating, "order_line_id": line.id},
            )
            raise_for_review(platform, session, review)
            view = _view(session, review)
    except BaseException:
        _discard(platform, written)
        raise
    for row in new_media:
        if row.kind == "photo":
            platform.jobs.media_uploaded(row.id)
    return view


def _own_review_locked(session: Session, actor: Principal, review_id: int) -> Review:
    buyer_id = require_buyer(actor)
    review = session.scalars(select(Review).where(Review.id == review_id).with_for_update()).first()
    if review is None or review.status == DELETED:
        raise NotFound("review_not_found", f"review {review_id} does not exist")
    if review.buyer_id != buyer_id:
        raise NotAllowed("not_your_review", "This review was written by another buyer.")
    return review


class _Unset(Enum):
    UNSET = "unset"


UNSET = _Unset.UNSET
"""Marks an argument of ``edit_review`` that the caller leaves as it is."""


def edit_review(
    platform: Platform,
    actor: Principal,
    review_id: int,
    *,
    rating: int | None | Literal[_Unset.UNSET] = UNSET,
    title: str | None | Literal[_Unset.UNSET] = UNSET,
    text: str | None | Literal[_Unset.UNSET] = UNSET,
) -> ReviewView:
    """The author changes a review; the previous version is kept and it shows as edited."""
    with platform.db.write() as session:
        review = _own_review_locked(session, actor, review_id)
        content = check_content(
            review.rating if rating is UNSET else rating,
            review.title if title is UNSET else title,
            review.body if text is UNSET else text,
            platform.review_policy,
        )
        if (content.rating, content.title, content.text) == (
            review.rating,
            review.title,
            review.body,
        ):
            return _view(session, review)
        before = contribution(review.rating, _counted(platform, session, review))
        review.rating = content.rating
        names = _known_names(session.get(Buyer, review.buyer_id))
        _set_text(review, content.title, content.text, names)
        _bump_version(platform, session, review)
        screen(platform, session, review, names)
        after = contribution(review.rating, _counted(platform, session, review))
        apply_delta(session, review.shop_id, review.product_id, after - before)
        audit(
            session,
            actor,
            "review.edit",
            "review",
            review.id,
            review.shop_id,
            {"version": review.version, "rating": review.rating},
        )
        raise_for_review(platform, session, review)
        return _view(session, review)


def _bump_version(platform: Platform, session: Session, review: Review) -> None:
    review.version += 1
    review.edited_at = platform.now()
    session.flush()
    _record_version(platform, session, review)


def _record_version(platform: Platform, session: Session, review: Review) -> None:
    """Keep this version in the history; a review that now qualifies earns its coupon."""
    _snapshot(session, review)
    issue_for_review(session, review, platform.now())


def delete_review(platform: Platform, actor: Principal, review_id: int) -> None:
    """The author deletes a review: gone from display and metrics, kept in the audit log."""
    with platform.db.write() as session:
        review = _own_review_locked(session, actor, review_id)
        before = contribution(review.rating, _counted(platform, session, review))
        media = session.scalars(select(ReviewMedia).where(ReviewMedia.review_id == review.id)).all()
        audit(
            session,
            actor,
            "review.delete",
            "review",
            review.id,
            review.shop_id,
            {
                "rating": review.rating,
                "title": review.title,
                "text": review.body,
                "version": review.version,
                "media": [m.storage_key for m in media],
            },
        )
        review.status = DELETED
        review.deleted_at = platform.now()
        apply_delta(session, review.shop_id, review.product_id, -before)
        keys = [k for m in media for k in (m.storage_key, m.thumb_key) if k]
        for m in media:
            session.delete(m)
    _discard(platform, keys)


def add_media(
    platform: Platform, actor: Principal, review_id: int, uploads: list[MediaUpload]
) -> ReviewView:
    """The author attaches photos or a video to their review (within the limits)."""
    written: list[str] = []
    try:
        with platform.db.write() as session:
            review = _own_review_locked(session, actor, review_id)
            existing = [
                SniffedMedia(
                    kind="photo" if m.kind == "photo" else "video",
                    format="",
                    mime_type=m.mime,
                    extension="",
                    size_bytes=m.size_bytes,
                    width=m.width,
                    height=m.height,
                )
                for m in session.scalars(
                    select(ReviewMedia).where(ReviewMedia.review_id == review.id)
                )
            ]
            sniffed = _sniff_all(platform, uploads, existing)
            rows = _store_media(platform, session, review, uploads, sniffed, written)
            _bump_version(platform, session, review)
            audit(
                session,
                actor,
                "review.media_add",
                "review",
                review.id,
                review.shop_id,
                {"media": [r.id for r in rows]},
            )
            view = _view(session, review)
    except BaseException:
        _discard(platform, written)
        raise
    for row in rows:
        if row.kind == "photo":
            platform.jobs.media_uploaded(row.id)
    return view


def remove_media(platform: Platform, actor: Principal, review_id: int, media_id: int) -> ReviewView:
    """The author removes one photo or video from their review."""
    with platform.db.write() as session:
        review = _own_review_locked(session, actor, review_id)
        row = session.get(ReviewMedia, media_id)
        if row is None or row.review_id != review.id:
            raise NotFound("media_not_found", f"media {media_id} is not on review {review_id}")
        keys = [k for k in (row.storage_key, row.thumb_key) if k]
        if row.kind == "photo":
            review.photo_count -= 1
        else:
            review.video_count -= 1
        session.delete(row)
        _bump_version(platform, session, review)
        audit(
            session,
            actor,
            "review.media_remove",
            "review",
            review.id,
            review.shop_id,
            {"media": media_id},
        )
        view = _view(session, review)
    _discard(platform, keys)
    return view


def _review_for_reader(session: Session, actor: Principal, review_id: int) -> Review:
    review = session.get(Review, review_id)
    if review is None or review.status == DELETED:
        raise NotFound("review_not_found", f"review {review_id} does not exist")
    if actor.role is Role.BUYER:
        if review.buyer_id != actor.buyer_id:
            raise NotAllowed("not_your_review", "This review was written by another buyer.")
        return review
    shop = session.get(Shop, review.shop_id)
    assert shop is not None
    if not may_manage_seller(actor, shop.seller_id):
        raise NotAllowed("not_your_shop", "This review is in another seller's shop.")
    return review


def get_review(platform: Platform, actor: Principal, review_id: int) -> ReviewView:
    """A review with its status and edit state, for its author and the shop's staff."""
    with platform.db.read() as session:
        return _view(session, _review_for_reader(session, actor, review_id))


def review_history(platform: Platform, actor: Principal, review_id: int) -> list[RevisionView]:
    """Every version of a review, oldest first."""
    with platform.db.read() as session:
        review = _review_for_reader(session, actor, review_id)
        rows = session.scalars(
            select(ReviewRevision)
            .where(ReviewRevision.review_id == review.id)
            .order_by(ReviewRevision.version)
        )
        return [
            RevisionView(
                version=r.version,
                rating=r.rating,
                title=r.title,
                text=r.body,
                photo_count=r.photo_count,
                video_count=r.video_count,
                created_at=r.created_at,
            )
            for r in rows
        ]


def _votable(session: Session, actor: Principal, review_id: int) -> tuple[Review, str]:
    buyer_id = require_buyer(actor)
    review = session.scalars(select(Review).where(Review.id == review_id).with_for_update()).first()
    product = session.get(Product, review.product_id) if review else None
    if (
        review is None
        or review.status != PUBLISHED
        or product is None
        or product.removed_at is not None
    ):
        raise NotFound("review_not_found", f"review {review_id} is not published")
    if review.buyer_id == buyer_id:
        raise NotAllowed("own_review", "You cannot vote on your own review.")
    return review, actor.key


def vote_helpful(platform: Platform, actor: Principal, review_id: int) -> VoteView:
    """A buyer marks a review helpful; one vote per buyer per review."""
    with platform.db.write() as session:
        review, voter = _votable(session, actor, review_id)
        exists = session.scalar(
            select(HelpfulVote.id).where(
                HelpfulVote.review_id == review.id, HelpfulVote.voter_key == voter
            )
        )
        if exists:
            raise Conflict("already_voted", "You have already marked this review helpful.")
        session.add(HelpfulVote(shop_id=review.shop_id, review_id=review.id, voter_key=voter))
        session.execute(
            update(Review)
            .where(Review.id == review.id)
            .values(helpful_count=Review.helpful_count + 1)
        )
        session.refresh(review, ["helpful_count"])
        return VoteView(review_id=review.id, helpful_count=review.helpful_count, voted=True)


def withdraw_vote(platform: Platform, actor: Principal, review_id: int) -> VoteView:
    """A buyer takes back their helpful vote."""
    with platform.db.write() as session:
        review, voter = _votable(session, actor, review_id)
        vote = session.scalars(
            select(HelpfulVote).where(
                HelpfulVote.review_id == review.id, HelpfulVote.voter_key == voter
            )
        ).first()
        if vote is None:
            raise NotFound("vote_not_found", "You have not marked this review helpful.")
        session.delete(vote)
        session.execute(
            update(Review)
            .where(Review.id == review.id)
            .values(helpful_count=Review.helpful_count - 1)
        )
        session.refresh(review, ["helpful_count"])
        return VoteView(review_id=review.id, helpful_count=review.helpful_count, voted=False)


def list_reviews_for_staff(
    platform: Platform,
    actor: Principal,
    shop_id: int,
    *,
    product_id: int | None = None,
    stars: list[int] | None = None,
    edited: bool | None = None,
    incentivized: bool | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> Page[ReviewView]:
    """Every live review of a shop, newest first, with edit state (the shop's staff)."""
    limit = max(1, min(limit, platform.settings.max_page_size))
    with platform.db.read() as session:
        shop_for_staff(session, actor, shop_id)
        query = select(Review).where(Review.shop_id == shop_id, Review.status != DELETED)
        if product_id is not None:
            query = query.where(Review.product_id == product_id)
        if stars:
            query = query.where(Review.rating.in_(stars))
        if edited is not None:
            query = query.where((Review.version > 1) if edited else (Review.version == 1))
        if incentivized is not None:
            query = query.where(Review.is_incentivized.is_(incentivized))
        if cursor:
            (after,) = decode_cursor(cursor, "staff", 1)
            query = query.where(Review.id < int(after))
        rows = session.scalars(query.order_by(Review.id.desc()).limit(limit + 1)).all()
        return Page[ReviewView](
            items=_views(session, rows[:limit]),
            next_cursor=encode_cursor("staff", [rows[limit - 1].id]) if len(rows) > limit else None,
        )
