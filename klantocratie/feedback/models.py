"""What residents and businesses tell us about the service they got.

A feedback record is about one thing: a contact (klantcontact), a closed case (zaak), a
provider someone walked away from, or nothing in particular (free text). It points at
that contact or case by uuid and number only, never copying its content, and keeps what
the figures group on: the product (its UPL name), the case type, the organisation and
the provider concerned. The party who gave it is kept so they see their own feedback
and are asked only once per contact or case; the figures for staff never show parties.
"""

from __future__ import annotations

import uuid

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from klantocratie.parties.models import Party
from klantocratie.registry.models import Organisation

# The five answers of the satisfaction question, from worst to best, in words: a number
# alone means little to a resident, and a scale in words reads the same to everyone.
SCORES: dict[int, str] = {
    1: "Zeer ontevreden",
    2: "Ontevreden",
    3: "Niet tevreden en niet ontevreden",
    4: "Tevreden",
    5: "Zeer tevreden",
}
TEXT_MAX = 1000


class FeedbackKind(models.TextChoices):
    CONTACT_SATISFACTION = "tevredenheid_contact", "Tevredenheid over een contact"
    CASE_SATISFACTION = "tevredenheid_zaak", "Tevredenheid over een afgeronde zaak"
    FREE_TEXT = "vrije_tekst", "Vrije feedback"
    PROVIDER_EXIT = "aanbieder_verlaten", "Andere aanbieder gekozen"


class ExitReason(models.TextChoices):
    """Why someone leaves a provider: a closed list, so the reasons can be counted."""

    NO_CONTACT = "geen_contact", "De aanbieder nam geen contact met mij op"
    TOO_SLOW = "te_traag", "Het duurde te lang"
    NOT_SUITABLE = "past_niet", "De hulp past niet bij wat ik nodig heb"
    TREATMENT = "bejegening", "Ik voelde me niet goed behandeld"
    PREFERENCE = "voorkeur", "Ik heb liever de andere aanbieder"
    OTHER = "anders", "Een andere reden"


class Feedback(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField("soort", max_length=30, choices=FeedbackKind.choices)
    party = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        related_name="feedback",
        verbose_name="gegeven door (partij)",
        help_text="De inwoner of onderneming om wie het gaat, ook als een gemachtigde het gaf.",
    )
    given_by = models.CharField(
        "ingevuld door",
        max_length=150,
        help_text="De gebruiker die het invulde: de partij zelf of wie namens haar handelt.",
    )
    score = models.PositiveSmallIntegerField(
        "score (1-5)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(max(SCORES))],
    )
    text = models.TextField("toelichting", max_length=TEXT_MAX, blank=True)
    exit_reason = models.CharField(
        "reden van vertrek", max_length=20, choices=ExitReason.choices, blank=True
    )
    # What it is about, by reference only.
    contact_uuid = models.UUIDField("klantcontact", null=True, blank=True)
    case_uuid = models.UUIDField("zaak", null=True, blank=True)
    reference = models.CharField(
        "nummer", max_length=40, blank=True, help_text="Contactnummer of zaakidentificatie."
    )
    # What the figures group on.
    product = models.CharField(
        "product", max_length=255, blank=True, help_text="Uniforme productnaam (UPL)."
    )
    case_type = models.CharField("zaaktype", max_length=50, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="organisatie",
    )
    provider = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="aanbieder",
    )
    provider_code = models.SlugField("code aanbieder", max_length=50, blank=True)
    created_at = models.DateTimeField("gegeven op", default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "feedback"
        verbose_name_plural = "feedback"
        constraints = [
            # Asked once: one satisfaction answer per party per contact and per case.
            models.UniqueConstraint(
                fields=["party", "contact_uuid"],
                condition=Q(kind="tevredenheid_contact"),
                name="feedback_once_per_contact",
            ),
            models.UniqueConstraint(
                fields=["party", "case_uuid"],
                condition=Q(kind="tevredenheid_zaak"),
                name="feedback_once_per_case",
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=1, score__lte=5),
                name="feedback_score_1_to_5",
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "created_at"]),
            models.Index(fields=["party", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reference}".strip()

    @property
    def score_label(self) -> str:
        return SCORES.get(self.score or 0, "")
