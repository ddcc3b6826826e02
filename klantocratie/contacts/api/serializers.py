"""Serializers in the shapes of the VNG Klantinteracties API (v0.9): camelCase names,
`uuid` + `url` on every resource, references as nested `{uuid, url}` objects.

Only fields the registry actually holds are exposed; tests/contacts/test_api_shape.py
checks each against the official schema.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers
from rest_framework.reverse import reverse

from klantocratie.contacts.models import (
    Actor,
    ActorKind,
    Attachment,
    Contact,
    DigitalAddress,
    DigitalAddressKind,
    InternalTask,
    Involvement,
    InvolvementRole,
    SubjectObject,
    TaskStatus,
)
from klantocratie.parties.models import Party, PartyIdentifier
from klantocratie.registry.models import PartyType

# How our identifier types appear as the spec's partijIdentificator group.
IDENTIFIER_CODES: dict[str, tuple[str, str, str]] = {
    # identifier type: (codeObjecttype, codeSoortObjectId, codeRegister)
    "bsn": ("natuurlijk_persoon", "bsn", "brp"),
    "kvk": ("niet_natuurlijk_persoon", "kvk_nummer", "hr"),
    "rsin": ("niet_natuurlijk_persoon", "rsin", "hr"),
    "vestigingsnummer": ("vestiging", "vestigingsnummer", "hr"),
}
SOORT_PARTIJ = {PartyType.PERSON: "persoon", PartyType.ORGANISATION: "organisatie"}
ATTACHMENT_REGISTER = "klantcontactregister"


def _url(view_name: str, obj: Any, context: dict[str, Any]) -> str:
    return reverse(
        f"api:klantinteracties:{view_name}-detail",
        kwargs={"uuid": obj.uuid},
        request=context.get("request"),
    )


@extend_schema_field(OpenApiTypes.URI)
class ResourceUrl(serializers.SerializerMethodField):
    """The resource's own URL in this API (the spec's `url`)."""


class ForeignKeySerializer(serializers.Serializer):
    """A reference to another resource: its uuid (writable) and url (read only)."""

    view_name = ""

    uuid = serializers.UUIDField()
    url = ResourceUrl()

    def get_url(self, obj: Any) -> str:
        return _url(self.view_name, obj, self.context)

    def to_representation(self, instance: Any) -> dict[str, Any]:
        return {"uuid": str(instance.uuid), "url": _url(self.view_name, instance, self.context)}


def _reference(name: str, view: str) -> type[ForeignKeySerializer]:
    cls = type(f"{name}Serializer", (ForeignKeySerializer,), {"view_name": view})
    return extend_schema_serializer(component_name=name)(cls)


KlantcontactForeignKey = _reference("KlantcontactForeignKey", "klantcontact")
BetrokkeneForeignKey = _reference("BetrokkeneForeignKey", "betrokkene")
OnderwerpobjectForeignKey = _reference("OnderwerpobjectForeignKey", "onderwerpobject")
BijlageForeignKey = _reference("BijlageForeignKey", "bijlage")
InterneTaakForeignKey = _reference("InterneTaakForeignKey", "internetaak")
ActorForeignKey = _reference("ActorForeignKey", "actor")
DigitaalAdresForeignKey = _reference("DigitaalAdresForeignKey", "digitaaladres")
PartijForeignKey = _reference("PartijForeignKey", "partij")


class IdentificatorSerializer(serializers.Serializer):
    """The spec's identificator group: an object in an external register."""

    objectId = serializers.CharField(max_length=200, allow_blank=True, required=False)  # noqa: N815
    codeObjecttype = serializers.CharField(max_length=200, allow_blank=True, required=False)  # noqa: N815
    codeRegister = serializers.CharField(max_length=200, allow_blank=True, required=False)  # noqa: N815
    codeSoortObjectId = serializers.CharField(max_length=200, allow_blank=True, required=False)  # noqa: N815


@extend_schema_serializer(component_name="Onderwerpobjectidentificator")
class OnderwerpobjectidentificatorSerializer(IdentificatorSerializer):
    pass


@extend_schema_serializer(component_name="BijlageIdentificator")
class BijlageIdentificatorSerializer(IdentificatorSerializer):
    pass


@extend_schema_serializer(component_name="Actoridentificator")
class ActoridentificatorSerializer(IdentificatorSerializer):
    pass


