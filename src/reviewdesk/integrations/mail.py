"""Sending e-mail over SMTP (alert e-mails), one conversation per message."""

from __future__ import annotations

import smtplib
import ssl
import time
from dataclasses import dataclass
from email.message import EmailMessage

from reviewdesk.config import Settings


@dataclass(frozen=True)
class SmtpServer:
    """Where and how to hand e-mails over."""

    host: str
    port: int
    starttls: bool
    username: str | None
    password: str | None
    timeout: float

    @classmethod
    def from_settings(cls, settings: Settings) -> SmtpServer | None:
        """The server of the ``smtp_*`` settings; None when no host is set."""
        if not settings.smtp_host:
            return None
        return cls(
            host=settings.smtp_host,
            port=settings.smtp_port,
            starttls=settings.smtp_starttls,
            username=settings.smtp_username,
            password=(
                settings.smtp_password.get_secret_value() if settings.smtp_password else None
            ),
            timeout=settings.alert_timeout_seconds,
        )


@dataclass(frozen=True)
class MailResult:
    """The outcome of handing one message over: the SMTP reply code, or an error."""

    status_code: int | None
    error: str | None
    duration_ms: int

    @property
    def delivered(self) -> bool:
        """The server accepted the message for every recipient."""
        return self.error is None


def send_mail(server: SmtpServer, message: EmailMessage) -> MailResult:
    """Hand ``message`` to ``server``; never raises for the network or the server's refusal."""
    started = time.monotonic()
    code: int | None = None
    error: str | None = None
    try:
        with smtplib.SMTP(server.host, server.port, timeout=server.timeout) as smtp:
            if server.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if server.username:
                smtp.login(server.username, server.password or "")
            refused = smtp.send_message(message)
            if refused:
                first, (code, reply) = next(iter(refused.items()))
                error = f"recipient_refused: {first}: {code} {reply.decode(errors='replace')}"
            else:
                code = 250
    except smtplib.SMTPRecipientsRefused as failed:
        first, (code, reply) = next(iter(failed.recipients.items()))
        error = f"recipient_refused: {first}: {code} {reply.decode(errors='replace')}"
    except smtplib.SMTPResponseException as failed:
        code = failed.smtp_code
        raw: bytes | str = failed.smtp_error
        text = raw.decode(errors="replace") if isinstance(raw, bytes) else raw
        error = f"smtp_error: {code} {text}"
    except TimeoutError:
        error = f"timeout: no answer within {server.timeout:g} s"
    except (smtplib.SMTPException, OSError) as failed:
        error = f"connection_failed: {str(failed) or type(failed).__name__}"
    return MailResult(code, error, int((time.monotonic() - started) * 1000))
