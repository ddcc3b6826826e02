"""Receipts of privacy choices: a sealed record of what a person decided, as a PDF.

Every choice is its own receipt; its number is the choice's uuid. When the choice is
made, the facts that matter (who by pseudonym, which purpose, given or withdrawn, the
statement, when, via which channel, which organisations, under which authorisation)
are put in a canonical form and fingerprinted with SHA-256; the fingerprint is stored
with the choice and printed on the receipt together with those exact facts. Anyone can
recompute it from the printed facts; the municipality can check it against its own
record, so a receipt or a record changed afterwards shows.
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass
from datetime import UTC
from xml.sax.saxutils import escape

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from klantocratie.parties.models import AuthorisationKind, Party

from . import log
from .models import ChoicePurpose, CollectionChannel, PrivacyChoice
from .selectors import activities_of, organisations_concerned

# How the canonical form is made, printed on the receipt so anyone can recompute it.
CANONICAL_RULE = (
    "De vingerafdruk is de SHA-256 van de verzegelde gegevens als één JSON-object in UTF-8: "
    'de regels hierboven in deze volgorde, elk als "naam":waarde, gescheiden door komma\'s, '
    "zonder spaties ertussen, tussen { en }."
)


def subject_pseudonym(party: Party) -> str:
    """The subject as the processing log knows them: no BSN on a receipt."""
    identifier = party.primary_identifier()
    return log.pseudonymise(identifier.identifier_type, identifier.value)


def sealed_facts(choice: PrivacyChoice) -> dict[str, object]:
    """What the fingerprint covers, with stable codes rather than display texts."""
    return {
        "bewijsnummer": str(choice.uuid),
        "betrokkene": subject_pseudonym(choice.party),
        "doel": choice.purpose,
        "soort": choice.kind,
        "keuze": choice.status,
        "verklaring": choice.statement,
        "tijdstip": choice.decided_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "kanaal": choice.collected_via,
        "organisaties": list(choice.organisations),
        "namens": choice.representation,
    }


def _json(value: object) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def sealed_lines(facts: dict[str, object]) -> list[tuple[str, str]]:
    """The sealed facts as printed: name and JSON value, names in alphabetical order."""
    return [(name, _json(facts[name])) for name in sorted(facts)]


def canonical(facts: dict[str, object]) -> str:
    """The exact text that is fingerprinted: the printed lines, joined as JSON."""
    return _json(facts)


def fingerprint(choice: PrivacyChoice) -> str:
    return hashlib.sha256(canonical(sealed_facts(choice)).encode()).hexdigest()


def seal(choice: PrivacyChoice) -> None:
    """Set the fingerprint of a choice that has all its facts (before it is saved)."""
    choice.receipt_sha256 = fingerprint(choice)


def verify(choice: PrivacyChoice) -> bool:
    """Whether the stored record still matches the fingerprint it was sealed with."""
    return bool(choice.receipt_sha256) and choice.receipt_sha256 == fingerprint(choice)


def issue(choice: PrivacyChoice) -> PrivacyChoice:
    """The choice ready for a receipt. One collected before receipts existed (or by
    another channel) is sealed on first issue, with the organisations concerned now."""
    if choice.receipt_sha256:
        return choice
    with transaction.atomic():
        locked = PrivacyChoice.objects.select_for_update().select_related("party").get(pk=choice.pk)
        if not locked.receipt_sha256:
            purpose = ChoicePurpose.objects.filter(code=locked.purpose).first()
            if not locked.organisations and purpose is not None:
                locked.organisations = organisations_concerned(activities_of(purpose))
            seal(locked)
            locked.save(update_fields=["organisations", "receipt_sha256"])
    return locked


@dataclass(frozen=True)
class ReceiptContent:
    """What goes into the receipt, apart from its layout, so tests can check it."""

    number: str
    title: str
    facts: list[tuple[str, str]]
    statement: str
    organisations: list[str]
    sealed: list[tuple[str, str]]
    fingerprint: str
    verification: str


def receipt_content(choice: PrivacyChoice, subject_name: str, purpose_title: str) -> ReceiptContent:
    decided = timezone.localtime(choice.decided_at)
    facts = [
        ("Bewijsnummer", str(choice.uuid)),
        ("Betrokkene", subject_name or "(naam niet beschikbaar)"),
        ("Onderwerp", purpose_title or choice.purpose),
        ("Keuze", choice.action_label),
        ("Tijdstip", date_format(decided, "j F Y, H:i:s")),
        ("Kanaal", CollectionChannel(choice.collected_via).label),
    ]
    if choice.representation:
        kind = AuthorisationKind(choice.representation).label.lower()
        facts.append(("Vastgelegd door", f"een vertegenwoordiger ({kind})"))
    if verify(choice):
        verification = (
            f"Gecontroleerd bij het downloaden op "
            f"{date_format(timezone.localtime(), 'j F Y, H:i')}: de vingerafdruk klopt met "
            "de vastlegging bij de gemeente. Wilt u dit later laten nagaan, noem dan het "
            "bewijsnummer; de gemeente rekent de vingerafdruk opnieuw uit."
        )
    else:
        verification = (
            "Let op: de vingerafdruk klopt niet met de vastlegging. Neem contact op met de "
            "functionaris gegevensbescherming en noem het bewijsnummer."
        )
    return ReceiptContent(
        number=str(choice.uuid),
        title=f"Bewijs van uw privacykeuze: {choice.action_label.lower()}",
        facts=facts,
        statement=choice.statement,
        organisations=list(choice.organisations),
        sealed=sealed_lines(sealed_facts(choice)),
        fingerprint=choice.receipt_sha256,
        verification=verification,
    )


def receipt_pdf(content: ReceiptContent) -> bytes:
    styles = getSampleStyleSheet()
    body = styles["BodyText"]
    mono = ParagraphStyle("mono", parent=body, fontName="Courier", fontSize=7, leading=9)

    def text(value: str, style: ParagraphStyle = body) -> Paragraph:
        # Paragraphs read markup; statements and names are plain text.
        return Paragraph(escape(value), style)

    facts = Table(
        [[text(label, styles["Heading5"]), text(value)] for label, value in content.facts],
        colWidths=[4 * cm, 12.5 * cm],
    )
    facts.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.lightgrey),
            ]
        )
    )
    story: list[Flowable] = [text(content.title, styles["Title"]), facts]
    story += [Spacer(1, 0.4 * cm), text("Uw verklaring", styles["Heading2"])]
    story.append(text(content.statement or "(geen verklaring vastgelegd)"))
    story += [Spacer(1, 0.4 * cm), text("Organisaties waarvoor dit geldt", styles["Heading2"])]
    story += [text(f"• {name}") for name in content.organisations] or [text("(geen)")]
    sealed = Table(
        [[text(name, mono), text(value, mono)] for name, value in content.sealed],
        colWidths=[3 * cm, 14 * cm],
    )
    sealed.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story += [Spacer(1, 0.4 * cm), text("Verzegelde gegevens", styles["Heading2"]), sealed]
    story += [Spacer(1, 0.2 * cm), text(f"Vingerafdruk (SHA-256): {content.fingerprint}", mono)]
    story += [
        text(CANONICAL_RULE, styles["Italic"]),
        Spacer(1, 0.2 * cm),
        text(content.verification),
    ]
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=content.title,
        subject=f"Bewijsnummer {content.number}",
        author="klantocratie",
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
    )
    document.build(story)
    return buffer.getvalue()