class KlantcontactSerializer(serializers.Serializer):
    uuid = serializers.UUIDField(read_only=True)
    url = ResourceUrl()
    nummer = serializers.CharField(read_only=True)
    kanaal = serializers.CharField(max_length=50)
    onderwerp = serializers.CharField(max_length=200)
    inhoud = serializers.CharField(max_length=1000)
    reactie = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    indicatieContactGelukt = serializers.BooleanField(allow_null=True, required=False)  # noqa: N815
    taal = serializers.CharField(max_length=3, required=False, default="nld")
    vertrouwelijk = serializers.BooleanField(required=False, default=False)
    plaatsgevondenOp = serializers.DateTimeField(required=False)  # noqa: N815
    gingOverOnderwerpobjecten = OnderwerpobjectForeignKey(many=True, read_only=True)  # noqa: N815
    hadBetrokkenen = BetrokkeneForeignKey(many=True, read_only=True)  # noqa: N815
    omvatteBijlagen = BijlageForeignKey(many=True, read_only=True)  # noqa: N815
    leiddeTotInterneTaken = InterneTaakForeignKey(many=True, read_only=True)  # noqa: N815

    def get_url(self, obj: Contact) -> str:
        return _url("klantcontact", obj, self.context)

    def to_representation(self, instance: Contact) -> dict[str, Any]:
        context = self.context
        return {
            "uuid": str(instance.uuid),
            "url": _url("klantcontact", instance, context),
            "nummer": instance.nummer,
            "kanaal": instance.channel.code,
            "onderwerp": instance.subject,
            "inhoud": instance.content,
            "reactie": instance.answer,
            "indicatieContactGelukt": instance.succeeded,
            "taal": instance.language,
            "vertrouwelijk": instance.confidential,
            "plaatsgevondenOp": timezone.localtime(instance.occurred_at).isoformat(),
            "gingOverOnderwerpobjecten": OnderwerpobjectForeignKey(
                instance.subject_objects.all(), many=True, context=context
            ).data,
            "hadBetrokkenen": BetrokkeneForeignKey(
                instance.involvements.all(), many=True, context=context
            ).data,
            "omvatteBijlagen": BijlageForeignKey(
                instance.attachments.all(), many=True, context=context
            ).data,
            "leiddeTotInterneTaken": InterneTaakForeignKey(
                instance.tasks.all(), many=True, context=context
            ).data,
        }


class ContactnaamSerializer(serializers.Serializer):
    voorletters = serializers.CharField(max_length=10, required=False, allow_blank=True)
    voornaam = serializers.CharField(max_length=200, required=False, allow_blank=True)
    voorvoegselAchternaam = serializers.CharField(  # noqa: N815
        max_length=10, required=False, allow_blank=True
    )
    achternaam = serializers.CharField(max_length=200, required=False, allow_blank=True)


class BetrokkeneSerializer(serializers.Serializer):
    uuid = serializers.UUIDField(read_only=True)
    url = ResourceUrl()
    wasPartij = PartijForeignKey(allow_null=True, required=False)  # noqa: N815
    hadKlantcontact = KlantcontactForeignKey(read_only=True)  # noqa: N815
    digitaleAdressen = DigitaalAdresForeignKey(many=True, read_only=True)  # noqa: N815
    contactnaam = ContactnaamSerializer(allow_null=True, required=False)
    volledigeNaam = serializers.CharField(read_only=True)  # noqa: N815
    rol = serializers.ChoiceField(choices=InvolvementRole.values)
    organisatienaam = serializers.CharField(max_length=200, required=False, allow_blank=True)
    initiator = serializers.BooleanField()

    def get_url(self, obj: Involvement) -> str:
        return _url("betrokkene", obj, self.context)

    def to_representation(self, instance: Involvement) -> dict[str, Any]:
        context = self.context
        has_name = any(
            (
                instance.contact_initials,
                instance.contact_first_name,
                instance.contact_surname_prefix,
                instance.contact_surname,
            )
        )
        return {
            "uuid": str(instance.uuid),
            "url": _url("betrokkene", instance, context),
            "wasPartij": (
                PartijForeignKey(instance.party, context=context).data if instance.party else None
            ),
            "hadKlantcontact": KlantcontactForeignKey(instance.contact, context=context).data,
            "digitaleAdressen": DigitaalAdresForeignKey(
                instance.digital_addresses.all(), many=True, context=context
            ).data,
            "contactnaam": (
                {
                    "voorletters": instance.contact_initials,
                    "voornaam": instance.contact_first_name,
                    "voorvoegselAchternaam": instance.contact_surname_prefix,
                    "achternaam": instance.contact_surname,
                }
                if has_name
                else None
            ),
            "volledigeNaam": instance.full_name,
            "rol": instance.role,
            "organisatienaam": instance.organisation_name,
            "initiator": instance.initiator,
        }


