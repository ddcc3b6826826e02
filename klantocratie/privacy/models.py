"""Managed privacy: the register of processing activities, grants, personal choices, the
processing log and the audit trail.
"""

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from klantocratie.accounts.roles import Role
from klantocratie.registry.models import code_validator


class GdprBasis(models.TextChoices):
    CONSENT = "6.1.a", "Toestemming (art. 6 lid 1 sub a AVG)"
    CONTRACT = "6.1.b", "Overeenkomst (art. 6 lid 1 sub b AVG)"
    LEGAL_OBLIGATION = "6.1.c", "Wettelijke verplichting (art. 6 lid 1 sub c AVG)"
    VITAL_INTEREST = "6.1.d", "Vitaal belang (art. 6 lid 1 sub d AVG)"
    PUBLIC_TASK = "6.1.e", "Algemeen belang / openbaar gezag (art. 6 lid 1 sub e AVG)"
    LEGITIMATE_INTEREST = "6.1.f", "Gerechtvaardigd belang (art. 6 lid 1 sub f AVG)"


class ChoiceRule(models.TextChoices):
    """How a person's own choice bears on an activity.

    Compulsory public tasks do not rest on consent (GDPR recital 43), so most activities
    ignore choices; optional extras need an opt-in, proactive outreach honours an opt-out.
    """

    NONE = "none", "Geen keuze (wettelijke taak)"
    OPT_IN = "opt_in", "Alleen na toestemming (opt-in)"
    OPT_OUT = "opt_out", "Tenzij bezwaar (opt-out)"


class ProcessingActivity(models.Model):
    """One version of an entry in the register of processing activities (art. 30 GDPR)."""

    code = models.SlugField(max_length=100, validators=[code_validator])
    version = models.PositiveIntegerField(default=1)
    name = models.CharField(max_length=200)
    purpose = models.TextField(help_text="Doel in begrijpelijk Nederlands.")
    controller = models.ForeignKey(
        "registry.Organisation", on_delete=models.PROTECT, related_name="activities"
    )
    gdpr_basis = models.CharField(max_length=8, choices=GdprBasis.choices)
    legal_article = models.CharField(
        max_length=300, help_text="Nationaal wetsartikel, bijv. 'Art. 2.3.2 Wmo 2015'."
    )
    data_categories = models.JSONField(default=list, blank=True)
    retention = models.CharField(max_length=200, help_text="Bewaartermijn in woorden.")
    retention_days = models.PositiveIntegerField(null=True, blank=True)
    choice_rule = models.CharField(
        max_length=16, choices=ChoiceRule.choices, default=ChoiceRule.NONE
    )
    choice_purpose = models.SlugField(
        max_length=100,
        blank=True,
        help_text="Purpose key of the personal choice that governs this activity; "
        "activities of several organisations can share one (e.g. proactive outreach).",
    )
    supplements = models.CharField(
        max_length=100,
        blank=True,
        help_text="Code of the activity this optional one extends: the client view built "
        "under that activity also shows what this one permits, if the person opted in.",
    )
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="unique_activity_version"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="activity_valid_period",
            ),
        ]
        ordering = ["code", "-version"]
        verbose_name_plural = "processing activities"

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"

    @property
    def identifier(self) -> str:
        """The id the processing log records: code and version, stable across renames."""
        return f"{self.code}@{self.version}"

    @property
    def effective_choice_purpose(self) -> str:
        return self.choice_purpose or self.code

    def clean(self) -> None:
        if self.choice_rule == ChoiceRule.OPT_IN and self.gdpr_basis != GdprBasis.CONSENT:
            raise ValidationError(
                {"gdpr_basis": "Een opt-in-verwerking rust op toestemming (art. 6 lid 1 sub a)."}
            )


class SubjectScope(models.TextChoices):
    ANY = "any", "Elke betrokkene"
    SELF = "self", "Alleen de eigen gegevens"


class Grant(models.Model):
    """Which organisation/role may view or change which elements, for which activity."""

    organisation = models.ForeignKey(
        "registry.Organisation", on_delete=models.PROTECT, related_name="grants"
    )
    role = models.CharField(max_length=32, choices=Role.choices)
    activity = models.ForeignKey(
        ProcessingActivity, on_delete=models.PROTECT, related_name="grants"
    )
    elements = models.ManyToManyField("registry.DataElement", related_name="grants")
    may_change = models.BooleanField(
        default=False, help_text="Also change (the changeable ones of) these elements."
    )
    subject_scope = models.CharField(
        max_length=8, choices=SubjectScope.choices, default=SubjectScope.ANY
    )
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["organisation__code", "role", "activity__code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="grant_valid_period",
            ),
        ]

    def __str__(self) -> str:
        access = "inzien en wijzigen" if self.may_change else "inzien"
        return f"{self.organisation} / {self.get_role_display()} — {access} voor {self.activity}"


class ChoiceStatus(models.TextChoices):
    GIVEN = "given", "Gegeven"
    WITHDRAWN = "withdrawn", "Ingetrokken"


class ChoiceKind(models.TextChoices):
    OPT_IN = "opt_in", "Toestemming voor extra"
    OPT_OUT = "opt_out", "Bezwaar tegen proactief benaderen"


class CollectionChannel(models.TextChoices):
    PORTAL = "portal", "Persoonlijke pagina"
    DESK = "desk", "Balie"
    PHONE = "phone", "Telefoon"
    LETTER = "letter", "Brief"
    EMAIL = "email", "E-mail"
    IMPORT = "import", "Gegevensimport"


