"""Personal data in review and reply text: find it, and mask it so the text stays readable.

E-mail addresses (regex), phone numbers (``phonenumbers``, several regions), payment
card numbers (Luhn via ``python-stdnum``), national ID numbers (``python-stdnum``
validators: Indonesian NIK, Malaysian NRIC, Thai PIN, US SSN), street addresses and person
names (the trained token tagger of ``name_tagger.py``, plus street-pattern rules), and
always the names the caller passes as known.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cache, lru_cache

import numpy as np

from reviewdesk.analytics.model_store import load_npz
from reviewdesk.analytics.name_tagger import NameTagger
from reviewdesk.analytics.results import Span

PHONE_REGIONS: tuple[str, ...] = ("ID", "VN", "MY", "SG", "PH", "TH", "US", "GB")
PHONE_MATCHER_MAX_CHARS = 5_000
MASKS: dict[str, str] = {
    "email": "[email]",
    "phone": "[phone]",
    "card": "[card]",
    "national_id": "[id number]",
    "address": "[address]",
    "person": "[name]",
}
# Higher wins when two detections overlap.
_PRIORITY = {"email": 6, "card": 5, "national_id": 4, "phone": 3, "address": 2, "person": 1}

_DIGIT_RE = re.compile(r"\d")
_SEVEN_DIGITS_RE = re.compile(r"(?:\D*\d){7}")
_NON_DIGIT_RE = re.compile(r"\D")
_GROUPED_DIGITS_RE = re.compile(r"\d[\s.-]\d")
_DATE_RE = re.compile(r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}")
_AMOUNT_RE = re.compile(r"\d{1,3}(?:[.,]\d{3})+(?:[.,]\d{2})?")
# Texts up to this long (titles, one-liners: they repeat a lot) keep their detections in a
# small cache; the reviewer's known names are looked for on every call all the same.
_CACHED_TEXT_CHARS = 120
EMAIL_RE = re.compile(
    r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w-])", re.UNICODE
)
_CARD_RE = re.compile(r"(?<![\d-])(?:\d[ -]?){12,18}\d(?![\d-])")
_ID_RE = re.compile(r"(?<![\w-])(?:\d{3}-\d{2}-\d{4}|\d{6}-\d{2}-\d{4}|\d{12,16})(?![\w-])")
_PHONE_SHAPE_RE = re.compile(
    r"(?<![\w+])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,4}\)[\s.-]?)?\d[\d\s().-]{5,16}\d(?!\w)"
)
_PHONE_CUE_RE = re.compile(
    r"(?i)\b(?:call|phone|tel|telp|mobile|cell|hp|wa|whatsapp|zalo|sms|text|number|nomor|"
    r"no\.?|hubungi|contact|sđt|số|điện thoại|gọi|nhắn|fax|hotline|line)\b"
)
_STREET_RE = re.compile(
    r"(?i)(?<!\w)(?:"
    r"\d{1,5}[A-Za-z]?\s+(?:[A-Z][\w'.-]*\s+){1,4}"
    r"(?:street|st\.?|road|rd\.?|avenue|ave\.?|lane|ln\.?|boulevard|blvd\.?|drive|dr\.?|"
    r"court|ct\.?|way|place|pl\.?|highway|hwy)(?!\w)"
    r"|(?:jalan|jl\.?|jln\.?|gang|gg\.?)\s+[\w .'-]{2,40}?(?:\s+no\.?\s*\d+\w*|\s+\d+\w*)"
    r"|(?:số\s+)?\d{1,4}[a-z]?(?:/\d+)?\s+(?:đường|phố)\s+[\w ]{2,30}?"
    r"(?=[,.;]|$|\s+(?:quận|phường|huyện|tp))"
    r"|(?:apt\.?|suite|unit)\s*#?\s*\d+\w*"
    r")"
)


@cache
def _tagger() -> NameTagger:
    arrays = load_npz("name_tagger")
    names = frozenset(str(n) for n in arrays["names"])
    common = frozenset(str(n) for n in arrays["common"])
    coef = arrays["coef"].astype(np.float32)
    intercept = arrays["intercept"].astype(np.float32)
    return NameTagger(coef, intercept, names, common)


def find_personal_data(text: str, known_names: Iterable[str] = ()) -> list[Span]:
    """Spans of personal data in ``text``, sorted, non-overlapping."""
    if len(text) <= _CACHED_TEXT_CHARS:
        before, after = _detected_cached(text)
    else:
        before, after = _detected(text)
    return _resolve([*before, *_known_names(text, known_names), *after])


def _detected(text: str) -> tuple[tuple[Span, ...], tuple[Span, ...]]:
    """What ``text`` holds whoever wrote it: (e-mails, cards, ids, phones), (addresses,
    tagged names and addresses); the known names go between (``_resolve`` is told the
    spans in that order)."""
    before: list[Span] = [Span("email", m.start(), m.end()) for m in EMAIL_RE.finditer(text)]
    if _SEVEN_DIGITS_RE.match(text):
        before.extend(_cards(text))
        before.extend(_national_ids(text))
        before.extend(_phones(text))
    after = [Span("address", m.start(), m.end()) for m in _STREET_RE.finditer(text)]
    if any(c.isalpha() for c in text):
        after.extend(Span(label, s, e) for label, s, e in _tagger().tag(text))
    return tuple(before), tuple(after)


_detected_cached = lru_cache(maxsize=4096)(_detected)


def mask_personal_data(
    text: str, known_names: Iterable[str] = (), spans: Sequence[Span] | None = None
) -> str:
    """``text`` with each piece of personal data replaced by a readable tag like [phone]."""
    if spans is None:
        spans = find_personal_data(text, known_names)
    out: list[str] = []
    pos = 0
    for span in sorted(spans, key=lambda s: s.start):
        if span.start < pos:
            continue
        out.append(text[pos : span.start])
        out.append(MASKS.get(span.type, "[personal data]"))
        pos = span.end
    out.append(text[pos:])
    return "".join(out)


def _luhn_ok(digits: str) -> bool:
    from stdnum import luhn

    return bool(luhn.is_valid(digits))


def _cards(text: str) -> list[Span]:
    spans = []
    for m in _CARD_RE.finditer(text):
        digits = _NON_DIGIT_RE.sub("", m.group())
        if 13 <= len(digits) <= 19 and _luhn_ok(digits) and len(set(digits)) > 1:
            spans.append(Span("card", m.start(), m.end()))
    return spans


def _national_ids(text: str) -> list[Span]:
    from stdnum.id import nik
    from stdnum.my import nric
    from stdnum.th import pin
    from stdnum.us import ssn

    spans = []
    for m in _ID_RE.finditer(text):
        value = m.group()
        plain = value.replace("-", "")
        ok = False
        if len(plain) == 16 and not _luhn_ok(plain):
            ok = nik.is_valid(plain)
        elif len(plain) == 12:
            ok = nric.is_valid(plain)
        elif len(plain) == 13:
            ok = pin.is_valid(plain)
        elif len(plain) == 9 and "-" in value:
            ok = ssn.is_valid(plain)
        if ok:
            spans.append(Span("national_id", m.start(), m.end()))
    return spans


def _phones(text: str) -> list[Span]:
    import phonenumbers

    spans: dict[tuple[int, int], Span] = {}
    # phonenumbers costs about a millisecond per number found; a pasted phone book must not
    # stall the batch, so past the first characters the shape rules below carry on alone.
    head = text[:PHONE_MATCHER_MAX_CHARS]
    for region in PHONE_REGIONS:
        matcher = phonenumbers.PhoneNumberMatcher(
            head, region, leniency=phonenumbers.Leniency.VALID, max_tries=50
        )
        for match in matcher:
            spans.setdefault((match.start, match.end), Span("phone", match.start, match.end))
    # Numbers of other countries, or written oddly: a phone-shaped digit run counts when it
    # is written like a phone number (+, parentheses, grouped) or a cue word is right before.
    for m in _PHONE_SHAPE_RE.finditer(text):
        value = m.group().strip()
        digits = _NON_DIGIT_RE.sub("", value)
        if not 7 <= len(digits) <= 15 or _looks_like_date_or_amount(value):
            continue
        before = text[max(0, m.start() - 30) : m.start()]
        grouped = bool(_GROUPED_DIGITS_RE.search(value)) or value.startswith(("+", "("))
        if grouped or _PHONE_CUE_RE.search(before) or (digits.startswith("0") and len(digits) >= 9):
            start = m.start() + (len(m.group()) - len(m.group().lstrip()))
            spans.setdefault((start, start + len(value)), Span("phone", start, start + len(value)))
    return list(spans.values())


def _looks_like_date_or_amount(value: str) -> bool:
    if _DATE_RE.fullmatch(value):
        return True
    return bool(_AMOUNT_RE.fullmatch(value))


def _known_names(text: str, names: Iterable[str]) -> list[Span]:
    spans: list[Span] = []
    folded: str | None = None
    for name in names:
        name = name.strip()
        if len(name) < 2:
            continue
        parts = [p for p in name.split() if len(p) >= 2]
        if not parts:
            continue
        # Every match holds one of the parts, so a text holding none of them (folded as
        # the regex compares letters) has no match: most texts never name the reviewer,
        # and compiling a pattern per name costs far more than this check.
        if folded is None:
            folded = _fold(text)
        if not any(_fold(p) in folded for p in parts):
            continue
        spans.extend(Span("person", m.start(), m.end()) for m in _name_regex(name).finditer(text))
    return spans


@lru_cache(maxsize=1024)
def _name_regex(name: str) -> re.Pattern[str]:
    """The full name, and each part of it on its own (a buyer called by first name)."""
    parts = [re.escape(p) for p in name.split() if len(p) >= 2]
    pattern = r"\s+".join(re.escape(p) for p in name.split())
    alternatives = [pattern, *parts]
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)", re.IGNORECASE)


class _Folding(dict[int, str]):
    """``str.translate`` table: each character to one representative of the characters a
    case-insensitive ``re`` pattern takes for it (its simple lowercase, then one member
    of the extra classes ``re`` knows, like i/ı and s/ſ). Filled as characters are met."""

    def __missing__(self, code: int) -> str:
        lower = chr(code).lower()[:1]  # simple lowercase: U+0130 gives "i", not "i̇"
        folded = _CASE_CLASSES.get(lower, lower)
        self[code] = folded
        return folded


def _case_classes() -> dict[str, str]:
    try:
        from re._casefix import _EXTRA_CASES as extra
    except ImportError:  # pragma: no cover - Python without the table: the classes below
        extra = {ord(a): (ord(b),) for a, b in ("iı", "ıi", "sſ", "ſs", "ςσ", "σς")}
    groups: dict[str, set[str]] = {}
    for code, others in extra.items():
        group = {chr(code), *map(chr, others)}
        for member in list(group):
            group |= groups.get(member, set())
        for member in group:
            groups[member] = group
    return {member: min(group) for member, group in groups.items()}


_CASE_CLASSES = _case_classes()
_FOLDING = _Folding()


def _fold(text: str) -> str:
    return text.lower() if text.isascii() else text.translate(_FOLDING)


def _resolve(spans: list[Span]) -> list[Span]:
    """Merge overlaps: the higher-priority type wins, same types are united."""
    ordered = sorted(spans, key=lambda s: (s.start, -(s.end - s.start)))
    out: list[Span] = []
    for span in ordered:
        if span.end <= span.start:
            continue
        if out and span.start < out[-1].end:
            last = out[-1]
            if span.type == last.type:
                out[-1] = Span(last.type, last.start, max(last.end, span.end))
            elif _PRIORITY[span.type] > _PRIORITY[last.type]:
                out[-1] = Span(span.type, min(last.start, span.start), max(last.end, span.end))
            else:
                out[-1] = Span(last.type, last.start, max(last.end, span.end))
            continue
        out.append(span)
    return out