class OnderwerpobjectSerializer(serializers.Serializer):
    uuid = serializers.UUIDField(read_only=True)
    url = ResourceUrl()
    klantcontact = KlantcontactForeignKey()
    onderwerpobjectidentificator = OnderwerpobjectidentificatorSerializer()

    def get_url(self, obj: SubjectObject) -> str:
        return _url("onderwerpobject", obj, self.context)

    def to_representation(self, instance: SubjectObject) -> dict[str, Any]:
        return {
            "uuid": str(instance.uuid),
            "url": _url("onderwerpobject", instance, self.context),
            "klantcontact": KlantcontactForeignKey(instance.contact, context=self.context).data,
            "onderwerpobjectidentificator": {
                "objectId": instance.object_id,
                "codeObjecttype": instance.object_type,
                "codeRegister": instance.register,
                "codeSoortObjectId": instance.id_type,
            },
        }


class BijlageSerializer(serializers.Serializer):
    uuid = serializers.UUIDField(read_only=True)
    url = ResourceUrl()
    wasBijlageVanKlantcontact = KlantcontactForeignKey(read_only=True)  # noqa: N815
    bijlageidentificator = BijlageIdentificatorSerializer(read_only=True)

    def get_url(self, obj: Attachment) -> str:
        return _url("bijlage", obj, self.context)

    def to_representation(self, instance: Attachment) -> dict[str, Any]:
        return {
            "uuid": str(instance.uuid),
            "url": _url("bijlage", instance, self.context),
            "wasBijlageVanKlantcontact": KlantcontactForeignKey(
                instance.contact, context=self.context
            ).data,
            # The file lives in this registry; the identificator names it there.
            "bijlageidentificator": {
                "objectId": str(instance.uuid),
                "codeObjecttype": instance.content_type,
                "codeRegister": ATTACHMENT_REGISTER,
                "codeSoortObjectId": "uuid",
            },
        }


class InterneTaakSerializer(serializers.Serializer):
    uuid = serializers.UUIDField(read_only=True)
    url = ResourceUrl()
    nummer = serializers.CharField(read_only=True)
    gevraagdeHandeling = serializers.CharField(max_length=200)  # noqa: N815
    aanleidinggevendKlantcontact = KlantcontactForeignKey()  # noqa: N815
    toegewezenAanActoren = ActorForeignKey(many=True)  # noqa: N815
    toelichting = serializers.CharField(max_length=1000, required=False, allow_blank=True)
    status = serializers.ChoiceField(choices=TaskStatus.values, read_only=True)
    toegewezenOp = serializers.DateTimeField(read_only=True)  # noqa: N815
    afgehandeldOp = serializers.DateTimeField(read_only=True, allow_null=True)  # noqa: N815

    def get_url(self, obj: InternalTask) -> str:
        return _url("internetaak", obj, self.context)

    def to_representation(self, instance: InternalTask) -> dict[str, Any]:
        context = self.context
        return {
            "uuid": str(instance.uuid),
            "url": _url("internetaak", instance, context),
            "nummer": instance.nummer,
            "gevraagdeHandeling": instance.requested_action,
            "aanleidinggevendKlantcontact": KlantcontactForeignKey(
                instance.contact, context=context
            ).data,
            "toegewezenAanActoren": ActorForeignKey(
                instance.assigned_to.all(), many=True, context=context
            ).data,
            "toelichting": instance.explanation,
            "status": instance.status,
            "toegewezenOp": timezone.localtime(instance.assigned_at).isoformat(),
            "afgehandeldOp": (
                timezone.localtime(instance.done_at).isoformat() if instance.done_at else None
            ),
        }


class ActorSerializer(serializers.Serializer):
    uuid = serializers.UUIDField(read_only=True)
    url = ResourceUrl()
    naam = serializers.CharField(max_length=200)
    soortActor = serializers.ChoiceField(choices=ActorKind.values)  # noqa: N815
    indicatieActief = serializers.BooleanField(required=False, default=True)  # noqa: N815
    actoridentificator = ActoridentificatorSerializer()

    def get_url(self, obj: Actor) -> str:
        return _url("actor", obj, self.context)

    def to_representation(self, instance: Actor) -> dict[str, Any]:
        return {
            "uuid": str(instance.uuid),
            "url": _url("actor", instance, self.context),
            "naam": instance.name,
            "soortActor": instance.kind,
            "indicatieActief": instance.active,
            "actoridentificator": {
                "objectId": instance.identifier,
                "codeObjecttype": instance.kind,
                "codeRegister": instance.organisation.code,
                "codeSoortObjectId": (
                    "gebruikersnaam" if instance.kind == ActorKind.EMPLOYEE else "code"
                ),
            },
        }


