import uuid

from django.db import models


class Event(models.Model):
    """A CloudEvents 1.0 event in the transactional outbox.

    Written in the same transaction as the change it reports, so a consumer (signals,
    notifications, webhooks) never sees an event for a change that was rolled back,
    nor misses one that was committed.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    specversion = models.CharField(max_length=8, default="1.0")
    type = models.CharField(max_length=120, db_index=True)
    source = models.CharField(max_length=200)
    subject = models.CharField(max_length=200, blank=True)
    time = models.DateTimeField(db_index=True)
    datacontenttype = models.CharField(max_length=64, default="application/json")
    data = models.JSONField(default=dict)
    trace_id = models.CharField(max_length=32, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["time"]

    def __str__(self) -> str:
        return f"{self.type} {self.subject}"

    def as_cloudevent(self) -> dict[str, object]:
        return {
            "specversion": self.specversion,
            "id": str(self.id),
            "type": self.type,
            "source": self.source,
            "subject": self.subject,
            "time": self.time.isoformat(),
            "datacontenttype": self.datacontenttype,
            "data": self.data,
            # Extension attribute: links the event to the processing log's trace.
            "traceid": self.trace_id,
        }
