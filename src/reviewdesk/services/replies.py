"""Seller replies: the one public reply of a review (product.md §1 "Seller reply").

The shop's staff (a member of the shop's seller account, or the operator) create, edit and
delete it; it answers a published review, has at most ``MAX_REPLY_CHARS`` characters, and
every create and edit passes the reply compliance check (``analytics.check_reply``) with
the review's text and rating and the names that must not appear in it (the buyer's full
name and nickname, the seller members' names). Any ``block`` finding refuses the reply
with ``reply_not_compliant`` listing every finding; ``warn`` findings are saved with the
reply and returned. Nothing here writes the review: a seller never changes a buyer's
review. Edits and deletions keep the previous text in the audit log.

Publicly the reply shows with its review (``services.public``) as "Response from <shop
name>" with its text and dates: never who wrote it, nor its warnings.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from reviewdesk.analytics import check_reply
from reviewdesk.analytics.replies import MAX_REPLY_CHARS
from reviewdesk.analytics.results import Finding
from reviewdesk.db.catalog import SellerMember, Shop
from reviewdesk.db.moderation import ReviewReply
from reviewdesk.db.orders import Buyer
from reviewdesk.db.reviews import Review
from reviewdesk.domain.principals import Principal
from reviewdesk.domain.ratings import PUBLISHED
from reviewdesk.errors import Conflict, InvalidInput, NotFound
from reviewdesk.services.access import audit, shop_for_staff
from reviewdesk.services.platform import Platform
from reviewdesk.services.reviews import DELETED


class FindingView(BaseModel):
    """One finding of the compliance check: the rule, where (``text[start:end]``), and
    what to write instead."""

    rule: str
    severity: Literal["block", "warn"]
    start: int
    end: int
    message: str
    suggestion: str


class ReplyIn(BaseModel):
    """The text of a reply (the limit of ``MAX_REPLY_CHARS`` is checked by the service,
    with its own code)."""

    model_config = ConfigDict(extra="forbid")
    text: str = Field(max_length=20_000)


class ReplyView(BaseModel):
    """A reply as the shop's staff see it, with the warnings it was saved with."""

    review_id: int
    shop_id: int
    text: str
    warnings: list[FindingView]
    automatic: bool
    version: int
    created_at: datetime
    updated_at: datetime


def finding_views(findings: Iterable[Finding]) -> list[FindingView]:
    """The findings of a check as API objects."""
    return [
        FindingView(
            rule=f.rule,
            severity=f.severity,
            start=f.start,
            end=f.end,
            message=f.message,
            suggestion=f.suggestion,
        )
        for f in findings
    ]


def _view(reply: ReviewReply) -> ReplyView:
    return ReplyView(
        review_id=reply.review_id,
        shop_id=reply.shop_id,
        text=reply.body,
        warnings=[FindingView.model_validate(w) for w in json.loads(reply.warnings or "[]")],
        automatic=reply.automatic,
        version=reply.version,
        created_at=reply.created_at,
        updated_at=reply.updated_at,
    )


def reply_text(text: str) -> str:
    """The reply's text, trimmed; empty or longer than the limit is refused."""
    body = text.strip()
    if not body:
        raise InvalidInput("reply_empty", "A reply needs a text.", field="text")
    if len(body) > MAX_REPLY_CHARS:
        raise InvalidInput(
            "reply_too_long",
            f"A reply has at most {MAX_REPLY_CHARS} characters, got {len(body)}.",
            field="text",
            limit=MAX_REPLY_CHARS,
            length=len(body),
        )
    return body


def known_names(session: Session, review: Review) -> list[str]:
    """The names a reply must not contain: the buyer's and the seller members'."""
    names: list[str] = []
    if review.buyer_id is not None:
        buyer = session.get(Buyer, review.buyer_id)
        if buyer is not None:
            names += [n for n in (buyer.full_name, buyer.nickname) if n]
    names += session.scalars(
        select(SellerMember.name)
        .join(Shop, Shop.seller_id == SellerMember.seller_id)
        .where(Shop.id == review.shop_id)
    )
    return [n for n in names if n and n.strip()]


def compliant_warnings(
    session: Session, review: Review, text: str, *, code: str = "reply_not_compliant"
) -> list[FindingView]:
    """Run the compliance check on ``text`` answering ``review``; its warnings.

    Any blocking finding refuses the text with ``code``; the problem lists every finding.
    """
    review_text = " ".join(t for t in (review.title, review.body) if t) or None
    result = check_reply(text, review_text, review.rating, known_names(session, review))
    findings = finding_views(result.findings)
    blocking = sorted({f.rule for f in findings if f.severity == "block"})
    if blocking:
        raise InvalidInput(
            code,
            f"The text breaks the reply rules ({', '.join(blocking)}); see findings.",
            field="text",
            findings=[f.model_dump() for f in findings],
        )
    return findings


