"""What the personal page keeps itself: the resident's correction requests.

Everything else it shows lives in the sources, the case system, the contact registry
and the signal register, and is read through the gate.
"""

import uuid

from django.db import models


class CorrectionStatus(models.TextChoices):
    FORWARDED = "doorgestuurd", "Doorgestuurd naar de bron"
    IN_PROGRESS = "in_behandeling", "In behandeling bij de bron"
    CORRECTED = "gecorrigeerd", "Gecorrigeerd"
    REJECTED = "afgewezen", "Afgewezen"


# The statuses after which the source has decided and nothing changes any more.
DECIDED = frozenset({CorrectionStatus.CORRECTED, CorrectionStatus.REJECTED})


class CorrectionRequest(models.Model):
    """A resident's request (art. 16 AVG) to correct one element at the source that owns it.

    The source decides; the request records what was asked and follows the source's
    progress, so the resident sees where it stands.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    party = models.ForeignKey(
        "parties.Party", on_delete=models.CASCADE, related_name="correction_requests"
    )
    element = models.ForeignKey(
        "registry.DataElement", on_delete=models.PROTECT, related_name="correction_requests"
    )
    source = models.ForeignKey(
        "registry.Source", on_delete=models.PROTECT, related_name="correction_requests"
    )
    proposed_value = models.CharField(max_length=500)
    explanation = models.TextField(blank=True)
    status = models.CharField(
        max_length=16, choices=CorrectionStatus.choices, default=CorrectionStatus.FORWARDED
    )
    submitted_at = models.DateTimeField()
    # Who submitted it: the resident, or their representative acting for them.
    submitted_by = models.CharField(max_length=150)
    decided_at = models.DateTimeField(null=True, blank=True)
    trace_id = models.CharField(max_length=32, blank=True)

    class Meta:
        ordering = ["-submitted_at"]
        indexes = [models.Index(fields=["party", "-submitted_at"])]

    def __str__(self) -> str:
        return f"Correctie {self.element.code} ({self.get_status_display()})"

    @property
    def is_decided(self) -> bool:
        return self.status in DECIDED


class CorrectionStep(models.Model):
    """One step in a correction's progress, as the resident reads it."""

    request = models.ForeignKey(CorrectionRequest, on_delete=models.CASCADE, related_name="steps")
    status = models.CharField(max_length=16, choices=CorrectionStatus.choices)
    at = models.DateTimeField()
    note = models.TextField(blank=True)
    by = models.CharField(max_length=200, help_text="The organisation, never an employee.")

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d} {self.get_status_display()}"
