"""Mailing a new poll to the subscribers who asked for e-mail, in the background."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.urls import reverse
from django.utils import timezone

from .models import Poll
from .services import areas_text, subscribers

# The address residents reach the site at; the e-mail links to the poll there.
DEFAULT_SITE_URL = "http://localhost:8000"
# Messages handed to the mail server per connection: a large list in manageable runs.
BATCH_SIZE = 200


def site_url() -> str:
    return str(getattr(settings, "PARTICIPATION_SITE_URL", DEFAULT_SITE_URL)).rstrip("/")


def _message(poll: Poll, address: str) -> EmailMessage:
    closes = timezone.localtime(poll.closes_at)
    lines = [
        "Beste inwoner,",
        "",
        f"Er is een nieuwe peiling van {poll.sender}: {poll.title}.",
        "",
        poll.question,
        "",
        f"U kunt antwoorden tot en met {closes:%d-%m-%Y %H:%M} op uw persoonlijke pagina:",
        site_url() + reverse("participation:poll", args=[poll.uuid]),
    ]
    if poll.areas:
        lines += ["", f"Deze peiling is voor bewoners van {areas_text(poll)}."]
    lines += [
        "",
        "U krijgt dit bericht omdat u zich op uw persoonlijke pagina heeft aangemeld voor "
        "peilingen per e-mail. Afmelden doet u daar, onder Meedenken.",
    ]
    # One message per address: subscribers never see each other's addresses.
    return EmailMessage(
        subject=f"Nieuwe peiling: {poll.title}",
        body="\n".join(lines),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[address],
    )


@shared_task(name="klantocratie.participation.mail_new_poll")
def mail_new_poll(poll_id: int) -> int:
    """E-mail a published poll to each subscriber who asked for e-mail, once per address."""
    poll = Poll.objects.select_related("theme", "council_member").get(pk=poll_id)
    wanted = subscribers(poll).filter(wants_email=True)
    addresses = sorted({s.email.strip().lower() for s in wanted})
    sent = 0
    for start in range(0, len(addresses), BATCH_SIZE):
        batch = [_message(poll, address) for address in addresses[start : start + BATCH_SIZE]]
        with get_connection() as connection:
            sent += connection.send_messages(batch) or 0
    return sent
