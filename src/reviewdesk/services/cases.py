"""Private cases: the seller's follow-up with the buyer of a negative or neutral review
(product.md §1 "Private follow-up"; the status rules are in ``domain.cases``).

- The shop's staff open a case with a first message, for a published native review with a
  buyer, of 1-3 stars or whose stored analysis (``ReviewAnalysis`` of the review's current
  version) reads it as negative or neutral. One case per review, ever: a resolved case is
  reopened by a new message, not by a second case.
- Messages come from the two parties only: the shop's staff (the operator counts as staff)
  and the buyer who wrote the review. Moderators read every case and write none.
- A seller's message passes the blocking rules of the reply compliance check that are
  about conduct (incentive, review_change_request, abuse): pressure to change a review is
  no more allowed in private than in public. Personal data and other channels are what a
  private case is for, so those rules do not apply; warnings are not reported.
- A case is readable by its two parties and moderators, and nothing of it is public: no
  public service reads these tables.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from reviewdesk.analytics import check_reply
from reviewdesk.db.catalog import Shop
from reviewdesk.db.moderation import CaseMessage, ReviewAnalysis, ReviewCase
from reviewdesk.db.reviews import Review
from reviewdesk.domain.cases import (
    CaseParty,
    CaseStatus,
    Resolution,
    check_may_open,
    check_may_resolve,
    message_text,
    status_after_message,
)
from reviewdesk.domain.pagination import decode_cursor, encode_cursor
from reviewdesk.domain.principals import Principal, Role, may_manage_seller
from reviewdesk.domain.ratings import PUBLISHED
from reviewdesk.errors import Conflict, InvalidInput, NotAllowed, NotFound
from reviewdesk.services.access import audit, require_buyer, shop_for_staff
from reviewdesk.services.catalog import Page
from reviewdesk.services.platform import Platform
from reviewdesk.services.replies import finding_views
from reviewdesk.services.reviews import DELETED

# The rules of the reply check that also bind a seller in private.
PRIVATE_BLOCKING_RULES = frozenset({"incentive", "review_change_request", "abuse"})


class CaseOpenIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    message: str = Field(max_length=20_000, description="The first message to the buyer")


class CaseMessageIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(max_length=20_000)


class CaseResolveIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    resolution: Resolution


class CaseMessageView(BaseModel):
    id: int
    author: CaseParty
    text: str
    created_at: datetime


class CaseSummary(BaseModel):
    """A case without its messages (lists)."""

    id: int
    shop_id: int
    shop_name: str
    review_id: int
    product_id: int
    rating: int
    status: CaseStatus
    resolution: Resolution | None
    created_at: datetime
    updated_at: datetime
    resolved_at: datetime | None


class CaseView(CaseSummary):
    """A case with its messages, oldest first."""

    messages: list[CaseMessageView]


def _summaries(session: Session, cases: list[ReviewCase]) -> list[CaseSummary]:
    review_ids = [c.review_id for c in cases]
    shop_ids = sorted({c.shop_id for c in cases})
    reviews = {
        rid: (product_id, rating)
        for rid, product_id, rating in session.execute(
            select(Review.id, Review.product_id, Review.rating).where(Review.id.in_(review_ids))
        )
    }
    shops = dict(session.execute(select(Shop.id, Shop.name).where(Shop.id.in_(shop_ids))).all())
    return [
        CaseSummary(
            id=c.id,
            shop_id=c.shop_id,
            shop_name=shops[c.shop_id],
            review_id=c.review_id,
            product_id=reviews[c.review_id][0],
            rating=reviews[c.review_id][1],
            status=CaseStatus(c.status),
            resolution=Resolution(c.resolution) if c.resolution else None,
            created_at=c.created_at,
            updated_at=c.updated_at,
            resolved_at=c.resolved_at,
        )
        for c in cases
    ]


def _view(session: Session, case: ReviewCase) -> CaseView:
    messages = session.scalars(
        select(CaseMessage).where(CaseMessage.case_id == case.id).order_by(CaseMessage.id)
    )
    return CaseView(
        **_summaries(session, [case])[0].model_dump(),
        messages=[
            CaseMessageView(
                id=m.id, author=CaseParty(m.author_role), text=m.body, created_at=m.created_at
            )
            for m in messages
        ],
    )


def _stored_sentiment(session: Session, review: Review) -> str | None:
    """The analysed sentiment of the review's current version, if there is one."""
    found = session.execute(
        select(ReviewAnalysis.sentiment, ReviewAnalysis.version).where(
            ReviewAnalysis.review_id == review.id
        )
    ).first()
    return found[0] if found is not None and found[1] == review.version else None


