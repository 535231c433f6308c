"""Product identifier codes: GTIN-8/12/13/14, UPC-A, UPC-E, EAN-13, ISBN-10/13.

Every code is checked by its GS1 check digit (python-stdnum) and normalised to GTIN-14,
so that the same article matches whatever form a file or a platform gives it in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from stdnum import ean, isbn
from stdnum.exceptions import ValidationError

from reviewdesk.errors import InvalidInput


class CodeKind(StrEnum):
    """The form a product code was given in."""

    GTIN_8 = "gtin8"
    UPC_A = "upc_a"
    UPC_E = "upc_e"
    EAN_13 = "ean13"
    GTIN_14 = "gtin14"
    ISBN_10 = "isbn10"
    ISBN_13 = "isbn13"


_LENGTHS = {
    CodeKind.GTIN_8: (8,),
    CodeKind.UPC_A: (12,),
    CodeKind.UPC_E: (8,),
    CodeKind.EAN_13: (13,),
    CodeKind.GTIN_14: (14,),
    CodeKind.ISBN_10: (10,),
    CodeKind.ISBN_13: (13,),
}
_SEPARATORS = re.compile(r"[\s\-.]")


@dataclass(frozen=True)
class ProductCodeValue:
    """A validated code: its GTIN-14 form, the kind it was given as, and the input."""

    gtin: str
    kind: CodeKind
    original: str


def _refuse(field: str, value: str, reason: str) -> InvalidInput:
    return InvalidInput(
        "invalid_product_code",
        f"{field}: {value!r} is not a valid product code: {reason}",
        field=field,
        reason=reason,
    )


def expand_upc_e(code: str) -> str:
    """The 12-digit UPC-A of an 8-digit UPC-E (number system, six digits, check digit).

    GS1's zero-suppression rule, decided by the last of the six digits; python-stdnum has no
    UPC-E, and the check digit of the result is then verified by python-stdnum's EAN check.
    """
    system, body, check = code[0], code[1:7], code[7]
    if system not in "01":
        raise ValueError("a UPC-E code starts with number system 0 or 1")
    last = body[5]
    if last in "012":
        manufacturer, item = body[0:2] + last + "00", "00" + body[2:5]
    elif last == "3":
        manufacturer, item = body[0:3] + "00", "000" + body[3:5]
    elif last == "4":
        manufacturer, item = body[0:4] + "0", "0000" + body[4]
    else:
        manufacturer, item = body[0:5], "0000" + last
    return system + manufacturer + item + check


def _guess_kind(compact: str) -> CodeKind | None:
    if len(compact) == 10 and re.fullmatch(r"\d{9}[\dX]", compact):
        return CodeKind.ISBN_10
    if not compact.isdigit():
        return None
    if len(compact) == 13 and compact[:3] in ("978", "979"):
        return CodeKind.ISBN_13
    return {
        8: CodeKind.GTIN_8,
        12: CodeKind.UPC_A,
        13: CodeKind.EAN_13,
        14: CodeKind.GTIN_14,
    }.get(len(compact))


def normalise_code(
    value: str, kind: CodeKind | str | None = None, *, field: str = "gtin"
) -> ProductCodeValue:
    """Validate ``value`` (of ``kind``, or guessed from its length) and give its GTIN-14.

    An 8-digit code is read as GTIN-8 (EAN-8) unless ``kind`` says UPC-E: the two forms are
    indistinguishable by their digits alone.
    """
    if not isinstance(value, str) or not value.strip():
        raise _refuse(field, str(value), "it is empty")
    compact = _SEPARATORS.sub("", value.strip()).upper()
    if kind is not None:
        try:
            kind = CodeKind(kind)
        except ValueError:
            allowed = ", ".join(k.value for k in CodeKind)
            raise _refuse(field, value, f"unknown kind {kind!r} (one of {allowed})") from None
    guessed = kind or _guess_kind(compact)
    if guessed is None:
        raise _refuse(
            field,
            value,
            "expected 8, 12, 13 or 14 digits (GTIN/UPC/EAN) or an ISBN-10",
        )
    if len(compact) not in _LENGTHS[guessed]:
        raise _refuse(field, value, f"a {guessed.value} code has {_LENGTHS[guessed][0]} characters")
    try:
        if guessed is CodeKind.ISBN_10:
            isbn.validate(compact)
            digits = isbn.to_isbn13(compact)
        elif guessed is CodeKind.ISBN_13:
            isbn.validate(compact)
            digits = compact
        elif guessed is CodeKind.UPC_E:
            if not compact.isdigit():
                raise ValueError("only digits are allowed")
            digits = expand_upc_e(compact)
            ean.validate(digits)
        else:
            if not compact.isdigit():
                raise ValueError("only digits are allowed")
            ean.validate(compact)
            digits = compact
    except ValidationError as error:
        raise _refuse(field, value, _reason(error)) from None
    except ValueError as error:
        raise _refuse(field, value, str(error)) from None
    return ProductCodeValue(gtin=digits.zfill(14), kind=guessed, original=value.strip())


def _reason(error: ValidationError) -> str:
    name = type(error).__name__
    return {
        "InvalidChecksum": "the check digit is wrong",
        "InvalidFormat": "it has characters that are not allowed",
        "InvalidLength": "it has the wrong number of digits",
        "InvalidComponent": "it is not an ISBN (prefix must be 978 or 979)",
    }.get(name, str(error))


def try_normalise(value: str) -> str | None:
    """The GTIN-14 of ``value`` when it is a valid code, else None (for lookups)."""
    try:
        return normalise_code(value).gtin
    except InvalidInput:
        return None
