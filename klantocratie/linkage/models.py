"""Partner records that name a person without a BSN, and their links to parties.

A housing corporation's complaint or a creditor's arrears report names the person by
name, birth date and address. The record itself stays in its source; what is kept here
is its identifying part (to link it) and each link, with the certainty that decided it,
so a link is never silent: it is automatic above the model's upper threshold, waits for
a trained employee between the thresholds, and can always be undone.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

# The identifying part of a partner's record, in the order the gate hands persons'
# identities out (klantocratie.privacy.gate.IdentityRow, after the pseudonym).
IDENTITY_FIELDS = (
    "surname",
    "surname_prefix",
    "given_names",
    "birth_date",
    "street",
    "house_number",
    "house_number_addition",
    "postcode",
    "city",
)


class PartnerRecord(models.Model):
    """Whom a partner's record is about, as the partner wrote it down."""

    source = models.ForeignKey(
        "registry.Source", on_delete=models.PROTECT, related_name="partner_records"
    )
    # The partner's own key for the record: re-delivering it updates, never duplicates.
    reference = models.CharField("kenmerk", max_length=64)
    bsn = models.CharField("BSN (indien aangeleverd)", max_length=9, blank=True)
    surname = models.CharField("achternaam", max_length=200, blank=True)
    surname_prefix = models.CharField("voorvoegsel", max_length=20, blank=True)
    given_names = models.CharField("voornamen of voorletters", max_length=200, blank=True)
    # ISO date as delivered after parsing; empty when the partner did not know it.
    birth_date = models.CharField("geboortedatum", max_length=10, blank=True)
    street = models.CharField("straat", max_length=200, blank=True)
    house_number = models.PositiveIntegerField("huisnummer", null=True, blank=True)
    house_number_addition = models.CharField("toevoeging", max_length=10, blank=True)
    postcode = models.CharField(max_length=6, blank=True)
    city = models.CharField("woonplaats", max_length=200, blank=True)
    received_at = models.DateTimeField("ontvangen", auto_now_add=True)
    updated_at = models.DateTimeField("bijgewerkt", auto_now=True)

    class Meta:
        verbose_name = "partnerrecord"
        verbose_name_plural = "partnerrecords"
        constraints = [
            models.UniqueConstraint(
                fields=["source", "reference"], name="unique_partner_record_reference"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source.code}:{self.reference}"


class LinkageModel(models.Model):
    """A linkage model trained for one source: its Splink settings and thresholds."""

    source = models.ForeignKey(
        "registry.Source", on_delete=models.PROTECT, related_name="linkage_models"
    )
    version = models.CharField(max_length=40, unique=True)
    settings = models.JSONField(help_text="Het getrainde Splink-model (JSON).")
    trained_on = models.JSONField(default=dict)
    trained_at = models.DateTimeField(auto_now_add=True)
    trained_by = models.CharField(max_length=150)
    # Probabilities: at or above upper a link is automatic, from lower up to upper it
    # waits for review, below lower there is no link.
    upper_threshold = models.FloatField()
    lower_threshold = models.FloatField()

    class Meta:
        ordering = ["-trained_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(lower_threshold__gt=0)
                & Q(lower_threshold__lt=models.F("upper_threshold"))
                & Q(upper_threshold__lte=1),
                name="linkage_thresholds_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.version


class LinkMethod(models.TextChoices):
    BSN = "bsn", "BSN aangeleverd"
    PROBABILISTIC = "probabilistisch", "Probabilistisch"


class LinkStatus(models.TextChoices):
    AUTOMATIC = "automatisch", "Automatisch gekoppeld"
    REVIEW = "te-beoordelen", "Wacht op beoordeling"
    ACCEPTED = "geaccepteerd", "Geaccepteerd na beoordeling"
    REJECTED = "afgewezen", "Afgewezen na beoordeling"
    UNDONE = "ongedaan", "Ongedaan gemaakt"


# A link in force makes the record part of the party's data; one under review not yet.
IN_FORCE = (LinkStatus.AUTOMATIC, LinkStatus.ACCEPTED)
OPEN = (LinkStatus.AUTOMATIC, LinkStatus.ACCEPTED, LinkStatus.REVIEW)


class Link(models.Model):
    record = models.ForeignKey(PartnerRecord, on_delete=models.CASCADE, related_name="links")
    party = models.ForeignKey("parties.Party", on_delete=models.PROTECT, related_name="links")
    method = models.CharField(max_length=16, choices=LinkMethod.choices)
    model = models.ForeignKey(
        LinkageModel, on_delete=models.PROTECT, null=True, blank=True, related_name="links"
    )
    match_weight = models.FloatField(null=True, blank=True)
    match_probability = models.FloatField(null=True, blank=True)
    # Every comparison's level with its Bayes factor, strongest first: what decided it.
    levels = models.JSONField(default=list, blank=True)
    # A runner-up close to the best candidate: such a link is never automatic.
    ambiguous = models.BooleanField(default=False)
    status = models.CharField(max_length=16, choices=LinkStatus.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.CharField(max_length=150, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["record"],
                condition=Q(status__in=[s.value for s in OPEN]),
                name="one_open_link_per_partner_record",
            )
        ]
        indexes = [models.Index(fields=["party", "status"], name="link_party_status_idx")]

    def __str__(self) -> str:
        return f"{self.record} -> {self.party_id} ({self.get_status_display()})"

    @property
    def in_force(self) -> bool:
        return self.status in IN_FORCE
