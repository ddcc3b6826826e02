"""Filters shared by the API's endpoints."""

from datetime import UTC, datetime

from django.core.exceptions import ValidationError
from django_filters import IsoDateTimeFilter
from django_filters.fields import IsoDateTimeField


class UtcIsoDateTimeField(IsoDateTimeField):
    """An ISO 8601 date-time, moved to UTC before it reaches the database.

    Any offset is valid ISO 8601, but PostgreSQL refuses offsets beyond ±15:59, and a
    refused query would end the request's transaction; in UTC every moment is accepted.
    """

    def to_python(self, value: object) -> datetime | None:
        moment = super().to_python(value)
        if moment is None:
            return None
        try:
            return moment.astimezone(UTC)
        except OverflowError:
            raise ValidationError(
                "Deze datum en tijd liggen buiten het bereik van de kalender.", code="invalid"
            ) from None


class UtcIsoDateTimeFilter(IsoDateTimeFilter):
    field_class = UtcIsoDateTimeField