class ChoicePurpose(models.Model):
    """A purpose a person can make a choice about, as the pack describes it to them.

    The register's activities name the purpose they depend on (``choice_purpose``); this
    record says in plain Dutch what the person gains, what it costs in privacy and what
    they declare by giving or withdrawing. Loaded from ``privacy-choices.yaml``.
    """

    code = models.SlugField(max_length=100, unique=True, validators=[code_validator])
    kind = models.CharField(max_length=16, choices=ChoiceKind.choices)
    title = models.CharField(max_length=200)
    benefit = models.TextField(help_text="What the person gains by this processing.")
    privacy_cost = models.TextField(help_text="What it costs them in privacy.")
    statement = models.TextField(help_text="What the person declares when giving the choice.")
    withdraw_statement = models.TextField(help_text="What they declare when withdrawing it.")
    activities = models.JSONField(
        default=list, help_text="Codes of the register's activities this choice governs."
    )
    display_order = models.PositiveIntegerField(default=100)

    class Meta:
        ordering = ["display_order", "code"]

    def __str__(self) -> str:
        return self.title


class PrivacyChoice(models.Model):
    """A party's own choice about one purpose. The latest record per purpose counts.

    Each record is also a receipt: ``uuid`` is its number, and ``receipt_sha256`` seals
    what was decided (see privacy/receipts.py), so a later change to the record shows.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    party = models.ForeignKey(
        "parties.Party", on_delete=models.CASCADE, related_name="privacy_choices"
    )
    purpose = models.SlugField(max_length=100)
    kind = models.CharField(max_length=16, choices=ChoiceKind.choices)
    status = models.CharField(max_length=16, choices=ChoiceStatus.choices)
    decided_at = models.DateTimeField()
    expires_at = models.DateTimeField(null=True, blank=True)
    collected_via = models.CharField(max_length=16, choices=CollectionChannel.choices)
    statement = models.TextField(
        blank=True, help_text="The text the person agreed to or objected under."
    )
    representation = models.CharField(
        max_length=24,
        blank=True,
        help_text="The kind of authorisation (parties.AuthorisationKind) under which a "
        "representative decided; blank when the person decided themselves.",
    )
    organisations = models.JSONField(
        default=list, help_text="Names of the organisations the choice concerned when made."
    )
    receipt_sha256 = models.CharField(
        max_length=64, blank=True, help_text="Fingerprint of the receipt; blank until issued."
    )

    class Meta:
        ordering = ["party", "purpose", "-decided_at"]
        indexes = [models.Index(fields=["party", "purpose", "-decided_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.purpose}: {self.get_status_display()}"

    @property
    def action_label(self) -> str:
        """What the person did, in their words: consent or objection, given or withdrawn."""
        given = self.status == ChoiceStatus.GIVEN
        if self.kind == ChoiceKind.OPT_OUT:
            return "Bezwaar gemaakt" if given else "Bezwaar ingetrokken"
        return "Toestemming gegeven" if given else "Toestemming ingetrokken"


class ProcessingLogRecord(models.Model):
    """One processing of one data subject, after the Logboek Dataverwerkingen standard.

    Records are append-only and hash-chained: ``record_hash`` covers every field and the
    previous record's hash, so a changed, removed or inserted record breaks the chain.
    The actor is deliberately absent: who did it is in the separate audit trail, linked
    by trace and span id.
    """

    sequence = models.BigIntegerField(unique=True)
    trace_id = models.CharField(max_length=32)
    span_id = models.CharField(max_length=16)
    parent_span_id = models.CharField(max_length=16, blank=True)
    operation = models.CharField(max_length=64)
    processing_activity_id = models.CharField(max_length=120)
    data_subject_id = models.CharField(
        max_length=64, help_text="HMAC-SHA256 pseudonym of the subject's identifier."
    )
    data_subject_type = models.CharField(max_length=32)
    start_time = models.DateTimeField()
    end_time = models.DateTimeField()
    status = models.CharField(max_length=8)
    previous_hash = models.CharField(max_length=64)
    record_hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["sequence"]
        indexes = [
            models.Index(fields=["data_subject_id", "sequence"]),
            models.Index(fields=["trace_id"]),
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.operation} {self.processing_activity_id}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise PermissionError("The processing log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise PermissionError("The processing log is append-only.")


class LogChainHead(models.Model):
    """The single row holding the chain's last sequence and hash.

    Appending locks this row, which serialises writers so the chain stays linear, and it
    lets verify-log notice records removed from the end.
    """

    singleton = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_sequence = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"{self.last_sequence}:{self.last_hash}"


class AuditOutcome(models.TextChoices):
    ALLOWED = "allowed", "Toegestaan"
    PARTIAL = "partial", "Deels toegestaan"
    DENIED = "denied", "Geweigerd"
    FAILED = "failed", "Mislukt"


class AuditEntry(models.Model):
    """Who did what: the actor side of every gate call, allowed or denied."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    at = models.DateTimeField(db_index=True)
    trace_id = models.CharField(max_length=32, db_index=True)
    span_id = models.CharField(max_length=16)
    actor = models.CharField(max_length=150, db_index=True)
    role = models.CharField(max_length=32, choices=Role.choices)
    organisation = models.CharField(max_length=64)
    processing_activity_id = models.CharField(max_length=120)
    operation = models.CharField(max_length=64)
    data_subject_id = models.CharField(max_length=64, blank=True)
    elements = models.JSONField(default=list)
    outcome = models.CharField(max_length=16, choices=AuditOutcome.choices)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.operation} {self.outcome}"
