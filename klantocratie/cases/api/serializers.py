"""Serializers in the shapes of the VNG Zaken API (1.5) and Catalogi API (1.3): camelCase
names, `url` on every resource, references between resources as URLs.

A case-type version is a ZGW zaaktype, so a case's `zaaktype` points at the exact
version it runs on. Only fields the case system holds are exposed;
tests/cases/test_zaken_api_shape.py checks each against the official schemas, and
names the few klantocratie extensions (docs/api.md describes them).
"""

from __future__ import annotations

import json
import uuid
from datetime import date
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from django.urls import Resolver404, get_script_prefix, resolve
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers
from rest_framework.reverse import reverse

from klantocratie.cases.models import (
    Case,
    CaseResult,
    CaseRole,
    CaseStatus,
    CaseTypeVersion,
    Confidentiality,
    ResultType,
    RoleType,
    StatusType,
)
from klantocratie.parties import validators
from klantocratie.registry.models import Organisation

ZAAK = "api:zaken:zaak"
STATUS = "api:zaken:status"
RESULTAAT = "api:zaken:resultaat"
ROL = "api:zaken:rol"
ZAAKEIGENSCHAP = "api:zaken:zaakeigenschap"
ZAAKTYPE = "api:catalogi:zaaktype"
STATUSTYPE = "api:catalogi:statustype"
RESULTAATTYPE = "api:catalogi:resultaattype"
ROLTYPE = "api:catalogi:roltype"
PARTIJ = "api:klantinteracties:partij"

# The spec wants a URI for the channel; ours are names, so they travel as URNs.
CHANNEL_URN = "urn:klantocratie:communicatiekanaal:"
# Related cases are linked both ways without a direction, so every link is "relevant to".
RELATION = "onderwerp"
ARCHIVE_ACTIONS = ["blijvend_bewaren", "vernietigen"]
SUPPORTED_SUBJECTS = [
    CaseRole.SubjectKind.PERSON,
    CaseRole.SubjectKind.BUSINESS,
    CaseRole.SubjectKind.EMPLOYEE,
]


def resource_url(view: str, context: dict[str, Any], **kwargs: Any) -> str:
    return reverse(f"{view}-detail", kwargs=kwargs, request=context.get("request"))


def uuid_from_url(value: str, view: str) -> uuid.UUID | None:
    """The uuid in a URL of one of our resources of this kind, or None.

    The host is not compared: behind a proxy, clients may know us by another name.
    """
    try:
        path = urlsplit(value).path
    except ValueError:
        return None
    prefix = get_script_prefix()
    if prefix != "/" and path.startswith(prefix):
        path = "/" + path[len(prefix) :]
    try:
        match = resolve(path)
    except Resolver404:
        return None
    if match.view_name != f"{view}-detail":
        return None
    found = match.kwargs.get("uuid")
    return found if isinstance(found, uuid.UUID) else None


def organisation_id(organisation: Organisation) -> str:
    """How an organisation appears in bronorganisatie: its OIN if known, else its code."""
    return organisation.oin or organisation.code


def days(count: int | None) -> str | None:
    """A number of days as an ISO 8601 duration (P56D)."""
    return f"P{count}D" if count is not None else None


def channel_urn(channel: str) -> str:
    return f"{CHANNEL_URN}{quote(channel, safe='')}" if channel else ""


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def property_uuid(case: Case, code: str) -> uuid.UUID:
    """A stable uuid for one property of one case (properties are stored as a mapping)."""
    return uuid.uuid5(case.uuid, code)