def _check_seller_text(review: Review, text: str) -> None:
    result = check_reply(text, None, review.rating)
    findings = [f for f in result.findings if f.rule in PRIVATE_BLOCKING_RULES]
    if findings:
        rules = ", ".join(sorted({f.rule for f in findings}))
        raise InvalidInput(
            "message_not_compliant",
            f"The message breaks the rules sellers follow with buyers ({rules}); see findings.",
            field="text",
            findings=[f.model_dump() for f in finding_views(findings)],
        )


def _party(session: Session, actor: Principal, case: ReviewCase) -> CaseParty | None:
    """Which side of the case the actor is on (None: a moderator reading); others refused."""
    if actor.role is Role.BUYER:
        if actor.buyer_id != case.buyer_id:
            raise NotAllowed("not_your_case", "This case is between a shop and another buyer.")
        return CaseParty.BUYER
    shop = session.get(Shop, case.shop_id)
    assert shop is not None
    if may_manage_seller(actor, shop.seller_id):
        return CaseParty.SELLER
    if actor.is_moderator:
        return None
    raise NotAllowed("not_your_shop", "This case belongs to another seller's shop.")


def _case(session: Session, case_id: int, *, lock: bool = False) -> ReviewCase:
    query = select(ReviewCase).where(ReviewCase.id == case_id)
    case = session.scalars(query.with_for_update() if lock else query).first()
    if case is None:
        raise NotFound("case_not_found", f"case {case_id} does not exist")
    return case


def _add_message(
    session: Session, case: ReviewCase, party: CaseParty, actor: Principal, body: str, at: datetime
) -> CaseMessage:
    message = CaseMessage(
        shop_id=case.shop_id,
        case_id=case.id,
        author_role=party.value,
        author=actor.key,
        body=body,
        created_at=at,
    )
    session.add(message)
    session.flush()
    return message


def open_case(platform: Platform, actor: Principal, review_id: int, message: str) -> CaseView:
    """The shop's staff open a private case about a negative or neutral review."""
    body = message_text(message)
    with platform.db.write() as session:
        review = session.get(Review, review_id)
        if review is None or review.status == DELETED:
            raise NotFound("review_not_found", f"review {review_id} does not exist")
        shop_for_staff(session, actor, review.shop_id)
        if review.status != PUBLISHED:
            raise Conflict("review_not_published", f"review {review_id} is not published")
        if review.source != "native" or review.buyer_id is None:
            raise Conflict(
                "review_not_native",
                "A private case needs the buyer of a native review; this review was imported.",
            )
        existing = session.scalar(select(ReviewCase.id).where(ReviewCase.review_id == review.id))
        if existing is not None:
            raise Conflict("case_exists", "This review already has a case.", case_id=int(existing))
        check_may_open(review.rating, _stored_sentiment(session, review))
        _check_seller_text(review, body)
        now = platform.now()
        case = ReviewCase(
            shop_id=review.shop_id,
            review_id=review.id,
            buyer_id=review.buyer_id,
            status=status_after_message(CaseParty.SELLER).value,
            resolution=None,
            opened_by=actor.key,
            created_at=now,
            updated_at=now,
        )
        session.add(case)
        try:
            session.flush()
        except IntegrityError:
            raise Conflict("case_exists", "This review already has a case.") from None
        _add_message(session, case, CaseParty.SELLER, actor, body, now)
        audit(session, actor, "case.open", "review_case", case.id, case.shop_id, {})
        return _view(session, case)


def get_case(platform: Platform, actor: Principal, case_id: int) -> CaseView:
    """A case with its messages: for its two parties and moderators."""
    with platform.db.read() as session:
        case = _case(session, case_id)
        _party(session, actor, case)
        return _view(session, case)


