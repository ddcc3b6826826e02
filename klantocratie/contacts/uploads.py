"""Recognising attachments by their content: a file's name and declared type are claims."""

from __future__ import annotations

from email import message_from_bytes, policy
from email.message import EmailMessage

from django.conf import settings

EMAIL_CONTENT_TYPE = "message/rfc822"

# Leading bytes ("magic numbers") of the file types a scan can arrive in.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)

_TYPE_NAMES = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    EMAIL_CONTENT_TYPE: "e-mail (.eml)",
}


class MalformedEmail(ValueError):
    """The bytes are not an e-mail message with a sender."""


def sniff_content_type(data: bytes) -> str | None:
    """The content type the bytes themselves show, or None when none is recognised."""
    for signature, content_type in _SIGNATURES:
        if data.startswith(signature):
            return content_type
    return None


def parse_email(data: bytes) -> EmailMessage:
    """Parse an RFC 5322 message; refuse what has no header block or no sender."""
    message = message_from_bytes(data, policy=policy.default)
    if not isinstance(message, EmailMessage) or not message.keys():
        raise MalformedEmail("Het bestand bevat geen e-mailkoppen; het is geen e-mail.")
    try:
        sender = message.get("From")
        addresses = getattr(sender, "addresses", ()) if sender else ()
    except (ValueError, IndexError, TypeError) as error:
        raise MalformedEmail("De afzender (From) van de e-mail is onleesbaar.") from error
    if not addresses or not addresses[0].addr_spec or "@" not in addresses[0].addr_spec:
        raise MalformedEmail("De e-mail heeft geen geldige afzender (From).")
    return message


def max_bytes() -> int:
    return int(settings.KLANTOCRATIE_ATTACHMENT_MAX_BYTES)


def allowed_types() -> list[str]:
    return [t.strip() for t in settings.KLANTOCRATIE_ATTACHMENT_TYPES if t.strip()]


def describe_types(types: list[str]) -> str:
    return ", ".join(_TYPE_NAMES.get(t, t) for t in types)


def human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")
    return f"{max(size // 1024, 1)} kB"
