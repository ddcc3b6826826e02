"""Intake per channel: an e-mail, a mailbox, a scanned letter or a web form becomes a
registered contact. Every path ends in services.register_contact, so the same checks,
gate and event apply whichever way a client came in.
"""

from __future__ import annotations

import hashlib
import mailbox
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from html import unescape
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils import timezone

from klantocratie.parties.models import Party
from klantocratie.privacy import gate
from klantocratie.privacy.errors import GateError

from . import uploads
from .models import Attachment, Contact
from .selectors import party_for_email
from .services import (
    CONTENT_MAX,
    SUBJECT_MAX,
    SubjectObjectInput,
    Upload,
    register_contact,
)

_TAG_RE = re.compile(r"<[^>]+>")
_BLANK_LINES_RE = re.compile(r"\n{3,}")


class UnknownSender(ValidationError):
    """No (single) party is known by the sender's e-mail address."""


def _shorten(text: str, limit: int) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _body_text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        text = part.get_content()
    except (LookupError, ValueError):
        # An unknown or lying charset: keep what can be read rather than lose the mail.
        payload = part.get_payload(decode=True)
        text = payload.decode("utf-8", errors="replace") if isinstance(payload, bytes) else ""
    if part.get_content_subtype() == "html":
        text = unescape(_TAG_RE.sub(" ", text))
    return _BLANK_LINES_RE.sub("\n\n", text.replace("\r\n", "\n")).strip()


def _sent_at(message: EmailMessage) -> datetime:
    now = timezone.now()
    try:
        sent = parsedate_to_datetime(str(message["Date"])) if message["Date"] else None
    except (TypeError, ValueError, IndexError):
        sent = None
    if sent is None or sent.tzinfo is None or sent > now:
        return now
    return sent


def register_email(
    ctx: gate.AccessContext,
    data: bytes,
    *,
    name: str = "e-mail.eml",
    subject_objects: Sequence[SubjectObjectInput] = (),
) -> Contact:
    """An e-mail becomes a contact of the party known by the sender's address, with the
    mail itself as attachment. A malformed file or an unknown sender is refused."""
    try:
        message = uploads.parse_email(data)
    except uploads.MalformedEmail as error:
        raise ValidationError({"bestand": f"{name}: {error}"}) from None
    sender = message["From"].addresses[0].addr_spec
    party = party_for_email(ctx, sender)
    if party is None:
        raise UnknownSender(
            {
                "afzender": f"Geen klant bekend met e-mailadres {sender}: de e-mail is niet "
                "geregistreerd. Zoek de klant op en registreer het contact met de hand."
            }
        )
    subject = str(message["Subject"] or "").strip() or "E-mail zonder onderwerp"
    body = _body_text(message) or "(De e-mail bevat geen tekst; zie de bijlage.)"
    return register_contact(
        ctx,
        party,
        channel="email",
        subject=_shorten(subject, SUBJECT_MAX),
        content=_shorten(body, CONTENT_MAX),
        occurred_at=_sent_at(message),
        subject_objects=subject_objects,
        attachments=[Upload(name, data, uploads.EMAIL_CONTENT_TYPE)],
    )


@dataclass
class MailboxReport:
    registered: list[Contact] = field(default_factory=list)
    # (mailbox key, sender or '', reason): mail left for a person to handle.
    unmatched: list[tuple[str, str, str]] = field(default_factory=list)
    failed: list[tuple[str, str, str]] = field(default_factory=list)
    already_imported: int = 0


def _open_mailbox(path: Path) -> mailbox.Mailbox:
    if path.is_dir():
        if not all((path / sub).is_dir() for sub in ("cur", "new", "tmp")):
            raise ValidationError(
                {"pad": f"{path} is geen Maildir-map (cur/, new/ en tmp/ ontbreken)."}
            )
        return mailbox.Maildir(path, factory=None, create=False)
    if path.is_file():
        return mailbox.mbox(path, create=False)
    raise ValidationError({"pad": f"{path} bestaat niet."})


def _messages(box: mailbox.Mailbox) -> Iterator[tuple[str, bytes]]:
    for key in sorted(box.keys()):
        yield str(key), box.get_bytes(key)


def _sender_of(data: bytes) -> str:
    try:
        return str(uploads.parse_email(data)["From"].addresses[0].addr_spec)
    except uploads.MalformedEmail:
        return ""


def import_mailbox(ctx: gate.AccessContext, path: Path) -> MailboxReport:
    """Register every mail of a Maildir or mbox as a contact, each in its own transaction.

    Mail already imported (same bytes) is skipped, so the import can run again; mail from
    unknown senders or that cannot be read is reported, not registered.
    """
    report = MailboxReport()
    box = _open_mailbox(path)
    try:
        for key, data in _messages(box):
            digest = hashlib.sha256(data).hexdigest()
            if Attachment.objects.filter(
                sha256=digest, content_type=uploads.EMAIL_CONTENT_TYPE
            ).exists():
                report.already_imported += 1
                continue
            try:
                report.registered.append(register_email(ctx, data, name=f"{key}.eml"))
            except UnknownSender as error:
                report.unmatched.append((key, _sender_of(data), "; ".join(error.messages)))
            except ValidationError as error:
                report.failed.append((key, _sender_of(data), "; ".join(error.messages)))
            except GateError as error:
                report.failed.append((key, _sender_of(data), error.message))
    finally:
        box.close()
    return report


def register_scan(
    ctx: gate.AccessContext,
    party: Party | None,
    upload: Upload,
    *,
    subject: str,
    content: str = "",
    subject_objects: Sequence[SubjectObjectInput] = (),
) -> Contact:
    """A scanned letter (PDF, JPEG or PNG, recognised by content) becomes a contact."""
    if upload.data and uploads.sniff_content_type(upload.data) is None:
        raise ValidationError(
            {
                "bestand": f"{upload.name or 'bestand'}: een scan moet een PDF, JPEG of PNG zijn "
                "(herkend aan de inhoud, niet aan de naam)."
            }
        )
    return register_contact(
        ctx,
        party,
        channel="brief",
        subject=subject,
        content=content.strip() or f"Ingescande brief: {upload.name or 'scan'}",
        subject_objects=subject_objects,
        attachments=[Upload(upload.name, upload.data)],
    )


def register_web_form(
    ctx: gate.AccessContext,
    party: Party | None,
    *,
    subject: str,
    content: str,
    attachments: Sequence[Upload] = (),
) -> Contact:
    """A question posted through the web form by a logged-in resident."""
    return register_contact(
        ctx,
        party,
        channel="webformulier",
        subject=subject,
        content=content,
        attachments=attachments,
    )
