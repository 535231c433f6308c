"""Review promotions and their coupons (product.md §1 "Review coupons").

A coupon is issued in the same transaction as the review change that makes the review
qualify, under a lock on the promotion row, so a promotion's budget is never exceeded by
concurrent reviews. Coupons are never revoked: a review edited below the threshold after
its coupon was issued keeps the coupon (the buyer acted in good faith when it was issued),
and deleting and writing the review again never earns a second one (one coupon per order
line per promotion). A review whose photo arrives after the promotion ended earns nothing:
the promotion no longer issues coupons.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from decimal import Decimal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from reviewdesk.db.catalog import Product, Shop
from reviewdesk.db.coupons import Coupon, ReviewPromotion, ReviewPromotionProduct
from reviewdesk.db.orders import Order
from reviewdesk.db.reviews import Review
from reviewdesk.domain.coupons import (
    Discount,
    DiscountKind,
    PromotionChange,
    PromotionFacts,
    PromotionStatus,
    ReviewFacts,
    check_edit,
    check_window,
    coupon_expiry,
    promotion_status,
    qualifies,
    windows_overlap,
)
from reviewdesk.domain.principals import Principal
from reviewdesk.errors import Conflict, NotAllowed, NotFound
from reviewdesk.services.access import audit, require_buyer, shop_for_staff
from reviewdesk.services.catalog import RecordId
from reviewdesk.services.platform import Platform

# Unambiguous characters only (no 0/O, 1/I/L): codes are read aloud and typed.
_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


class PromotionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=200)
    discount_kind: DiscountKind
    discount_value: Decimal = Field(gt=0, max_digits=12, decimal_places=2)
    currency: str | None = Field(None, pattern=r"^[A-Z]{3}$")
    covers_all: bool = False
    product_ids: list[RecordId] = Field(default_factory=list, max_length=10000)
    start_at: AwareDatetime
    end_at: AwareDatetime
    budget: int | None = Field(None, ge=1, le=10_000_000)
    coupon_days: int = Field(60, ge=1, le=3650)


class PromotionPatch(BaseModel):
    """Fields to change; the status decides which may (see ``check_edit``)."""

    model_config = ConfigDict(extra="forbid")
    name: str | None = Field(None, min_length=1, max_length=200)
    discount_kind: DiscountKind | None = None
    discount_value: Decimal | None = Field(None, gt=0, max_digits=12, decimal_places=2)
    covers_all: bool | None = None
    product_ids: list[RecordId] | None = Field(None, max_length=10000)
    start_at: AwareDatetime | None = None
    end_at: AwareDatetime | None = None
    budget: int | None = Field(None, ge=1, le=10_000_000)
    unlimited_budget: bool = False


class PromotionView(BaseModel):
    id: int
    shop_id: int
    name: str
    status: PromotionStatus
    discount_kind: DiscountKind
    discount_value: Decimal
    currency: str | None
    covers_all: bool
    product_ids: list[int]
    start_at: datetime
    end_at: datetime
    budget: int | None
    coupon_days: int
    reviews: int = Field(description="Incentivized reviews (coupons issued)")
    coupons_used: int
    cost: Decimal = Field(description="What used coupons took off, as the order feed reported")


class CouponView(BaseModel):
    id: int
    code: str
    promotion_id: int
    review_id: int
    discount_kind: DiscountKind
    discount_value: Decimal
    issued_at: datetime
    expires_at: datetime
    redeemed_at: datetime | None


class CouponOverview(BaseModel):
    incentivized_reviews: int
    incentivized_reviews_url: str
    coupons_issued: int
    coupons_used: int
    promotions: list[PromotionView]


class CouponUseIn(BaseModel):
    """A coupon the order system reports used on an order."""

    model_config = ConfigDict(extra="forbid")
    code: str = Field(min_length=4, max_length=32)
    amount: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2)


def _product_ids(session: Session, promotion_id: int) -> list[int]:
    return list(
        session.scalars(
            select(ReviewPromotionProduct.product_id)
            .where(ReviewPromotionProduct.promotion_id == promotion_id)
            .order_by(ReviewPromotionProduct.product_id)
        )
    )


def _view(session: Session, promotion: ReviewPromotion, now: datetime) -> PromotionView:
    used, cost = session.execute(
        select(
            func.count(Coupon.id),
            func.coalesce(func.sum(func.coalesce(Coupon.redeemed_amount, 0)), 0),
        ).where(Coupon.promotion_id == promotion.id, Coupon.redeemed_at.is_not(None))
    ).one()
    return PromotionView(
        id=promotion.id,
        shop_id=promotion.shop_id,
        name=promotion.name,
        status=promotion_status(
            promotion.start_at, promotion.end_at, promotion.deactivated_at, now
        ),
        discount_kind=DiscountKind(promotion.discount_kind),
        discount_value=promotion.discount_value,
        currency=promotion.currency,
        covers_all=promotion.covers_all,
        product_ids=[] if promotion.covers_all else _product_ids(session, promotion.id),
        start_at=promotion.start_at,
        end_at=promotion.end_at,
        budget=promotion.budget,
        coupon_days=promotion.coupon_days,
        reviews=promotion.issued_count,
        coupons_used=int(used),
        cost=Decimal(cost),
    )


def _check_products(session: Session, shop_id: int, product_ids: list[int]) -> None:
    listed = set(
        session.scalars(
            select(Product.id).where(
                Product.shop_id == shop_id,
                Product.id.in_(product_ids),
                Product.removed_at.is_(None),
            )
        )
    )
    missing = sorted(set(product_ids) - listed)
    if missing:
        raise NotFound(
            "product_not_found",
            f"products {missing} are not listed in this shop",
            field="product_ids",
        )


def _check_no_conflict(
    session: Session,
    shop_id: int,
    promotion_id: int | None,
    start_at: datetime,
    end_at: datetime,
    covers_all: bool,
    product_ids: set[int],
) -> None:
    """At most one promotion covers a product at any moment (deactivated ones aside)."""
    others = session.scalars(
        select(ReviewPromotion).where(
            ReviewPromotion.shop_id == shop_id,
            ReviewPromotion.deactivated_at.is_(None),
            ReviewPromotion.id != (promotion_id or 0),
            ReviewPromotion.start_at < end_at,
            ReviewPromotion.end_at > start_at,
        )
    )
    for other in others:
        assert windows_overlap(start_at, end_at, other.start_at, other.end_at)
        shared = (
            covers_all
            or other.covers_all
            or bool(product_ids & set(_product_ids(session, other.id)))
        )
        if shared:
            raise Conflict(
                "promotion_conflict",
                f"promotion {other.id} ({other.name!r}, {other.start_at.isoformat()} to "
                f"{other.end_at.isoformat()}) already covers these products at that time",
                conflicting_promotion_id=other.id,
            )


def _lock_shop(session: Session, actor: Principal, shop_id: int) -> Shop:
    # Promotion writes of one shop are serialised, so two cannot both pass the conflict check.
    shop_for_staff(session, actor, shop_id)
    return session.scalars(select(Shop).where(Shop.id == shop_id).with_for_update()).one()


def create_promotion(
    platform: Platform, actor: Principal, shop_id: int, promotion: PromotionIn
) -> PromotionView:
    """Create a review promotion (the shop's staff)."""
    check_window(promotion.start_at, promotion.end_at)
    Discount(promotion.discount_kind, promotion.discount_value).check()
    products = sorted(set(promotion.product_ids))
    with platform.db.write() as session:
        _lock_shop(session, actor, shop_id)
        if not promotion.covers_all:
            if not products:
                raise Conflict(
                    "no_products", "a promotion covers all products or a list", field="product_ids"
                )
            _check_products(session, shop_id, products)
        _check_no_conflict(
            session,
            shop_id,
            None,
            promotion.start_at,
            promotion.end_at,
            promotion.covers_all,
            set(products),
        )
        row = ReviewPromotion(
            shop_id=shop_id,
            name=promotion.name.strip(),
            discount_kind=promotion.discount_kind.value,
            discount_value=promotion.discount_value,
            currency=promotion.currency,
            covers_all=promotion.covers_all,
            start_at=promotion.start_at,
            end_at=promotion.end_at,
            budget=promotion.budget,
            issued_count=0,
            coupon_days=promotion.coupon_days,
        )
        session.add(row)
        session.flush()
        for product_id in [] if promotion.covers_all else products:
            session.add(
                ReviewPromotionProduct(shop_id=shop_id, promotion_id=row.id, product_id=product_id)
            )
        session.flush()
        audit(session, actor, "promotion.create", "promotion", row.id, shop_id, {"name": row.name})
        return _view(session, row, platform.now())


def _promotion_of(session: Session, shop_id: int, promotion_id: int) -> ReviewPromotion:
    row = session.get(ReviewPromotion, promotion_id)
    if row is None or row.shop_id != shop_id:
        raise NotFound("promotion_not_found", f"promotion {promotion_id} is not in shop {shop_id}")
    return row


def _promotion_locked(session: Session, shop_id: int, promotion_id: int) -> ReviewPromotion:
    row = session.scalars(
        select(ReviewPromotion).where(ReviewPromotion.id == promotion_id).with_for_update()
    ).first()
    if row is None or row.shop_id != shop_id:
        raise NotFound("promotion_not_found", f"promotion {promotion_id} is not in shop {shop_id}")
    return row


def update_promotion(
    platform: Platform, actor: Principal, shop_id: int, promotion_id: int, patch: PromotionPatch
) -> PromotionView:
    """Change a promotion within what its status allows."""
    now = platform.now()
    with platform.db.write() as session:
        _lock_shop(session, actor, shop_id)
        row = _promotion_locked(session, shop_id, promotion_id)
        status = promotion_status(row.start_at, row.end_at, row.deactivated_at, now)
        discount = None
        if patch.discount_kind is not None or patch.discount_value is not None:
            discount = Discount(
                patch.discount_kind or DiscountKind(row.discount_kind),
                patch.discount_value or row.discount_value,
            )
            discount.check()
        products_changed = patch.product_ids is not None or (
            patch.covers_all is not None and patch.covers_all != row.covers_all
        )
        check_edit(
            status,
            PromotionChange(
                name=patch.name,
                discount=discount,
                start_at=patch.start_at,
                end_at=patch.end_at,
                budget=patch.budget,
                clear_budget=patch.unlimited_budget,
                products_changed=products_changed,
            ),
            end_at=row.end_at,
            issued=row.issued_count,
            now=now,
        )
        start_at = patch.start_at or row.start_at
        end_at = patch.end_at or row.end_at
        check_window(start_at, end_at)
        covers_all = row.covers_all if patch.covers_all is None else patch.covers_all
        products = (
            sorted(set(patch.product_ids))
            if patch.product_ids is not None
            else _product_ids(session, row.id)
        )
        if not covers_all:
            if not products:
                raise Conflict(
                    "no_products", "a promotion covers all products or a list", field="product_ids"
                )
            _check_products(session, shop_id, products)
        _check_no_conflict(session, shop_id, row.id, start_at, end_at, covers_all, set(products))
        if patch.name is not None:
            row.name = patch.name.strip()
        if discount is not None:
            row.discount_kind, row.discount_value = discount.kind.value, discount.value
        row.start_at, row.end_at, row.covers_all = start_at, end_at, covers_all
        if patch.unlimited_budget:
            row.budget = None
        elif patch.budget is not None:
            row.budget = patch.budget
        if products_changed:
            session.execute(
                delete(ReviewPromotionProduct).where(ReviewPromotionProduct.promotion_id == row.id)
            )
            for product_id in [] if covers_all else products:
                session.add(
                    ReviewPromotionProduct(
                        shop_id=shop_id, promotion_id=row.id, product_id=product_id
                    )
                )
        session.flush()
        audit(
            session,
            actor,
            "promotion.update",
            "promotion",
            row.id,
            shop_id,
            patch.model_dump(exclude_unset=True, mode="json"),
        )
        return _view(session, row, now)


def deactivate_promotion(
    platform: Platform, actor: Principal, shop_id: int, promotion_id: int
) -> PromotionView:
    """Stop a promotion now; coupons already issued stay valid."""
    now = platform.now()
    with platform.db.write() as session:
        _lock_shop(session, actor, shop_id)
        row = _promotion_locked(session, shop_id, promotion_id)
        status = promotion_status(row.start_at, row.end_at, row.deactivated_at, now)
        if status in (PromotionStatus.ENDED, PromotionStatus.DEACTIVATED):
            raise Conflict("promotion_closed", f"the promotion is already {status.value}")
        row.deactivated_at = now
        audit(session, actor, "promotion.deactivate", "promotion", row.id, shop_id, {})
        return _view(session, row, now)


def get_promotion(
    platform: Platform, actor: Principal, shop_id: int, promotion_id: int
) -> PromotionView:
    """One promotion with its figures."""
    with platform.db.read() as session:
        shop_for_staff(session, actor, shop_id)
        row = _promotion_of(session, shop_id, promotion_id)
        return _view(session, row, platform.now())


def coupons_overview(platform: Platform, actor: Principal, shop_id: int) -> CouponOverview:
    """Incentivized reviews, coupons issued and used, and every promotion with its figures."""
    now = platform.now()
    with platform.db.read() as session:
        shop_for_staff(session, actor, shop_id)
        rows = session.scalars(
            select(ReviewPromotion)
            .where(ReviewPromotion.shop_id == shop_id)
            .order_by(ReviewPromotion.start_at.desc())
        )
        promotions = [_view(session, row, now) for row in rows]
        incentivized = (
            session.scalar(
                select(func.count(Review.id)).where(
                    Review.shop_id == shop_id,
                    Review.is_incentivized.is_(True),
                    Review.status != "deleted",
                )
            )
            or 0
        )
        issued, used = session.execute(
            select(func.count(Coupon.id), func.count(Coupon.redeemed_at)).where(
                Coupon.shop_id == shop_id
            )
        ).one()
        return CouponOverview(
            incentivized_reviews=int(incentivized),
            incentivized_reviews_url=f"/api/v1/shops/{shop_id}/reviews?incentivized=true",
            coupons_issued=int(issued),
            coupons_used=int(used),
            promotions=promotions,
        )


def list_promotion_coupons(
    platform: Platform, actor: Principal, shop_id: int, promotion_id: int
) -> list[CouponView]:
    """The coupons a promotion issued ("view data")."""
    with platform.db.read() as session:
        shop_for_staff(session, actor, shop_id)
        _promotion_of(session, shop_id, promotion_id)
        coupons = session.scalars(
            select(Coupon).where(Coupon.promotion_id == promotion_id).order_by(Coupon.id)
        )
        return [_coupon_view(c) for c in coupons]


def list_my_coupons(platform: Platform, actor: Principal) -> list[CouponView]:
    """The buyer's own coupons, newest first."""
    buyer_id = require_buyer(actor)
    with platform.db.read() as session:
        coupons = session.scalars(
            select(Coupon).where(Coupon.buyer_id == buyer_id).order_by(Coupon.id.desc())
        )
        return [_coupon_view(c) for c in coupons]


def _coupon_view(coupon: Coupon) -> CouponView:
    return CouponView(
        id=coupon.id,
        code=coupon.code,
        promotion_id=coupon.promotion_id,
        review_id=coupon.review_id,
        discount_kind=DiscountKind(coupon.discount_kind),
        discount_value=coupon.discount_value,
        issued_at=coupon.issued_at,
        expires_at=coupon.expires_at,
        redeemed_at=coupon.redeemed_at,
    )


# ---- called by the review and order services, inside their transactions ----------------


def issue_for_review(session: Session, review: Review, now: datetime) -> Coupon | None:
    """Issue the review's coupon when it now qualifies for the promotion covering it."""
    if review.order_line_id is None or review.buyer_id is None or review.source != "native":
        return None
    candidates = session.scalars(
        select(ReviewPromotion).where(
            ReviewPromotion.shop_id == review.shop_id,
            ReviewPromotion.deactivated_at.is_(None),
            ReviewPromotion.start_at <= review.created_at,
            ReviewPromotion.end_at > review.created_at,
            ReviewPromotion.end_at > now,
        )
    )
    for candidate in candidates:
        facts = PromotionFacts(
            start_at=candidate.start_at,
            end_at=candidate.end_at,
            deactivated_at=candidate.deactivated_at,
            covers_all=candidate.covers_all,
            product_ids=frozenset(_product_ids(session, candidate.id)),
        )
        review_facts = ReviewFacts(
            written_at=review.created_at,
            product_id=review.product_id,
            text=review.body,
            title=review.title,
            photo_count=review.photo_count,
            video_count=review.video_count,
        )
        if not qualifies(review_facts, facts):
            continue
        # Re-read under the lock: the row loaded above may be stale by now.
        promotion = session.scalars(
            select(ReviewPromotion)
            .where(ReviewPromotion.id == candidate.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        ).one()
        earned = session.scalar(
            select(Coupon.id).where(
                Coupon.promotion_id == promotion.id, Coupon.order_line_id == review.order_line_id
            )
        )
        if earned is not None:
            return None
        if promotion.budget is not None and promotion.issued_count >= promotion.budget:
            return None
        promotion.issued_count += 1
        coupon = Coupon(
            shop_id=review.shop_id,
            promotion_id=promotion.id,
            review_id=review.id,
            order_line_id=review.order_line_id,
            buyer_id=review.buyer_id,
            code="".join(secrets.choice(_ALPHABET) for _ in range(12)),
            discount_kind=promotion.discount_kind,
            discount_value=promotion.discount_value,
            issued_at=now,
            expires_at=coupon_expiry(now, promotion.coupon_days),
        )
        session.add(coupon)
        review.is_incentivized = True
        session.flush()
        return coupon
    return None


def redeem(session: Session, order: Order, uses: list[CouponUseIn], now: datetime) -> bool:
    """Mark the coupons an order used; True when anything changed."""
    changed = False
    for index, use in enumerate(uses):
        where = f"coupons[{index}].code"
        coupon = session.scalars(
            select(Coupon).where(Coupon.code == use.code.strip().upper()).with_for_update()
        ).first()
        if coupon is None or coupon.shop_id != order.shop_id:
            raise NotFound(
                "coupon_not_found", f"{where}: no coupon {use.code!r} in this shop", field=where
            )
        if coupon.redeemed_order_id == order.id:
            continue
        if coupon.buyer_id != order.buyer_id:
            raise NotAllowed(
                "coupon_not_yours", f"{where}: the coupon belongs to another buyer", field=where
            )
        if coupon.redeemed_at is not None:
            raise Conflict(
                "coupon_already_used", f"{where}: the coupon was used on another order", field=where
            )
        if order.placed_at > coupon.expires_at:
            raise Conflict(
                "coupon_expired",
                f"{where}: the coupon expired on {coupon.expires_at.date().isoformat()}",
                field=where,
            )
        coupon.redeemed_at = now
        coupon.redeemed_order_id = order.id
        coupon.redeemed_amount = (
            use.amount
            if use.amount is not None
            else coupon.discount_value
            if coupon.discount_kind == "fixed"
            else None
        )
        changed = True
    return changed