def add_message(platform: Platform, actor: Principal, case_id: int, text: str) -> CaseView:
    """A message from the seller or the buyer; it sets the status (and reopens a resolved
    case)."""
    body = message_text(text)
    with platform.db.write() as session:
        case = _case(session, case_id, lock=True)
        party = _party(session, actor, case)
        if party is None:
            raise NotAllowed("not_case_party", "Moderators read cases; only the parties write.")
        if party is CaseParty.SELLER:
            review = session.get(Review, case.review_id)
            assert review is not None
            _check_seller_text(review, body)
        now = platform.now()
        message = _add_message(session, case, party, actor, body, now)
        previous = CaseStatus(case.status)
        case.status = status_after_message(party).value
        case.updated_at = now
        detail: dict[str, object] = {"message_id": message.id, "status": case.status}
        if previous is CaseStatus.RESOLVED:
            detail.update(reopened=True, previous_resolution=case.resolution)
            case.resolution = None
            case.resolved_at = None
        audit(session, actor, "case.message", "review_case", case.id, case.shop_id, detail)
        return _view(session, case)


def resolve_case(
    platform: Platform, actor: Principal, case_id: int, resolution: Resolution | str
) -> CaseView:
    """The shop's staff record how the case was resolved."""
    try:
        outcome = Resolution(resolution)
    except ValueError:
        names = ", ".join(r.value for r in Resolution)
        raise InvalidInput(
            "invalid_resolution",
            f"resolution must be one of {names}, got {resolution!r}",
            field="resolution",
        ) from None
    with platform.db.write() as session:
        case = _case(session, case_id, lock=True)
        party = _party(session, actor, case)
        if party is not CaseParty.SELLER:
            raise NotAllowed("seller_only", "Only the shop's staff resolve a case.")
        check_may_resolve(CaseStatus(case.status))
        now = platform.now()
        case.status = CaseStatus.RESOLVED.value
        case.resolution = outcome.value
        case.resolved_at = now
        case.updated_at = now
        audit(
            session,
            actor,
            "case.resolve",
            "review_case",
            case.id,
            case.shop_id,
            {"resolution": outcome.value},
        )
        return _view(session, case)


def _page(
    session: Session, query: Select[ReviewCase], cursor: str | None, limit: int
) -> Page[CaseSummary]:
    if cursor:
        (after,) = decode_cursor(cursor, "cases", 1)
        if not isinstance(after, int):
            raise InvalidInput("invalid_cursor", "cursor is not one this list returned")
        query = query.where(ReviewCase.id < after)
    rows = list(session.scalars(query.order_by(ReviewCase.id.desc()).limit(limit + 1)))
    return Page[CaseSummary](
        items=_summaries(session, rows[:limit]),
        next_cursor=encode_cursor("cases", [rows[limit - 1].id]) if len(rows) > limit else None,
    )


def list_shop_cases(
    platform: Platform,
    actor: Principal,
    shop_id: int,
    *,
    status: CaseStatus | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> Page[CaseSummary]:
    """A shop's cases, newest first (the shop's staff, moderators)."""
    limit = max(1, min(limit, platform.settings.max_page_size))
    with platform.db.read() as session:
        if actor.is_moderator:
            if session.get(Shop, shop_id) is None:
                raise NotFound("shop_not_found", f"shop {shop_id} does not exist")
        else:
            shop_for_staff(session, actor, shop_id)
        query = select(ReviewCase).where(ReviewCase.shop_id == shop_id)
        if status is not None:
            query = query.where(ReviewCase.status == CaseStatus(status).value)
        return _page(session, query, cursor, limit)


def list_my_cases(
    platform: Platform,
    actor: Principal,
    *,
    status: CaseStatus | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> Page[CaseSummary]:
    """The buyer's own cases, newest first."""
    buyer_id = require_buyer(actor)
    limit = max(1, min(limit, platform.settings.max_page_size))
    with platform.db.read() as session:
        query = select(ReviewCase).where(ReviewCase.buyer_id == buyer_id)
        if status is not None:
            query = query.where(ReviewCase.status == CaseStatus(status).value)
        return _page(session, query, cursor, limit)
