"""Domain errors: every refusal carries a stable machine-readable ``code``.

They are turned into RFC 9457 problem documents in exactly one place
(``reviewdesk.api.problems``); the CLI prints them; library users catch them.
"""

from __future__ import annotations

from typing import Any


class ReviewdeskError(Exception):
    """Base class of every refusal reviewdesk reports to its caller."""

    status: int = 400
    title: str = "Bad request"

    def __init__(self, code: str, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail
        self.extra = extra


class InvalidInput(ReviewdeskError):
    """The input breaks a rule of its own (a bad GTIN, a rating of 7, an unknown type)."""

    status = 422
    title = "Invalid input"


class NotAllowed(ReviewdeskError):
    """The principal is known but may not do this."""

    status = 403
    title = "Forbidden"


class NotAuthenticated(ReviewdeskError):
    """No principal, or a token that does not exist."""

    status = 401
    title = "Not authenticated"


class NotFound(ReviewdeskError):
    """The thing does not exist, or the principal may not know that it does."""

    status = 404
    title = "Not found"


class Conflict(ReviewdeskError):
    """The request collides with the current state (duplicate, already reviewed...)."""

    status = 409
    title = "Conflict"


class TooLarge(ReviewdeskError):
    """An upload or a body beyond the configured limits."""

    status = 413
    title = "Payload too large"