class DigitaalAdresSerializer(serializers.Serializer):
    uuid = serializers.UUIDField(read_only=True)
    url = ResourceUrl()
    verstrektDoorBetrokkene = BetrokkeneForeignKey(allow_null=True, required=False)  # noqa: N815
    verstrektDoorPartij = PartijForeignKey()  # noqa: N815
    adres = serializers.CharField(max_length=80)
    soortDigitaalAdres = serializers.ChoiceField(choices=DigitalAddressKind.values)  # noqa: N815
    isStandaardAdres = serializers.BooleanField(required=False, default=False)  # noqa: N815
    omschrijving = serializers.CharField(max_length=40, required=False, allow_blank=True)
    verificatieDatum = serializers.DateField(read_only=True, allow_null=True)  # noqa: N815

    def get_url(self, obj: DigitalAddress) -> str:
        return _url("digitaaladres", obj, self.context)

    def to_representation(self, instance: DigitalAddress) -> dict[str, Any]:
        context = self.context
        return {
            "uuid": str(instance.uuid),
            "url": _url("digitaaladres", instance, context),
            "verstrektDoorBetrokkene": (
                BetrokkeneForeignKey(instance.involvement, context=context).data
                if instance.involvement
                else None
            ),
            "verstrektDoorPartij": PartijForeignKey(instance.party, context=context).data,
            "adres": instance.address,
            "soortDigitaalAdres": instance.kind,
            "isStandaardAdres": instance.is_default,
            "omschrijving": instance.description,
            "verificatieDatum": (
                instance.verified_on.isoformat() if instance.verified_on else None
            ),
        }


class PartijIdentificatorGroepTypeSerializer(serializers.Serializer):
    codeObjecttype = serializers.CharField()  # noqa: N815
    codeSoortObjectId = serializers.CharField()  # noqa: N815
    objectId = serializers.CharField()  # noqa: N815
    codeRegister = serializers.CharField()  # noqa: N815


@extend_schema_serializer(component_name="PartijIdentificator")
class PartijIdentificatorSerializer(serializers.Serializer):
    partijIdentificator = PartijIdentificatorGroepTypeSerializer()  # noqa: N815


def _identificator(identifier: PartyIdentifier) -> dict[str, Any]:
    object_type, id_type, register = IDENTIFIER_CODES[identifier.identifier_type]
    return {
        "partijIdentificator": {
            "codeObjecttype": object_type,
            "codeSoortObjectId": id_type,
            "objectId": identifier.value,
            "codeRegister": register,
        }
    }


class PartijSerializer(serializers.Serializer):
    uuid = serializers.UUIDField(read_only=True)
    url = ResourceUrl()
    soortPartij = serializers.ChoiceField(choices=list(SOORT_PARTIJ.values()))  # noqa: N815
    indicatieActief = serializers.BooleanField()  # noqa: N815
    partijIdentificatoren = PartijIdentificatorSerializer(many=True)  # noqa: N815
    betrokkenen = BetrokkeneForeignKey(many=True, read_only=True)
    digitaleAdressen = DigitaalAdresForeignKey(many=True, read_only=True)  # noqa: N815
    voorkeursDigitaalAdres = serializers.SerializerMethodField()  # noqa: N815

    def get_url(self, obj: Party) -> str:
        return _url("partij", obj, self.context)

    @extend_schema_field(DigitaalAdresForeignKey(allow_null=True))
    def get_voorkeursDigitaalAdres(self, obj: Party) -> dict[str, Any] | None:  # noqa: N802
        defaults = [a for a in obj.digital_addresses.all() if a.is_default]
        return DigitaalAdresForeignKey(defaults[0], context=self.context).data if defaults else None

    def to_representation(self, instance: Party) -> dict[str, Any]:
        context = self.context
        return {
            "uuid": str(instance.uuid),
            "url": _url("partij", instance, context),
            "soortPartij": SOORT_PARTIJ[PartyType(instance.party_type)],
            "indicatieActief": True,
            "partijIdentificatoren": [_identificator(i) for i in instance.identifiers.all()],
            "betrokkenen": BetrokkeneForeignKey(
                instance.contact_involvements.all(), many=True, context=context
            ).data,
            "digitaleAdressen": DigitaalAdresForeignKey(
                instance.digital_addresses.all(), many=True, context=context
            ).data,
            "voorkeursDigitaalAdres": self.get_voorkeursDigitaalAdres(instance),
        }


@extend_schema_serializer(component_name="BetrokkeneKlantcontactReadOnly")
class MaakBetrokkeneSerializer(BetrokkeneSerializer):
    hadKlantcontact = KlantcontactForeignKey(read_only=True)  # noqa: N815


@extend_schema_serializer(component_name="OnderwerpobjectKlantcontactReadOnly")
class MaakOnderwerpobjectSerializer(OnderwerpobjectSerializer):
    klantcontact = KlantcontactForeignKey(read_only=True)


@extend_schema_serializer(component_name="MaakKlantcontact")
class MaakKlantcontactSerializer(serializers.Serializer):
    """The combined call: a contact with the party involved and what it was about."""

    klantcontact = KlantcontactSerializer()
    betrokkene = MaakBetrokkeneSerializer(required=False)
    onderwerpobject = MaakOnderwerpobjectSerializer(required=False)
