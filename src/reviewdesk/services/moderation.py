"""Moderation: every new or edited review is read by the text engine before it shows.

``screen`` runs in the review's writing transaction: it stores the engine's analysis of
the current version (``review_analyses``: sentiment, categories, aspects, flags) and says
whether the review must wait for a moderator. Abusive language and spam (links,
advertising, repeated text) hold it (status ``held``); personal data does not, it
is masked in the public copy (``spam_contact`` is a flag the moderator sees, not a reason
to hold). Every outcome is a logged decision, automatic ones by
``system``. A held review that no moderator decides within ``auto_publish_days`` is
published by the scheduled ``publish_overdue``, so negative reviews are never silently
suppressed. Moderators (role ``moderator``, or the operator) see the queue, decide
(publish, hide, reject with a reason) and read a review's history.

Statuses: ``published`` (shown, counted), ``held`` (waiting), ``hidden`` (taken off
display by a moderator, reversible), ``rejected`` (refused for good), ``deleted`` (by its
author). Only ``published`` reviews show and count in star ratings; the rating summaries
change in the deciding transaction.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Literal

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from reviewdesk.analytics import analyze_one
from reviewdesk.db.catalog import Product
from reviewdesk.db.moderation import ModerationDecision, ReviewAnalysis
from reviewdesk.db.reviews import Review
from reviewdesk.domain.pagination import decode_cursor, encode_cursor
from reviewdesk.domain.principals import Principal
from reviewdesk.domain.ratings import PUBLISHED, contribution, counts_in_rating
from reviewdesk.errors import Conflict, InvalidInput, NotFound
from reviewdesk.services.access import audit, require_moderator
from reviewdesk.services.catalog import Page
from reviewdesk.services.platform import Platform
from reviewdesk.services.ratings import apply_delta

HELD, HIDDEN, REJECTED = "held", "hidden", "rejected"
SYSTEM = "system"
# Flags of the text engine that keep a review from showing until a moderator decides.
# Contact details alone do not: they are masked in the public copy like any personal data.
HOLD_FLAGS = frozenset({"abusive", "spam_link", "spam_repeated", "spam_advertising"})
# Statuses a new version of the text is screened from; a hidden, rejected or removed
# review stays so whatever its author writes.
SCREENED = frozenset({PUBLISHED, HELD})

Action = Literal["publish", "hide", "reject"]


def _stored_analysis(review: Review, known_names: list[str]) -> tuple[ReviewAnalysis, list[str]]:
    text = "\n".join(x for x in (review.title, review.body) if x)
    if text.strip():
        found = analyze_one(text, review.rating, known_names)
        row = ReviewAnalysis(
            review_id=review.id,
            shop_id=review.shop_id,
            version=review.version,
            language=found.language,
            sentiment=found.sentiment.label,
            sentiment_score=found.sentiment.score,
            top_category=found.categories[0].code if found.categories else None,
            complaint_group=found.complaint_group,
            categories=json.dumps(
                [{"code": c.code, "confidence": c.confidence} for c in found.categories]
            ),
            aspects=json.dumps(list(found.aspects)),
            flags=json.dumps(list(found.flags)),
            deceptive_score=found.deceptive_score,
        )
        return row, sorted(set(found.flags) & HOLD_FLAGS)
    # Stars alone: the rating is the sentiment, and there is nothing to hold.
    label = "negative" if review.rating <= 2 else "neutral" if review.rating == 3 else "positive"
    row = ReviewAnalysis(
        review_id=review.id,
        shop_id=review.shop_id,
        version=review.version,
        language=None,
        sentiment=label,
        sentiment_score=(review.rating - 3) / 2,
        top_category=None,
        complaint_group=None,
        categories="[]",
        aspects="[]",
        flags="[]",
        deceptive_score=0.0,
    )
    return row, []


def screen(platform: Platform, session: Session, review: Review, known_names: list[str]) -> None:
    """Analyse the review's current version and publish or hold it (flushed ``review``).

    Call it after the review's text is set and before its contribution to the rating
    summaries is computed: it decides the status that contribution depends on.
    """
    row, reasons = _stored_analysis(review, known_names)
    row.analysed_at = platform.now()
    session.merge(row)
    if review.status not in SCREENED:
        return
    now = platform.now()
    if reasons:
        if review.status != HELD:
            review.held_at = now
        review.status = HELD
        _log(session, review, "hold", SYSTEM, reasons, None, now)
    else:
        review.status = PUBLISHED
        review.held_at = None
        review.published_at = review.published_at or now
        _log(session, review, "publish", SYSTEM, [], None, now)


def _log(
    session: Session,
    review: Review,
    action: str,
    actor: str,
    reasons: list[str],
    note: str | None,
    now: datetime,
) -> None:
    session.add(
        ModerationDecision(
            shop_id=review.shop_id,
            review_id=review.id,
            action=action,
            actor=actor,
            reasons=json.dumps(reasons),
            note=note,
            created_at=now,
        )
    )


# ---- the moderators' side ---------------------------------------------------------------------


class QueuedReview(BaseModel):
    """A review as a moderator sees it: the original text, not the public copy."""

    id: int
    shop_id: int
    product_id: int
    status: str
    rating: int
    title: str | None
    text: str | None
    public_text: str | None
    source: str
    reviewer: str
    reasons: list[str]
    flags: list[str]
    sentiment: str | None
    held_at: datetime | None
    created_at: datetime


class DecisionIn(BaseModel):
    action: Action
    reason: str | None = Field(
        None, max_length=200, description="required to hide or reject: shown in the history"
    )
    note: str | None = Field(None, max_length=2000)


class DecisionView(BaseModel):
    id: int
    review_id: int
    action: str
    actor: str
    reasons: list[str]
    note: str | None
    created_at: datetime


def _decision_view(row: ModerationDecision) -> DecisionView:
    return DecisionView(
        id=row.id,
        review_id=row.review_id,
        action=row.action,
        actor=row.actor,
        reasons=json.loads(row.reasons),
        note=row.note,
        created_at=row.created_at,
    )


def moderation_queue(
    platform: Platform,
    actor: Principal,
    *,
    status: Literal["held", "hidden"] = "held",
    shop_id: int | None = None,
    reason: str | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> Page[QueuedReview]:
    """Reviews waiting for a moderator (oldest first), or those hidden, with their reasons."""
    require_moderator(actor)
    limit = max(1, min(limit, platform.settings.max_page_size))
    with platform.db.read() as session:
        query = (
            select(Review, ReviewAnalysis.flags, ReviewAnalysis.sentiment)
            .outerjoin(ReviewAnalysis, ReviewAnalysis.review_id == Review.id)
            .where(Review.status == status)
        )
        if shop_id is not None:
            query = query.where(Review.shop_id == shop_id)
        if reason:
            query = query.where(ReviewAnalysis.flags.contains(f'"{reason}"'))
        if cursor:
            (after,) = decode_cursor(cursor, f"queue-{status}", 1)
            query = query.where(Review.id > int(after))
        rows = session.execute(query.order_by(Review.id).limit(limit + 1)).all()
        items = []
        for review, flags, sentiment in rows[:limit]:
            flag_list = json.loads(flags) if flags else []
            items.append(
                QueuedReview(
                    id=review.id,
                    shop_id=review.shop_id,
                    product_id=review.product_id,
                    status=review.status,
                    rating=review.rating,
                    title=review.title,
                    text=review.body,
                    public_text=review.public_body,
                    source=review.source,
                    reviewer=review.reviewer_display,
                    reasons=sorted(set(flag_list) & HOLD_FLAGS),
                    flags=flag_list,
                    sentiment=sentiment,
                    held_at=review.held_at,
                    created_at=review.created_at,
                )
            )
        return Page[QueuedReview](
            items=items,
            next_cursor=encode_cursor(f"queue-{status}", [rows[limit - 1][0].id])
            if len(rows) > limit
            else None,
        )


_ALLOWED = {
    "publish": {HELD, HIDDEN},
    "hide": {PUBLISHED, HELD},
    "reject": {PUBLISHED, HELD, HIDDEN},
}
_RESULT = {"publish": PUBLISHED, "hide": HIDDEN, "reject": REJECTED}


def _counted(platform: Platform, session: Session, review: Review) -> bool:
    product = session.get(Product, review.product_id)
    return counts_in_rating(
        status=review.status,
        source=review.source,
        product_listed=product is not None and product.removed_at is None,
        imported_count_in_rating=platform.settings.imported_count_in_rating,
    )


def _change(
    platform: Platform,
    session: Session,
    review: Review,
    action: str,
    status: str,
    actor: str,
    reasons: list[str],
    note: str | None,
) -> None:
    before = contribution(review.rating, _counted(platform, session, review))
    now = platform.now()
    review.status = status
    if status == PUBLISHED:
        review.held_at = None
        review.published_at = review.published_at or now
    after = contribution(review.rating, _counted(platform, session, review))
    apply_delta(session, review.shop_id, review.product_id, after - before)
    _log(session, review, action, actor, reasons, note, now)


def decide(
    platform: Platform, actor: Principal, review_id: int, decision: DecisionIn
) -> DecisionView:
    """A moderator publishes, hides or rejects a review (rating summaries follow)."""
    require_moderator(actor)
    if decision.action != "publish" and not (decision.reason and decision.reason.strip()):
        raise InvalidInput("reason_required", f"say why the review is to {decision.action}")
    with platform.db.write() as session:
        review = session.scalars(
            select(Review)
            .where(Review.id == review_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        ).first()
        if review is None or review.status == "deleted":
            raise NotFound("review_not_found", f"review {review_id} does not exist")
        if review.status not in _ALLOWED[decision.action]:
            raise Conflict(
                "decision_not_allowed",
                f"a {review.status} review cannot be {_RESULT[decision.action]}",
                status=review.status,
            )
        reasons = [decision.reason.strip()] if decision.reason else []
        _change(
            platform,
            session,
            review,
            decision.action,
            _RESULT[decision.action],
            actor.key,
            reasons,
            decision.note,
        )
        audit(
            session,
            actor,
            f"moderation.{decision.action}",
            "review",
            review.id,
            review.shop_id,
            {"reasons": reasons, "note": decision.note},
        )
        session.flush()
        row = session.scalars(
            select(ModerationDecision)
            .where(ModerationDecision.review_id == review_id)
            .order_by(ModerationDecision.id.desc())
            .limit(1)
        ).one()
        return _decision_view(row)


def review_history(platform: Platform, actor: Principal, review_id: int) -> list[DecisionView]:
    """Every moderation decision on a review, oldest first."""
    require_moderator(actor)
    with platform.db.read() as session:
        if session.get(Review, review_id) is None:
            raise NotFound("review_not_found", f"review {review_id} does not exist")
        rows = session.scalars(
            select(ModerationDecision)
            .where(ModerationDecision.review_id == review_id)
            .order_by(ModerationDecision.id)
        ).all()
        return [_decision_view(r) for r in rows]


def publish_overdue(platform: Platform) -> int:
    """Publish the reviews held longer than ``auto_publish_days`` (the scheduled job)."""
    cutoff = platform.now() - timedelta(days=platform.settings.auto_publish_days)
    published = 0
    while True:
        with platform.db.write() as session:
            due = session.scalars(
                select(Review)
                .where(Review.status == HELD, Review.held_at < cutoff)
                .order_by(Review.id)
                .limit(200)
                .with_for_update()
            ).all()
            for review in due:
                _change(
                    platform,
                    session,
                    review,
                    "auto_publish",
                    PUBLISHED,
                    SYSTEM,
                    [f"no moderator decided within {platform.settings.auto_publish_days} days"],
                    None,
                )
        published += len(due)
        if len(due) < 200:
            return published
