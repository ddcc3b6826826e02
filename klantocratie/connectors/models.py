from django.db import models


class ChangeStatus(models.TextChoices):
    PENDING = "pending", "Wacht op bron"
    DELIVERED = "delivered", "Verwerkt door bron"
    REJECTED = "rejected", "Geweigerd door bron"


class SourceChange(models.Model):
    """Outbox of changes to sources: written with the change's log record, then delivered.

    A source that is down leaves the change pending; it is retried with backoff until the
    source accepts it (delivered) or refuses the value (rejected). Nothing is dropped.
    """

    source = models.ForeignKey("registry.Source", on_delete=models.PROTECT, related_name="changes")
    element = models.ForeignKey(
        "registry.DataElement", on_delete=models.PROTECT, related_name="changes"
    )
    party = models.ForeignKey("parties.Party", on_delete=models.PROTECT, related_name="changes")
    identifier_type = models.CharField(max_length=32)
    identifier_value = models.CharField(max_length=32)
    value = models.JSONField(null=True)
    status = models.CharField(
        max_length=16, choices=ChangeStatus.choices, default=ChangeStatus.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    last_error = models.TextField(blank=True)
    requested_by = models.CharField(max_length=150)
    trace_id = models.CharField(max_length=32)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.element} via {self.source} ({self.get_status_display()})"
