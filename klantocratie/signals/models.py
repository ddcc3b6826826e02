"""Proactive signals: the public rule catalogue, the signals rules raise, and their
human follow-up.

A rule is public and versioned; a signal records the rule version, the input facts
with their sources and the explanation, so anyone can see why it was raised. A signal
only ever leads to an offer or to help: there is no path from here to a sanction or a
decision on a benefit.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from klantocratie.accounts.roles import Role
from klantocratie.registry.models import code_validator


class Team(models.Model):
    """A team that works a signal worklist: the employees of an organisation in a role."""

    code = models.SlugField(max_length=64, unique=True, validators=[code_validator])
    name = models.CharField("naam", max_length=120)
    organisation = models.ForeignKey(
        "registry.Organisation", on_delete=models.PROTECT, related_name="signal_teams"
    )
    role = models.CharField("rol", max_length=32, choices=Role.choices)
    activity = models.CharField(
        "verwerking", max_length=100, help_text="De verwerking waaronder het team werkt."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Severity(models.TextChoices):
    LOW = "laag", "Laag"
    MEDIUM = "middel", "Middel"
    HIGH = "hoog", "Hoog"


class ActionKind(models.TextChoices):
    TASK = "taak", "Taak voor een team"
    OFFER = "aanbod", "Aanbod aan de inwoner"


class SignalRule(models.Model):
    """One version of a public signal rule, loaded from the pack.

    A loaded version never changes: other content for the same code and version is
    refused, so the rule a signal names is the rule that raised it.
    """

    code = models.SlugField(max_length=100, validators=[code_validator])
    version = models.PositiveIntegerField()
    name = models.CharField("naam", max_length=200)
    description = models.TextField("beschrijving", help_text="In begrijpelijk Nederlands.")
    activity = models.CharField("verwerking", max_length=100)
    elements = models.JSONField("gebruikte gegevens", default=list)
    spec = models.JSONField("voorwaarde", help_text="Feiten en voorwaarde, zoals in het pakket.")
    explanation = models.TextField("uitleg voor de medewerker")
    resident_explanation = models.TextField("uitleg voor de inwoner")
    action = models.CharField("actie", max_length=16, choices=ActionKind.choices)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="rules")
    offer_title = models.CharField("aanbod", max_length=200, blank=True)
    offer_text = models.TextField("tekst aanbod", blank=True)
    life_event = models.CharField(
        "levensgebeurtenis", max_length=100, blank=True, help_text="Producten bij het aanbod."
    )
    outcomes = models.JSONField("mogelijke uitkomsten", default=list)
    severity = models.CharField("urgentie", max_length=8, choices=Severity.choices)
    retention_days = models.PositiveIntegerField("bewaartermijn (dagen)")
    declined_retention_days = models.PositiveIntegerField(
        "bewaartermijn afgewezen aanbod (dagen)", default=30
    )
    # Arrears reporters hear back only "picked up or not" (art. 3a Wgs).
    reports_back_to_creditor = models.BooleanField("terugmelding aan schuldeiser", default=False)
    valid_from = models.DateField("geldig vanaf")
    valid_to = models.DateField("geldig tot", null=True, blank=True)
    content_sha256 = models.CharField(max_length=64)
    source_file = models.CharField("bestand", max_length=300)
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="unique_signal_rule_version")
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"

    @property
    def identifier(self) -> str:
        return f"{self.code}@{self.version}"


class RunMode(models.TextChoices):
    FULL = "full", "Volledig"
    INCREMENTAL = "incremental", "Na een gebeurtenis"


class SignalRun(models.Model):
    """One evaluation of rules: on a whole snapshot, or on the parties one event touched."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    mode = models.CharField(max_length=16, choices=RunMode.choices)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    reference_date = models.DateField("peildatum")
    rules = models.JSONField("regels", default=list)
    snapshots = models.ManyToManyField("analytics.Snapshot", blank=True, related_name="runs")
    triggered_by = models.CharField("aanleiding", max_length=200)
    fired = models.PositiveIntegerField("signalen gevonden", default=0)
    created = models.PositiveIntegerField("nieuwe signalen", default=0)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.get_mode_display()} {self.started_at:%d-%m-%Y %H:%M}"


class SignalStatus(models.TextChoices):
    NEW = "nieuw", "Nieuw"
    TRIAGED = "beoordeeld", "Beoordeeld"
    IN_PROGRESS = "in_behandeling", "In behandeling"
    CLOSED = "afgesloten", "Afgesloten"


class OfferState(models.TextChoices):
    NONE = "", "Geen aanbod"
    OPEN = "open", "Open"
    ACCEPTED = "aangenomen", "Aangenomen"
    DECLINED = "afgewezen", "Afgewezen"
    LATER = "niet_nu", "Niet nu"


