"""Review text engine: language, sentiment, complaint categories, aspects, personal data,
reply compliance and moderation signals. Pure functions, no I/O beyond loading the
shipped model files once per process."""

from reviewdesk.analytics.categories import CATEGORY_CODES, classify_complaint, complaint_group
from reviewdesk.analytics.language import detect_language
from reviewdesk.analytics.personal_data import find_personal_data, mask_personal_data
from reviewdesk.analytics.pipeline import analyze, analyze_one
from reviewdesk.analytics.replies import check_reply
from reviewdesk.analytics.results import (
    CategoryScore,
    Finding,
    ReplyCheck,
    ReplyInput,
    ReviewAnalysis,
    ReviewInput,
    Sentiment,
    Span,
)

__all__ = [
    "CATEGORY_CODES",
    "CategoryScore",
    "Finding",
    "ReplyCheck",
    "ReplyInput",
    "ReviewAnalysis",
    "ReviewInput",
    "Sentiment",
    "Span",
    "analyze",
    "analyze_one",
    "check_reply",
    "classify_complaint",
    "complaint_group",
    "detect_language",
    "find_personal_data",
    "mask_personal_data",
]
