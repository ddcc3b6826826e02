from typing import Any

from rest_framework import serializers

from klantocratie.parties import validators
from klantocratie.privacy.models import ProcessingActivity
from klantocratie.registry.models import DataElement


class ClientLookupSerializer(serializers.Serializer):
    """Identify the client in the request body, so identifiers never appear in URLs."""

    bsn = serializers.CharField(required=False, validators=[validators.validate_bsn])
    kvk = serializers.CharField(required=False, validators=[validators.validate_kvk_number])
    activity = serializers.CharField(
        required=False, help_text="Processing activity code; defaults to the role's usual one."
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        given = [key for key in ("bsn", "kvk") if attrs.get(key)]
        if len(given) != 1:
            raise serializers.ValidationError({"bsn": ["Geef precies één van bsn of kvk."]})
        return attrs


# Declared fields named "label" and "source" shadow attributes of DRF's Field in the
# type stubs only; DRF's metaclass turns them into output keys as intended.
class ElementValueSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    value = serializers.JSONField(allow_null=True)
    source = serializers.CharField(source="source_code")  # type: ignore[assignment]
    source_name = serializers.CharField()
    organisation = serializers.CharField(source="organisation_name")
    retrieved_at = serializers.DateTimeField()
    grant = serializers.IntegerField(source="grant_id")
    processing_activity = serializers.CharField(source="activity_id")


class SourceStatusSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    organisation = serializers.CharField(source="organisation_name")
    available = serializers.BooleanField()
    detail = serializers.CharField()
    elapsed_ms = serializers.FloatField()


class SectionSerializer(serializers.Serializer):
    source = SourceStatusSerializer(source="status")  # type: ignore[assignment]
    values = ElementValueSerializer(many=True)
    missing = serializers.ListField(child=serializers.CharField())


class ClientViewSerializer(serializers.Serializer):
    party = serializers.UUIDField(source="party.uuid")
    party_type = serializers.CharField(source="party.party_type")
    processing_activity = serializers.CharField(source="activity.identifier")
    degraded = serializers.BooleanField()
    withheld = serializers.ListField(child=serializers.CharField())
    trace_id = serializers.CharField()
    sections = SectionSerializer(many=True)


class ChangeRequestSerializer(serializers.Serializer):
    element = serializers.CharField()
    value = serializers.JSONField(allow_null=True)
    activity = serializers.CharField(required=False)


class ChangeResultSerializer(serializers.Serializer):
    element = serializers.CharField()
    status = serializers.ChoiceField(choices=["delivered", "pending", "rejected"])
    message = serializers.CharField()
    change_id = serializers.IntegerField()
    trace_id = serializers.CharField()


class DataElementSerializer(serializers.ModelSerializer):
    source = serializers.CharField(source="source.code")  # type: ignore[assignment]
    organisation = serializers.CharField(source="source.organisation.code")

    class Meta:
        model = DataElement
        fields = [
            "code",
            "label",
            "description",
            "party_type",
            "category",
            "changeable",
            "source",
            "organisation",
        ]


class ProcessingActivitySerializer(serializers.ModelSerializer):
    id = serializers.CharField(source="identifier")
    controller = serializers.CharField(source="controller.code")

    class Meta:
        model = ProcessingActivity
        fields = [
            "id",
            "code",
            "version",
            "name",
            "purpose",
            "controller",
            "gdpr_basis",
            "legal_article",
            "data_categories",
            "retention",
            "choice_rule",
            "valid_from",
            "valid_to",
        ]


class SourceHealthSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    organisation = serializers.CharField()
    ok = serializers.BooleanField()
    detail = serializers.CharField()
    checked_at = serializers.DateTimeField()