def _review(session: Session, actor: Principal, review_id: int) -> Review:
    """A live review of one of the actor's shops (a staff member, or the operator)."""
    review = session.get(Review, review_id)
    if review is None or review.status == DELETED:
        raise NotFound("review_not_found", f"review {review_id} does not exist")
    shop_for_staff(session, actor, review.shop_id)
    return review


def _published(review: Review) -> None:
    if review.status != PUBLISHED:
        raise Conflict(
            "review_not_published",
            f"review {review.id} is not published ({review.status}): it cannot be answered",
        )


def _reply_locked(session: Session, review_id: int) -> ReviewReply:
    reply = session.scalars(
        select(ReviewReply).where(ReviewReply.review_id == review_id).with_for_update()
    ).first()
    if reply is None:
        raise NotFound("reply_not_found", f"review {review_id} has no reply")
    return reply


def _dump(warnings: list[FindingView]) -> str:
    return json.dumps([w.model_dump() for w in warnings], ensure_ascii=False)


def create_reply(
    platform: Platform, actor: Principal, review_id: int, text: str, *, automatic: bool = False
) -> ReplyView:
    """Publish the shop's reply to a review (one per review), after the compliance check."""
    body = reply_text(text)
    with platform.db.write() as session:
        review = _review(session, actor, review_id)
        _published(review)
        if session.scalar(select(ReviewReply.id).where(ReviewReply.review_id == review.id)):
            raise Conflict("reply_exists", "This review already has a reply; edit it instead.")
        warnings = compliant_warnings(session, review, body)
        now = platform.now()
        reply = ReviewReply(
            shop_id=review.shop_id,
            review_id=review.id,
            body=body,
            warnings=_dump(warnings),
            author=actor.key,
            automatic=automatic,
            version=1,
            created_at=now,
            updated_at=now,
        )
        session.add(reply)
        try:
            session.flush()
        except IntegrityError:
            # Another request answered the review at the same moment.
            raise Conflict("reply_exists", "This review already has a reply.") from None
        audit(
            session,
            actor,
            "reply.create",
            "review",
            review.id,
            review.shop_id,
            {"text": body, "automatic": automatic, "warnings": [w.rule for w in warnings]},
        )
        return _view(reply)


def edit_reply(platform: Platform, actor: Principal, review_id: int, text: str) -> ReplyView:
    """Replace the reply's text (checked again); the previous text stays in the audit log."""
    body = reply_text(text)
    with platform.db.write() as session:
        review = _review(session, actor, review_id)
        reply = _reply_locked(session, review.id)
        if body == reply.body:
            return _view(reply)
        _published(review)
        warnings = compliant_warnings(session, review, body)
        previous, previous_version = reply.body, reply.version
        reply.body = body
        reply.warnings = _dump(warnings)
        reply.author = actor.key
        # The text is now a person's, whatever wrote the one it replaces.
        reply.automatic = False
        reply.version += 1
        reply.updated_at = platform.now()
        audit(
            session,
            actor,
            "reply.edit",
            "review",
            review.id,
            review.shop_id,
            {
                "previous": previous,
                "previous_version": previous_version,
                "text": body,
                "version": reply.version,
                "warnings": [w.rule for w in warnings],
            },
        )
        return _view(reply)


def delete_reply(platform: Platform, actor: Principal, review_id: int) -> None:
    """Take the reply down; its text stays in the audit log."""
    with platform.db.write() as session:
        review = _review(session, actor, review_id)
        reply = _reply_locked(session, review.id)
        audit(
            session,
            actor,
            "reply.delete",
            "review",
            review.id,
            review.shop_id,
            {"text": reply.body, "version": reply.version},
        )
        session.delete(reply)


def get_reply(platform: Platform, actor: Principal, review_id: int) -> ReplyView:
    """The reply with its warnings (the shop's staff, moderators)."""
    with platform.db.read() as session:
        if actor.is_moderator:
            review = session.get(Review, review_id)
            if review is None or review.status == DELETED:
                raise NotFound("review_not_found", f"review {review_id} does not exist")
        else:
            review = _review(session, actor, review_id)
        reply = session.scalars(
            select(ReviewReply).where(ReviewReply.review_id == review.id)
        ).first()
        if reply is None:
            raise NotFound("reply_not_found", f"review {review_id} has no reply")
        return _view(reply)
