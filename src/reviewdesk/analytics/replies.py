"""Reply compliance check (product spec §1 "Seller reply").

Blocking rules: ``personal_data``, ``incentive``, ``review_change_request``, ``redirect``,
``abuse``. Warnings: ``too_long``, ``no_acknowledgement``, ``promotional``.

The line between an allowed remedy and a bought review: a refund, replacement, voucher or
gift offered to fix the buyer's problem is fine; the same benefit in a sentence that also
asks for a review action (change, delete, hide, raise the rating, "5 stars") is an
incentive. A review action asked for without a benefit is a review change request.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from reviewdesk.analytics.moderation import find_abuse
from reviewdesk.analytics.personal_data import find_personal_data
from reviewdesk.analytics.results import Finding, ReplyCheck, ReplyInput, Severity
from reviewdesk.errors import InvalidInput

MAX_REPLY_CHARS = 500
BLOCKING_RULES = ("personal_data", "incentive", "review_change_request", "redirect", "abuse")
WARNING_RULES = ("too_long", "no_acknowledgement", "promotional")

_F = re.IGNORECASE | re.UNICODE

_REVIEW_NOUN = (
    r"(?:reviews?|ratings?|stars?|comments?|feedback|(?:5|five)[- ]stars?|"
    r"ulasan(?:nya)?|review(?:nya)?|rating(?:nya)?|bintang(?:nya)?|komentar(?:nya)?|"
    r"penilaian(?:nya)?|đánh giá|số sao|\d sao|bình luận|nhận xét)"
)
_CHANGE_VERB = (
    r"(?:chang(?:e|ed|ing)|edit(?:ed|ing|s)?|updat(?:e|ed|ing)|revis(?:e|ed|es|ing)|"
    r"delet(?:e|ed|ing)|remov(?:e|ed|ing)|hid(?:e|ing)|rais(?:e|ed|ing)|increas(?:e|ing)|"
    r"improv(?:e|ing)|upgrad(?:e|ing)|reconsider(?:ing)?|modif(?:y|ied)|withdraw|retract|"
    r"bump|ubah|mengubah|ganti|edit|hapus|menghapus|perbarui|memperbarui|update|revisi|"
    r"merevisi|naikkan|menaikkan|sembunyikan|turunkan|tarik|cabut|"
    r"xóa|xoá|sửa(?: lại)?|chỉnh sửa|cập nhật(?: lại)?|đổi(?: lại)?|gỡ|ẩn|nâng|thay đổi|rút)"
)
_PASSIVE_ID = (
    r"(?:diubah|diganti|diedit|dihapus|diperbarui|direvisi|diturunkan|disembunyikan|"
    r"dinaikkan|diupdate|ditarik)"
)
_TAKE_DOWN = r"take (?:\w+ ){0,2}down"
_GIVE_RATING = (
    r"(?:give|leave|rate|write|post)(?: us)? (?:a |an )?(?:5|five)[- ]?stars?(?: review)?|"
    r"(?:kasih|kasi|beri|berikan|kasih kami) (?:bintang ?5|5 bintang|rating 5)|"
    r"cho shop 5 sao|đánh giá 5 sao|(?:to|jadi|thành) (?:5|five)[- ]?(?:stars?|bintang|sao)"
    r"|(?:to|jadi|thành) bintang ?5|(?:for|leave|give|write|post)(?: us)? (?:a|an) "
    r"(?:positive|better|good|nice|5-star|five-star) review|"
    r"(?:ulasan|review)(?:nya)? (?:jadi )?positif|jadi positif|to positive|"
    r"thành tích cực|đánh giá (?:lại )?tốt hơn"
)
_ACTION_RE_SRC = (
    r"(?<!\w)(?:"
    + _CHANGE_VERB
    + r"(?:\s+[\w'’-]+){0,3}?\s+"
    + _REVIEW_NOUN
    + r"|"
    + _REVIEW_NOUN
    + r"(?:\s+[\w'’-]+){0,2}?\s+"
    + _PASSIVE_ID
    + r"|"
    + _TAKE_DOWN
    + r"|"
    + _GIVE_RATING
    + r"|đánh giá lại|(?:sửa|đổi|sửa lại|chỉnh) thành \d sao|(?:5|five)[- ]stars? instead"
    + r")(?!\w)"
)
# Review actions that are explicitly not asked for ("no need to change your review").
_ACTION_WAIVED_RE = re.compile(
    r"(?:regardless|no matter|whether or not|no need to|you don'?t (?:need|have) to|"
    r"don'?t need to|free to keep|tidak perlu|gak perlu|tanpa (?:harus|perlu)|"
    r"không cần|cứ giữ nguyên|tetap boleh)",
    _F,
)
_BENEFIT_RE = re.compile(
    r"(?<!\w)(?:refund(?:ed|s)?|money back|pay (?:you )?back|paid back|cash ?back|"
    r"\$\s?\d+|\d+\s?(?:usd|dollars?|rb|ribu|k|đ|vnd|rm)(?!\w)|discount(?: code)?|"
    r"\d+\s?% off|\d+%|voucher|coupon|promo code|gift|free(?! of charge)|bonus|reward|"
    r"store credit|compensat\w*|uang(?: \w+)? kembali|dikembalikan|kembalikan|cashback|"
    r"diskon|potongan|hadiah|gratis|transfer|saldo|hoàn tiền|trả lại(?: toàn bộ)? tiền|"
    r"giảm giá|giảm \d+|mã giảm giá|quà(?: tặng)?|miễn phí|tặng|chuyển khoản|tiền)(?!\w)",
    _F,
)
_REDIRECT_RE = re.compile(
    r"(?<!\w)(?:"
    r"instead of (?:a |writing |leaving |posting |giving )?(?:a |an )?(?:reviews?|reviewing|"
    r"rating|ratings)|rather than (?:in )?(?:the |a )?(?:reviews?|review section|rating)|"
    r"before (?:leaving|writing|posting|giving|you (?:rate|review|leave|write|post))"
    r"(?: a| us| your)?(?: review| rating| us)?|"
    r"not (?:here|in the reviews?|in the review section)|"
    r"reviews? (?:section )?(?:is|are) not the place|"
    r"(?:don'?t|do not|please don'?t) (?:post|leave|write|give)(?: \w+)? (?:reviews?|ratings?)"
    r"|complaints? should go to|contact us (?:on|via|through) \w+ instead|"
    r"(?:\w+ )?instead(?= of reviewing)|instead of reviewing|"
    r"sebelum (?:kasih|kasi|memberi|memberikan|menulis|nulis|kasih) (?:ulasan|rating|review|"
    r"bintang|penilaian)|daripada (?:tulis |kasih |memberi |nulis )?(?:ulasan|review|rating)|"
    r"jangan (?:langsung )?(?:kasih|beri|tulis|memberi|kasi)? ?(?:ulasan|review|rating)"
    r"(?: jelek| buruk| negatif)?|jangan di sini|bukan di (?:kolom )?(?:ulasan|review)|"
    r"ulasan bukan tempat|(?:kasih |memberi )?ulasan di sini|"
    r"trước khi đánh giá|rồi hãy đánh giá|thay vì đánh giá|đừng (?:đánh giá|viết)"
    r"(?: xấu| vội| ở đây)?|không phải (?:chỗ|nơi) để|không phải ở phần đánh giá|"
    r"đánh giá không phải"
    r")(?!\w)",
    _F,
)
_ACK_RE = re.compile(
    r"(?<!\w)(?:sorry|apolog\w*|regret|understand|hear that|inconvenience|frustrat\w*|"
    r"our (?:fault|mistake)|we(?:'ll| will)|we(?:'ve| have) \w+ed\b|refund\w*|replac\w*|"
    r"fix\w*|look(?:ing)? into|investigat\w*|because|due to|caused|explain\w*|"
    r"maaf|mengerti|paham|kami (?:akan|siap|bisa|kirim)|(?:sudah|telah) kami \w+|"
    r"kendala|karena|disebabkan|"
    r"ganti|tukar|retur|perbaiki|xin lỗi|rất tiếc|thông cảm|hiểu|shop (?:sẽ|đã)|hoàn tiền|"
    r"đổi|khắc phục|gửi|do |vì )",
    _F,
)
_PROMO_RE = re.compile(
    r"(?<!\w)(?:flash sale|big sale|sale (?:this|today|ends|now)|"
    r"\d+\s?% off (?:everything|all)|% off everything|"
    r"new (?:summer |winter )?collection|check out our|follow our (?:store|shop|page)|"
    r"buy \d+ get \d+|promo codes?|deals|don'?t miss|shop now|"
    r"diskon \d+\s?% semua|koleksi terbaru|beli \d+ gratis \d+|follow toko|cek koleksi|"
    r"jangan lewatkan|promo|giảm \d+\s?% tất cả|khuyến mãi|mua \d+ tặng \d+|"
    r"bộ sưu tập mới|theo dõi shop|đừng bỏ lỡ|xem ngay)(?!\w)",
    _F,
)
_APOLOGY_RE = re.compile(r"(?<!\w)(?:sorry|apolog\w*|maaf|xin lỗi|make (?:it|this) right)", _F)
_SENTENCE_RE = re.compile(r"[^.!?\n]+[.!?\n]*")

MESSAGES: dict[str, tuple[str, str]] = {
    "personal_data": (
        "The reply contains personal data ({kind}).",
        "Remove it; move personal details to the private case with the buyer, e.g. "
        '"We\'ve sent you the details in your order messages."',
    ),
    "incentive": (
        "The reply offers a benefit in exchange for a review or a change to one.",
        "Offer the remedy without any condition on the review, e.g. \"We're sorry — we've "
        'issued a full refund." and leave the review to the buyer.',
    ),
    "review_change_request": (
        "The reply asks the buyer to change, remove, hide or raise their review.",
        "Do not mention changing the review; say what you did to fix the problem, e.g. "
        '"A replacement is on its way."',
    ),
    "redirect": (
        "The reply steers the buyer's feedback away from reviews to another channel.",
        "Buyers may always review; offer help without discouraging reviews, e.g. "
        '"We\'re here to help in the order chat."',
    ),
    "abuse": (
        "The reply contains insulting, harassing or threatening language.",
        "Remove the insult or threat and reply politely to the substance of the review.",
    ),
    "too_long": (
        "The reply has {length} characters; the limit is 500.",
        "Shorten it to the apology, the fix and a thank-you; cut from here on.",
    ),
    "no_acknowledgement": (
        "The reply to a negative review neither acknowledges, apologises nor explains.",
        "Start with an acknowledgement and say what you will do, e.g. \"We're sorry the "
        "item arrived late — we've refunded the shipping fee.\"",
    ),
    "promotional": (
        "The reply reads as an advertisement.",
        "Answer the buyer's review; keep promotions for your shop page.",
    ),
}
_PII_NAMES = {
    "email": "an e-mail address",
    "phone": "a phone number",
    "card": "a payment card number",
    "national_id": "a national ID number",
    "address": "a street address",
    "person": "a person's name",
}


@cache
def _action_re() -> re.Pattern[str]:
    return re.compile(_ACTION_RE_SRC, _F)


def _sentences(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _SENTENCE_RE.finditer(text)] or [(0, len(text))]


def _finding(rule: str, start: int, end: int, **fmt: object) -> Finding:
    message, suggestion = MESSAGES[rule]
    severity: Severity = "block" if rule in BLOCKING_RULES else "warn"
    return Finding(rule, severity, start, end, message.format(**fmt), suggestion)


def _review_actions(text: str, start: int, end: int) -> list[tuple[int, int]]:
    sentence = text[start:end]
    out = []
    for m in _action_re().finditer(sentence):
        before = sentence[max(0, m.start() - 40) : m.start()]
        if _ACTION_WAIVED_RE.search(before):
            continue
        out.append((start + m.start(), start + m.end()))
    return out


def check_reply(
    reply: str | ReplyInput,
    review_text: str | None = None,
    review_rating: int | None = None,
    known_names: Iterable[str] = (),
    reply_id: object = None,
) -> ReplyCheck:
    """Check one seller reply; ``verdict`` is block when any blocking rule fires."""
    if isinstance(reply, ReplyInput):
        review_text, review_rating = reply.review_text, reply.review_rating
        known_names, reply_id, reply = reply.known_names, reply.id, reply.reply
    _validate(reply, review_text, review_rating)
    findings: list[Finding] = []
    for span in find_personal_data(reply, known_names):
        findings.append(_finding("personal_data", span.start, span.end, kind=_PII_NAMES[span.type]))
    for start, end in _sentences(reply):
        actions = _review_actions(reply, start, end)
        if not actions:
            continue
        benefits = [
            (start + m.start(), start + m.end()) for m in _BENEFIT_RE.finditer(reply[start:end])
        ]
        if benefits:
            lo = min(a[0] for a in actions + benefits)
            hi = max(a[1] for a in actions + benefits)
            findings.append(_finding("incentive", lo, hi))
        else:
            for a_start, a_end in actions:
                findings.append(_finding("review_change_request", a_start, a_end))
    for m in _REDIRECT_RE.finditer(reply):
        findings.append(_finding("redirect", m.start(), m.end()))
    for start, end in find_abuse(reply):
        findings.append(_finding("abuse", start, end))
    if len(reply) > MAX_REPLY_CHARS:
        findings.append(_finding("too_long", MAX_REPLY_CHARS, len(reply), length=len(reply)))
    if _is_negative_review(review_text, review_rating) and not _ACK_RE.search(reply):
        findings.append(_finding("no_acknowledgement", 0, len(reply)))
    for start, end in _sentences(reply):
        sentence = reply[start:end]
        promo = _PROMO_RE.search(sentence)
        if promo and not _APOLOGY_RE.search(sentence):
            findings.append(_finding("promotional", start + promo.start(), start + promo.end()))
            break
    findings.sort(key=lambda f: (f.severity != "block", f.start))
    verdict = "ok"
    if any(f.severity == "block" for f in findings):
        verdict = "block"
    elif findings:
        verdict = "warn"
    return ReplyCheck(reply_id, verdict, tuple(findings))  # type: ignore[arg-type]


def _validate(reply: object, review_text: object, review_rating: object) -> None:
    if not isinstance(reply, str):
        raise InvalidInput("invalid_reply", "reply must be a string")
    if review_text is not None and not isinstance(review_text, str):
        raise InvalidInput("invalid_review_text", "review_text must be a string")
    if review_rating is not None and (
        isinstance(review_rating, bool)
        or not isinstance(review_rating, int)
        or not 1 <= review_rating <= 5
    ):
        raise InvalidInput(
            "invalid_rating", f"review_rating must be an integer 1-5, got {review_rating!r}"
        )


def _is_negative_review(review_text: str | None, review_rating: int | None) -> bool:
    if review_rating is not None:
        return review_rating <= 2
    if review_text:
        from reviewdesk.analytics.language import detect_language
        from reviewdesk.analytics.sentiment import combine, text_sentiments

        lang = detect_language(review_text)
        evidence = text_sentiments([review_text], [lang])[0]
        return combine(evidence, None, True).label == "negative"
    return False
