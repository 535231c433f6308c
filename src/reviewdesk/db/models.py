"""Every table, imported in one place so that metadata and Alembic see them all."""

from reviewdesk.db.access import ApiToken, AuditEntry, IdempotencyRecord
from reviewdesk.db.alerts import (
    AlertEvent,
    AlertRule,
    Delivery,
    DeliveryAttempt,
    InboxItem,
    WebhookEndpoint,
)
from reviewdesk.db.base import Base
from reviewdesk.db.catalog import (
    ExternalId,
    Product,
    ProductCode,
    SellerAccount,
    SellerMember,
    Shop,
    Variant,
)
from reviewdesk.db.coupons import Coupon, ReviewPromotion, ReviewPromotionProduct
from reviewdesk.db.imports import ImportedReview, ImportJob, ImportLink, ImportProblem
from reviewdesk.db.moderation import (
    CaseMessage,
    ModerationDecision,
    ReportEvidence,
    ReviewAnalysis,
    ReviewCase,
    ReviewReply,
    ReviewReport,
)
from reviewdesk.db.orders import Buyer, Order, OrderEvent, OrderLine
from reviewdesk.db.reviews import (
    HelpfulVote,
    ProductRatingSummary,
    Review,
    ReviewMedia,
    ReviewRevision,
    ShopRatingSummary,
)

__all__ = [
    "AlertEvent",
    "AlertRule",
    "Delivery",
    "DeliveryAttempt",
    "InboxItem",
    "WebhookEndpoint",
    "ApiToken",
    "AuditEntry",
    "Base",
    "Buyer",
    "CaseMessage",
    "Coupon",
    "ExternalId",
    "HelpfulVote",
    "IdempotencyRecord",
    "ModerationDecision",
    "ImportJob",
    "ImportLink",
    "ImportProblem",
    "ImportedReview",
    "Order",
    "OrderEvent",
    "OrderLine",
    "Product",
    "ProductCode",
    "ProductRatingSummary",
    "ReportEvidence",
    "Review",
    "ReviewAnalysis",
    "ReviewCase",
    "ReviewPromotion",
    "ReviewPromotionProduct",
    "ReviewMedia",
    "ReviewReply",
    "ReviewReport",
    "ReviewRevision",
    "SellerAccount",
    "SellerMember",
    "Shop",
    "ShopRatingSummary",
    "Variant",
]
