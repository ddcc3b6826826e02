"""Participation: themes and council members residents follow, their polls, the answers.

Privacy by design. A subscription is the resident's own choice and stays in this app,
with the e-mail address they gave for it, so mailing a poll needs no read of anyone's
contact details. An answer names no one: its respondent is a keyed pseudonym that is
different for every poll (so answers cannot be linked across polls), it has a random
key and no time (so it cannot be matched to the processing-log record of the address
read, or to the order in which people answered), and it keeps the resident's area only
when the poll asks for results per wijk or buurt.
"""

from __future__ import annotations

from datetime import datetime
from uuid import uuid4

from django.db import models
from django.db.models import Q
from django.utils import timezone

from klantocratie.parties.models import Party


class Theme(models.Model):
    code = models.SlugField(max_length=50, unique=True)
    name = models.CharField("naam", max_length=120)
    description = models.TextField("omschrijving", blank=True)
    active = models.BooleanField("actief", default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "thema"
        verbose_name_plural = "thema's"

    def __str__(self) -> str:
        return self.name


class CouncilMember(models.Model):
    code = models.SlugField(max_length=50, unique=True)
    name = models.CharField("naam", max_length=120)
    fractie = models.CharField("fractie", max_length=120)
    themes = models.ManyToManyField(
        Theme, blank=True, related_name="council_members", verbose_name="thema's"
    )
    active = models.BooleanField("actief", default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "raadslid"
        verbose_name_plural = "raadsleden"

    def __str__(self) -> str:
        return f"{self.name} ({self.fractie})"


class Subscription(models.Model):
    """A resident follows one theme or one council member, by e-mail too if they wish."""

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    party = models.ForeignKey(
        Party, on_delete=models.CASCADE, related_name="participation_subscriptions"
    )
    theme = models.ForeignKey(
        Theme, on_delete=models.CASCADE, null=True, blank=True, related_name="subscriptions"
    )
    council_member = models.ForeignKey(
        CouncilMember,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="subscriptions",
    )
    wants_email = models.BooleanField(default=False)
    # The address the resident confirmed for this purpose; empty without e-mail.
    email = models.EmailField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(theme__isnull=False, council_member__isnull=True)
                | Q(theme__isnull=True, council_member__isnull=False),
                name="participation_subscription_one_target",
            ),
            models.CheckConstraint(
                condition=Q(wants_email=False) | ~Q(email=""),
                name="participation_subscription_email_given",
            ),
            models.UniqueConstraint(
                fields=["party", "theme"],
                condition=Q(theme__isnull=False),
                name="participation_subscription_theme_once",
            ),
            models.UniqueConstraint(
                fields=["party", "council_member"],
                condition=Q(council_member__isnull=False),
                name="participation_subscription_member_once",
            ),
        ]

    def __str__(self) -> str:
        return f"abonnement op {self.target}"

    @property
    def target(self) -> Theme | CouncilMember:
        target = self.theme or self.council_member
        assert target is not None  # the check constraint guarantees one of both
        return target


class PollStatus(models.TextChoices):
    DRAFT = "concept", "Concept"
    PUBLISHED = "gepubliceerd", "Gepubliceerd"
    CLOSED = "gesloten", "Gesloten"


class Breakdown(models.TextChoices):
    NONE = "geen", "Geen uitsplitsing"
    WIJK = "wijk", "Per wijk"
    BUURT = "buurt", "Per buurt"


class Poll(models.Model):
    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    title = models.CharField("titel", max_length=200)
    question = models.TextField("vraag")
    theme = models.ForeignKey(
        Theme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="polls",
        verbose_name="thema",
    )
    council_member = models.ForeignKey(
        CouncilMember,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="polls",
        verbose_name="raadslid",
    )
    opens_at = models.DateTimeField("open vanaf")
    closes_at = models.DateTimeField("sluit op")
    status = models.CharField(max_length=20, choices=PollStatus.choices, default=PollStatus.DRAFT)
    areas = models.JSONField(
        "alleen voor",
        default=list,
        blank=True,
        help_text="CBS-codes van buurten (BU…) of wijken (WK…); leeg: heel de gemeente.",
    )
    breakdown = models.CharField(
        "uitslag", max_length=10, choices=Breakdown.choices, default=Breakdown.NONE
    )
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.CharField(max_length=150, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opens_at"]
        verbose_name = "peiling"
        verbose_name_plural = "peilingen"
        constraints = [
            models.CheckConstraint(
                condition=Q(theme__isnull=False) | Q(council_member__isnull=False),
                name="participation_poll_has_sender",
            ),
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")),
                name="participation_poll_closes_after_opening",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_open(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.status == PollStatus.PUBLISHED and self.opens_at <= now < self.closes_at

    def is_closed(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.status == PollStatus.CLOSED or (
            self.status == PollStatus.PUBLISHED and self.closes_at <= now
        )

    @property
    def sender(self) -> str:
        """Who asks: the council member, the theme, or both."""
        parts = [str(self.council_member) if self.council_member else "", str(self.theme or "")]
        return " — ".join(part for part in parts if part)


class PollOption(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField("volgorde")
    label = models.CharField("antwoord", max_length=200)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "antwoordmogelijkheid"
        verbose_name_plural = "antwoordmogelijkheden"
        constraints = [
            models.UniqueConstraint(fields=["poll", "position"], name="participation_option_order")
        ]

    def __str__(self) -> str:
        return self.label


class Answer(models.Model):
    # A random key and no time: nothing orders the answers or dates them.
    id = models.UUIDField(primary_key=True, default=uuid4, editable=False)
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="answers")
    option = models.ForeignKey(PollOption, on_delete=models.PROTECT, related_name="answers")
    # Keyed pseudonym of the respondent for this poll only (see services.respondent_key).
    respondent = models.CharField(max_length=64)
    # The CBS wijk or buurt code, only when the poll asks for that breakdown.
    area = models.CharField(max_length=10, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["poll", "respondent"], name="participation_answer_once")
        ]

    def __str__(self) -> str:
        return f"antwoord op peiling {self.poll_id}"


class PollNotice(models.Model):
    """A new poll on a subscriber's page, until they open it."""

    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="poll_notices")
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="notices")
    created_at = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["party", "poll"], name="participation_notice_once")
        ]

    def __str__(self) -> str:
        return f"bericht over peiling {self.poll_id}"