class Outcome(models.TextChoices):
    """How a follow-up ended. A closed list: help, never a sanction."""

    HELP_STARTED = "hulp_gestart", "Hulp of regeling gestart"
    REFERRED = "doorverwezen", "Doorverwezen naar andere hulp"
    ALREADY_HELPED = "al_in_beeld", "Al in beeld bij hulpverlening"
    INFORMATION_GIVEN = "informatie_gegeven", "Informatie gegeven"
    NO_NEED = "geen_hulp_nodig", "Geen hulp nodig"
    DECLINED = "hulp_afgewezen", "Inwoner wil geen hulp"
    NOT_REACHED = "niet_bereikt", "Niet bereikt"
    INCORRECT = "signaal_onjuist", "Signaal bleek onjuist"


# Outcomes that count as "picked up" for a creditor's feedback.
PICKED_UP = frozenset(
    {Outcome.HELP_STARTED, Outcome.REFERRED, Outcome.ALREADY_HELPED, Outcome.INFORMATION_GIVEN}
)


class Signal(models.Model):
    """A rule fired for a person: why, on which facts, and what was done with it."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    rule = models.ForeignKey(SignalRule, on_delete=models.PROTECT, related_name="signals")
    party = models.ForeignKey("parties.Party", on_delete=models.CASCADE, related_name="signals")
    run = models.ForeignKey(SignalRun, on_delete=models.SET_NULL, null=True, related_name="+")
    # The snapshot pseudonym and the hash of rule, pseudonym and facts: the same rule
    # version on the same facts gives the same fingerprint, and no second signal.
    subject = models.CharField(max_length=64)
    fingerprint = models.CharField(max_length=64)
    reference_date = models.DateField("peildatum")
    facts = models.JSONField("feiten", default=dict)
    evidence = models.JSONField("onderliggende gegevens", default=list)
    explanation = models.TextField("uitleg")
    resident_explanation = models.TextField("uitleg voor de inwoner")
    buurt_code = models.CharField("buurtcode", max_length=10, blank=True)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="signals")
    status = models.CharField(max_length=16, choices=SignalStatus.choices, default="nieuw")
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_signals",
    )
    offer_state = models.CharField(
        max_length=16, choices=OfferState.choices, default="", blank=True
    )
    offer_answered_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=32, choices=Outcome.choices, blank=True)
    closing_note = models.TextField("toelichting afsluiting", blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    contested = models.BooleanField("betwist door de inwoner", default=False)
    created_at = models.DateTimeField()
    delete_after = models.DateField("verwijderen na")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "party", "fingerprint"], name="unique_signal_per_situation"
            ),
            models.CheckConstraint(
                condition=Q(status="afgesloten", closed_at__isnull=False) | ~Q(status="afgesloten"),
                name="signal_closed_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["team", "status", "created_at"]),
            models.Index(fields=["delete_after"]),
            models.Index(fields=["party", "rule"]),
        ]

    def __str__(self) -> str:
        return f"{self.rule.name} ({self.created_at:%d-%m-%Y})"

    @property
    def is_open(self) -> bool:
        return self.status != SignalStatus.CLOSED


class AttemptChannel(models.TextChoices):
    LETTER = "brief", "Brief"
    PHONE = "telefoon", "Telefoon"
    HOME_VISIT = "huisbezoek", "Huisbezoek"


class ContactAttempt(models.Model):
    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="attempts")
    channel = models.CharField("kanaal", max_length=16, choices=AttemptChannel.choices)
    at = models.DateTimeField("moment")
    reached = models.BooleanField("bereikt")
    note = models.TextField("notitie", blank=True)
    by = models.CharField("door", max_length=150)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.at:%d-%m-%Y}"


class ReactionKind(models.TextChoices):
    COMMENT = "reactie", "Reactie"
    CONTEST = "bezwaar", "Bezwaar tegen het signaal"


class Reaction(models.Model):
    """The resident's own word on a signal. A contested fact goes to its source."""

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="reactions")
    kind = models.CharField(max_length=16, choices=ReactionKind.choices)
    text = models.TextField("tekst")
    reference = models.CharField(
        "betwist gegeven", max_length=100, blank=True, help_text="Kenmerk in de bron."
    )
    source = models.CharField("bron", max_length=64, blank=True)
    correction_task = models.ForeignKey(
        "contacts.InternalTask", on_delete=models.SET_NULL, null=True, blank=True
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%d-%m-%Y}"


class SignalEvent(models.Model):
    """The history of a signal: who did what, when, and why."""

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="history")
    at = models.DateTimeField()
    actor = models.CharField(max_length=150)
    kind = models.CharField(max_length=32)
    description = models.TextField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%d-%m-%Y %H:%M} {self.kind}"