@extend_schema_field(OpenApiTypes.URI)
class UriField(serializers.CharField):
    """A URI: a reference to a resource here, or a URN."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 1000)
        super().__init__(**kwargs)


@extend_schema_field({"type": "string", "format": "duration"})
class DurationField(serializers.CharField):
    """An ISO 8601 duration such as P56D."""


# --- zaken ------------------------------------------------------------------------------


class RelevanteZaakSerializer(serializers.Serializer):
    url = UriField()
    aardRelatie = serializers.ChoiceField(choices=[RELATION])  # noqa: N815


class VerlengingSerializer(serializers.Serializer):
    reden = serializers.CharField(max_length=200)
    duur = DurationField()


class OpschortingSerializer(serializers.Serializer):
    indicatie = serializers.BooleanField()
    reden = serializers.CharField(max_length=200, allow_blank=True)


class PartijIdentificatieSerializer(serializers.Serializer):
    """A person by BSN, or a business by RSIN (innNnpId) or KvK number (kvkNummer)."""

    inpBsn = serializers.CharField(  # noqa: N815
        required=False, allow_blank=True, validators=[validators.validate_bsn]
    )
    innNnpId = serializers.CharField(  # noqa: N815
        required=False, allow_blank=True, validators=[validators.validate_rsin]
    )
    kvkNummer = serializers.CharField(  # noqa: N815
        required=False, allow_blank=True, validators=[validators.validate_kvk_number]
    )


@extend_schema_serializer(component_name="ZaakInitiator")
class InitiatorSerializer(PartijIdentificatieSerializer):
    """Extension: the client of a case, given when it is registered (see docs/api.md)."""

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        given = [key for key, value in attrs.items() if value]
        if len(given) != 1:
            raise serializers.ValidationError("Geef precies één van inpBsn, innNnpId of kvkNummer.")
        return attrs


class ZaakSerializer(serializers.Serializer):
    url = UriField(read_only=True)
    uuid = serializers.UUIDField(read_only=True)
    identificatie = serializers.CharField(read_only=True)
    bronorganisatie = serializers.CharField(required=False, max_length=64)
    omschrijving = serializers.CharField(required=False, allow_blank=True, default="")
    toelichting = serializers.CharField(
        required=False, allow_blank=True, max_length=1000, default=""
    )
    zaaktype = UriField()
    registratiedatum = serializers.DateField(read_only=True)
    verantwoordelijkeOrganisatie = serializers.CharField(read_only=True)  # noqa: N815
    startdatum = serializers.DateField(required=False)
    einddatum = serializers.DateField(read_only=True, allow_null=True)
    einddatumGepland = serializers.DateField(read_only=True, allow_null=True)  # noqa: N815
    uiterlijkeEinddatumAfdoening = serializers.DateField(  # noqa: N815
        required=False, allow_null=True
    )
    communicatiekanaal = UriField(required=False, allow_blank=True, default="")
    vertrouwelijkheidaanduiding = serializers.ChoiceField(
        choices=Confidentiality.values, read_only=True
    )
    status = UriField(read_only=True, allow_null=True)
    resultaat = UriField(read_only=True, allow_null=True)
    rollen = serializers.ListField(child=UriField(), read_only=True)
    eigenschappen = serializers.ListField(child=UriField(), read_only=True)
    relevanteAndereZaken = RelevanteZaakSerializer(many=True, read_only=True)  # noqa: N815
    verlenging = VerlengingSerializer(read_only=True, allow_null=True)
    opschorting = OpschortingSerializer(read_only=True)
    initiator = InitiatorSerializer(write_only=True, required=False)

    def validate_zaaktype(self, value: str) -> CaseTypeVersion:
        found = uuid_from_url(value, ZAAKTYPE)
        version = (
            CaseTypeVersion.objects.select_related("case_type").filter(uuid=found).first()
            if found
            else None
        )
        if version is None:
            raise serializers.ValidationError("Onbekend zaaktype.")
        return version

    def validate_communicatiekanaal(self, value: str) -> str:
        if not value:
            return ""
        if not value.startswith(CHANNEL_URN):
            raise serializers.ValidationError(f"Geef het kanaal als {CHANNEL_URN}<naam>.")
        channel = unquote(value[len(CHANNEL_URN) :]).strip()
        if not channel or len(channel) > 50:
            raise serializers.ValidationError("De kanaalnaam heeft 1 tot 50 tekens.")
        return channel

    def to_representation(self, instance: Case) -> dict[str, Any]:
        context = self.context
        result: CaseResult | None = getattr(instance, "result", None)
        extended = instance.extended_days > 0
        suspended = instance.suspended_since is not None
        return {
            "url": resource_url(ZAAK, context, uuid=instance.uuid),
            "uuid": str(instance.uuid),
            "identificatie": instance.identification,
            "bronorganisatie": organisation_id(instance.organisation),
            "omschrijving": instance.description,
            "toelichting": instance.explanation,
            "zaaktype": resource_url(ZAAKTYPE, context, uuid=instance.case_type_version.uuid),
            "registratiedatum": instance.registered_on.isoformat(),
            "verantwoordelijkeOrganisatie": organisation_id(instance.organisation),
            "startdatum": instance.start_date.isoformat(),
            "einddatum": _iso(instance.end_date),
            "einddatumGepland": _iso(instance.planned_end),
            "uiterlijkeEinddatumAfdoening": _iso(instance.deadline),
            "communicatiekanaal": channel_urn(instance.channel),
            "vertrouwelijkheidaanduiding": instance.confidentiality,
            "status": (
                resource_url(STATUS, context, uuid=instance.current_status.uuid)
                if instance.current_status
                else None
            ),
            "resultaat": resource_url(RESULTAAT, context, uuid=result.uuid) if result else None,
            "rollen": [resource_url(ROL, context, uuid=r.uuid) for r in instance.roles.all()],
            "eigenschappen": [
                resource_url(
                    ZAAKEIGENSCHAP,
                    context,
                    zaak_uuid=instance.uuid,
                    uuid=property_uuid(instance, c),
                )
                for c in instance.properties
            ],
            "relevanteAndereZaken": [
                {"url": resource_url(ZAAK, context, uuid=other.uuid), "aardRelatie": RELATION}
                for other in instance.related_cases.all()
            ],
            "verlenging": (
                {"reden": instance.extension_reason, "duur": days(instance.extended_days)}
                if extended
                else None
            ),
            "opschorting": {
                "indicatie": suspended,
                "reden": instance.suspension_reason if suspended else "",
            },
        }


class ZaakEigenschapSerializer(serializers.Serializer):
    url = UriField(read_only=True)
    uuid = serializers.UUIDField(read_only=True)
    zaak = UriField(read_only=True)
    naam = serializers.CharField(read_only=True)
    waarde = serializers.CharField(read_only=True)

    def to_representation(self, instance: tuple[Case, str]) -> dict[str, Any]:
        case, code = instance
        value = case.properties[code]
        key = property_uuid(case, code)
        return {
            "url": resource_url(ZAAKEIGENSCHAP, self.context, zaak_uuid=case.uuid, uuid=key),
            "uuid": str(key),
            "zaak": resource_url(ZAAK, self.context, uuid=case.uuid),
            "naam": code,
            # The spec's waarde is text; numbers and yes/no travel as JSON literals.
            "waarde": value if isinstance(value, str) else json.dumps(value),
        }


class StatusSerializer(serializers.Serializer):
    url = UriField(read_only=True)
    uuid = serializers.UUIDField(read_only=True)
    zaak = UriField()
    statustype = UriField()
    datumStatusGezet = serializers.DateTimeField(read_only=True)  # noqa: N815
    statustoelichting = serializers.CharField(
        required=False, allow_blank=True, max_length=1000, default=""
    )
    indicatieLaatstGezetteStatus = serializers.BooleanField(read_only=True)  # noqa: N815

    def to_representation(self, instance: CaseStatus) -> dict[str, Any]:
        context = self.context
        return {
            "url": resource_url(STATUS, context, uuid=instance.uuid),
            "uuid": str(instance.uuid),
            "zaak": resource_url(ZAAK, context, uuid=instance.case.uuid),
            "statustype": resource_url(STATUSTYPE, context, uuid=instance.status_type.uuid),
            "datumStatusGezet": timezone.localtime(instance.set_at).isoformat(),
            "statustoelichting": instance.explanation,
            "indicatieLaatstGezetteStatus": instance.case.current_status_id == instance.pk,
        }


class ResultaatSerializer(serializers.Serializer):
    url = UriField(read_only=True)
    uuid = serializers.UUIDField(read_only=True)
    zaak = UriField()
    resultaattype = UriField()
    toelichting = serializers.CharField(
        required=False, allow_blank=True, max_length=1000, default=""
    )

    def to_representation(self, instance: CaseResult) -> dict[str, Any]:
        context = self.context
        return {
            "url": resource_url(RESULTAAT, context, uuid=instance.uuid),
            "uuid": str(instance.uuid),
            "zaak": resource_url(ZAAK, context, uuid=instance.case.uuid),
            "resultaattype": resource_url(RESULTAATTYPE, context, uuid=instance.result_type.uuid),
            "toelichting": instance.explanation,
        }


@extend_schema_serializer(component_name="RolBetrokkeneIdentificatie")
class BetrokkeneIdentificatieSerializer(PartijIdentificatieSerializer):
    """Who has the role: inpBsn for a person, innNnpId or kvkNummer for a business,
    identificatie (the user name) for an employee."""

    identificatie = serializers.CharField(required=False, allow_blank=True, max_length=24)


def _betrokkene_identificatie(role: CaseRole) -> dict[str, str]:
    if role.subject_kind == CaseRole.SubjectKind.PERSON:
        return {"inpBsn": role.identifier}
    if role.subject_kind == CaseRole.SubjectKind.BUSINESS:
        key = "innNnpId" if role.identifier_type == "rsin" else "kvkNummer"
        return {key: role.identifier}
    return {"identificatie": role.identifier}


class RolSerializer(serializers.Serializer):
    url = UriField(read_only=True)
    uuid = serializers.UUIDField(read_only=True)
    zaak = UriField()
    betrokkene = UriField(read_only=True)
    betrokkeneType = serializers.ChoiceField(choices=SUPPORTED_SUBJECTS)  # noqa: N815
    roltype = UriField()
    omschrijving = serializers.CharField(read_only=True)
    omschrijvingGeneriek = serializers.ChoiceField(  # noqa: N815
        choices=RoleType.Generic.values, read_only=True
    )
    roltoelichting = serializers.CharField(
        required=False, allow_blank=True, max_length=1000, default=""
    )
    registratiedatum = serializers.DateTimeField(read_only=True)
    betrokkeneIdentificatie = BetrokkeneIdentificatieSerializer()  # noqa: N815

    def to_representation(self, instance: CaseRole) -> dict[str, Any]:
        context = self.context
        return {
            "url": resource_url(ROL, context, uuid=instance.uuid),
            "uuid": str(instance.uuid),
            "zaak": resource_url(ZAAK, context, uuid=instance.case.uuid),
            # Persons and businesses are parties of the Klantinteracties API.
            "betrokkene": (
                resource_url(PARTIJ, context, uuid=instance.party.uuid) if instance.party else ""
            ),
            "betrokkeneType": instance.subject_kind,
            "roltype": resource_url(ROLTYPE, context, uuid=instance.role_type.uuid),
            "omschrijving": instance.role_type.description,
            "omschrijvingGeneriek": instance.role_type.generic,
            "roltoelichting": instance.explanation,
            "registratiedatum": timezone.localtime(instance.registered_at).isoformat(),
            "betrokkeneIdentificatie": _betrokkene_identificatie(instance),
        }


# --- catalogi ---------------------------------------------------------------------------


class ZaakTypeSerializer(serializers.Serializer):
    url = UriField(read_only=True)
    identificatie = serializers.CharField(read_only=True)
    omschrijving = serializers.CharField(read_only=True)
    vertrouwelijkheidaanduiding = serializers.ChoiceField(
        choices=Confidentiality.values, read_only=True
    )
    doel = serializers.CharField(read_only=True)
    aanleiding = serializers.CharField(read_only=True)
    indicatieInternOfExtern = serializers.ChoiceField(  # noqa: N815
        choices=["intern", "extern"], read_only=True
    )
    handelingInitiator = serializers.CharField(read_only=True)  # noqa: N815
    onderwerp = serializers.CharField(read_only=True)
    handelingBehandelaar = serializers.CharField(read_only=True)  # noqa: N815
    doorlooptijd = DurationField(read_only=True)
    servicenorm = DurationField(read_only=True, allow_null=True)
    opschortingEnAanhoudingMogelijk = serializers.BooleanField(read_only=True)  # noqa: N815
    verlengingMogelijk = serializers.BooleanField(read_only=True)  # noqa: N815
    verlengingstermijn = DurationField(read_only=True, allow_null=True)
    trefwoorden = serializers.ListField(child=serializers.CharField(), read_only=True)
    productenOfDiensten = serializers.ListField(child=UriField(), read_only=True)  # noqa: N815
    statustypen = serializers.ListField(child=UriField(), read_only=True)
    resultaattypen = serializers.ListField(child=UriField(), read_only=True)
    roltypen = serializers.ListField(child=UriField(), read_only=True)
    beginGeldigheid = serializers.DateField(read_only=True)  # noqa: N815
    eindeGeldigheid = serializers.DateField(read_only=True, allow_null=True)  # noqa: N815
    versiedatum = serializers.DateField(read_only=True)
    concept = serializers.BooleanField(read_only=True)

    def to_representation(self, instance: CaseTypeVersion) -> dict[str, Any]:
        context = self.context
        # UPL names in the pack; the spec wants URIs, which the product catalogue knows.
        product_uris: dict[str, str] = context.get("product_uris", {})
        return {
            "url": resource_url(ZAAKTYPE, context, uuid=instance.uuid),
            "identificatie": instance.case_type.identification,
            "omschrijving": instance.description,
            "vertrouwelijkheidaanduiding": instance.confidentiality,
            "doel": instance.purpose,
            "aanleiding": instance.trigger,
            "indicatieInternOfExtern": instance.internal_or_external,
            "handelingInitiator": instance.initiator_action,
            "onderwerp": instance.subject,
            "handelingBehandelaar": instance.handler_action,
            "doorlooptijd": days(instance.processing_days),
            "servicenorm": days(instance.service_norm_days),
            "opschortingEnAanhoudingMogelijk": instance.suspension_allowed,
            "verlengingMogelijk": instance.extension_allowed,
            "verlengingstermijn": (
                days(instance.extension_days) if instance.extension_allowed else None
            ),
            "trefwoorden": list(instance.keywords),
            "productenOfDiensten": [
                product_uris[name] for name in instance.products if name in product_uris
            ],
            "statustypen": [
                resource_url(STATUSTYPE, context, uuid=s.uuid) for s in instance.status_types.all()
            ],
            "resultaattypen": [
                resource_url(RESULTAATTYPE, context, uuid=r.uuid)
                for r in instance.result_types.all()
            ],
            "roltypen": [
                resource_url(ROLTYPE, context, uuid=r.uuid) for r in instance.role_types.all()
            ],
            "beginGeldigheid": instance.valid_from.isoformat(),
            "eindeGeldigheid": _iso(instance.valid_until),
            "versiedatum": instance.version_date.isoformat(),
            "concept": not instance.is_published,
        }


def _of_case_type(version: CaseTypeVersion, context: dict[str, Any]) -> dict[str, str]:
    return {
        "zaaktype": resource_url(ZAAKTYPE, context, uuid=version.uuid),
        "zaaktypeIdentificatie": version.case_type.identification,
    }


class StatusTypeSerializer(serializers.Serializer):
    url = UriField(read_only=True)
    omschrijving = serializers.CharField(read_only=True)
    statustekst = serializers.CharField(read_only=True)
    zaaktype = UriField(read_only=True)
    zaaktypeIdentificatie = serializers.CharField(read_only=True)  # noqa: N815
    volgnummer = serializers.IntegerField(read_only=True)
    isEindstatus = serializers.BooleanField(read_only=True)  # noqa: N815
    informeren = serializers.BooleanField(read_only=True)

    def to_representation(self, instance: StatusType) -> dict[str, Any]:
        # Lists annotate the last number of the version; one status type asks itself.
        last = getattr(instance, "last_order", None)
        return {
            "url": resource_url(STATUSTYPE, self.context, uuid=instance.uuid),
            "omschrijving": instance.description,
            "statustekst": instance.resident_text,
            **_of_case_type(instance.version, self.context),
            "volgnummer": instance.order,
            "isEindstatus": instance.order == last if last is not None else instance.is_final,
            "informeren": instance.notify,
        }


class ResultaatTypeSerializer(serializers.Serializer):
    url = UriField(read_only=True)
    zaaktype = UriField(read_only=True)
    zaaktypeIdentificatie = serializers.CharField(read_only=True)  # noqa: N815
    omschrijving = serializers.CharField(read_only=True)
    omschrijvingGeneriek = serializers.CharField(read_only=True)  # noqa: N815
    archiefnominatie = serializers.ChoiceField(
        choices=ARCHIVE_ACTIONS, allow_blank=True, read_only=True
    )
    archiefactietermijn = DurationField(read_only=True, allow_null=True)

    def to_representation(self, instance: ResultType) -> dict[str, Any]:
        return {
            "url": resource_url(RESULTAATTYPE, self.context, uuid=instance.uuid),
            **_of_case_type(instance.version, self.context),
            "omschrijving": instance.description,
            "omschrijvingGeneriek": instance.generic_description,
            "archiefnominatie": (
                instance.archive_action if instance.archive_action in ARCHIVE_ACTIONS else ""
            ),
            "archiefactietermijn": instance.retention_period or None,
        }


class RolTypeSerializer(serializers.Serializer):
    url = UriField(read_only=True)
    zaaktype = UriField(read_only=True)
    zaaktypeIdentificatie = serializers.CharField(read_only=True)  # noqa: N815
    omschrijving = serializers.CharField(read_only=True)
    omschrijvingGeneriek = serializers.ChoiceField(  # noqa: N815
        choices=RoleType.Generic.values, read_only=True
    )

    def to_representation(self, instance: RoleType) -> dict[str, Any]:
        return {
            "url": resource_url(ROLTYPE, self.context, uuid=instance.uuid),
            **_of_case_type(instance.version, self.context),
            "omschrijving": instance.description,
            "omschrijvingGeneriek": instance.generic,
        }
