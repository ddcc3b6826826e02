"""The Klantinteracties endpoints. Thin: validate input, call a service or selector,
serialise. Every page of records about parties is checked and logged by the privacy
gate (one processing-log record per party on the page) before it is returned.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from klantocratie.accounts.permissions import access_context, membership_of
from klantocratie.accounts.roles import Role
from klantocratie.api.filters import UtcIsoDateTimeFilter
from klantocratie.contacts import selectors, services
from klantocratie.contacts.models import (
    Actor,
    Attachment,
    Contact,
    DigitalAddress,
    InternalTask,
    Involvement,
    SubjectObject,
)
from klantocratie.parties.models import Party
from klantocratie.privacy.gate import AccessContext
from klantocratie.registry.models import Organisation

from . import serializers as s

AGENT_ROLES = frozenset({Role.KCC_AGENT, Role.CASE_WORKER, Role.SOCIAL_WORKER})
# The privacy officer may ask; the gate answers with their grants (usually: refused).
READ_ROLES = AGENT_ROLES | {Role.PRIVACY_OFFICER}


class Pagination(PageNumberPagination):
    page_size = 100
    page_size_query_param = "pageSize"
    max_page_size = 100


def _party(uuid: Any, field: str) -> Party:
    party = Party.objects.filter(uuid=uuid).prefetch_related("identifiers").first()
    if party is None:
        raise ValidationError({field: f"Onbekende partij {uuid}."})
    return party


class GatedViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """List and retrieve, with the gate checking and logging every party on the page."""

    allowed_roles: ClassVar[frozenset[str]] = READ_ROLES
    aspects: ClassVar[tuple[str, ...]] = (services.HISTORY,)
    lookup_field = "uuid"
    lookup_value_converter = "uuid"
    pagination_class = Pagination
    filter_backends = [filters.DjangoFilterBackend]

    def ctx(self) -> AccessContext:
        return access_context(self.request)

    def parties(self, objects: Sequence[Any]) -> list[Party]:
        raise NotImplementedError

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        items = list(page or [])
        selectors.log_page(self.ctx(), self.parties(items), self.aspects)
        return self.get_paginated_response(self.get_serializer(items, many=True).data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        instance = self.get_object()
        selectors.log_page(self.ctx(), self.parties([instance]), self.aspects)
        return Response(self.get_serializer(instance).data)


class CreatableGatedViewSet(mixins.CreateModelMixin, GatedViewSet):
    """Agents add records; every role that may read the registry lists them."""

    @property
    def allowed_roles(self) -> frozenset[str]:  # type: ignore[override]
        return AGENT_ROLES if self.request.method == "POST" else READ_ROLES


def _contact_parties(contacts: Iterable[Contact]) -> list[Party]:
    return selectors.involved_parties(contacts)


# --- klantcontacten ------------------------------------------------------------------------


class KlantcontactFilter(filters.FilterSet):
    nummer = filters.CharFilter(field_name="nummer")
    kanaal = filters.CharFilter(field_name="channel__code")
    onderwerp = filters.CharFilter(field_name="subject", lookup_expr="icontains")
    vertrouwelijk = filters.BooleanFilter(field_name="confidential")
    indicatieContactGelukt = filters.BooleanFilter(field_name="succeeded")  # noqa: N815
    plaatsgevondenOp = UtcIsoDateTimeFilter(field_name="occurred_at")  # noqa: N815
    hadBetrokkene__uuid = filters.UUIDFilter(field_name="involvements__uuid", distinct=True)  # noqa: N815
    hadBetrokkene__wasPartij__uuid = filters.UUIDFilter(  # noqa: N815
        field_name="involvements__party__uuid", distinct=True
    )
    onderwerpobject__uuid = filters.UUIDFilter(field_name="subject_objects__uuid", distinct=True)
    onderwerpobject__onderwerpobjectidentificatorObjectId = filters.CharFilter(  # noqa: N815
        field_name="subject_objects__object_id", distinct=True
    )
    onderwerpobject__onderwerpobjectidentificatorCodeObjecttype = filters.CharFilter(  # noqa: N815
        field_name="subject_objects__object_type", distinct=True
    )

    class Meta:
        model = Contact
        fields: list[str] = []


class KlantcontactViewSet(GatedViewSet):
    """Klantcontacten: contacts at every organisation of the region."""

    # The model for the schema; rows come from get_queryset, filtered for the asker.
    queryset = Contact.objects.none()
    serializer_class = s.KlantcontactSerializer
    filterset_class = KlantcontactFilter

    def get_queryset(self) -> QuerySet[Contact]:
        return selectors.visible_contacts(self.ctx())

    def parties(self, objects: Sequence[Contact]) -> list[Party]:
        return _contact_parties(objects)


# --- betrokkenen --------------------------------------------------------------------------


class BetrokkeneFilter(filters.FilterSet):
    hadKlantcontact__uuid = filters.UUIDFilter(field_name="contact__uuid")  # noqa: N815
    hadKlantcontact__nummer = filters.CharFilter(field_name="contact__nummer")  # noqa: N815
    wasPartij__uuid = filters.UUIDFilter(field_name="party__uuid")  # noqa: N815
    organisatienaam = filters.CharFilter(field_name="organisation_name")
    contactnaamAchternaam = filters.CharFilter(field_name="contact_surname")  # noqa: N815

    class Meta:
        model = Involvement
        fields: list[str] = []


class BetrokkeneViewSet(GatedViewSet):
    # The model for the schema; rows come from get_queryset, filtered for the asker.
    queryset = Involvement.objects.none()
    serializer_class = s.BetrokkeneSerializer
    filterset_class = BetrokkeneFilter

    def get_queryset(self) -> QuerySet[Involvement]:
        return (
            Involvement.objects.filter(contact__in=selectors.visible_contacts(self.ctx()))
            .select_related("contact", "party")
            .prefetch_related("party__identifiers", "digital_addresses")
            .order_by("-contact__occurred_at", "id")
        )

    def parties(self, objects: Sequence[Involvement]) -> list[Party]:
        return list({i.party.pk: i.party for i in objects if i.party is not None}.values())


# --- onderwerpobjecten ----------------------------------------------------------------------


class OnderwerpobjectFilter(filters.FilterSet):
    klantcontact__uuid = filters.UUIDFilter(field_name="contact__uuid")
    onderwerpobjectidentificatorObjectId = filters.CharFilter(field_name="object_id")  # noqa: N815
    onderwerpobjectidentificatorCodeObjecttype = filters.CharFilter(  # noqa: N815
        field_name="object_type"
    )
    onderwerpobjectidentificatorCodeRegister = filters.CharFilter(field_name="register")  # noqa: N815
    onderwerpobjectidentificatorCodeSoortObjectId = filters.CharFilter(  # noqa: N815
        field_name="id_type"
    )

    class Meta:
        model = SubjectObject
        fields: list[str] = []


def _contacts_prefetch() -> Prefetch:
    return Prefetch(
        "contact__involvements",
        queryset=Involvement.objects.select_related("party").prefetch_related("party__identifiers"),
    )


class OnderwerpobjectViewSet(CreatableGatedViewSet):
    # The model for the schema; rows come from get_queryset, filtered for the asker.
    queryset = SubjectObject.objects.none()
    serializer_class = s.OnderwerpobjectSerializer
    filterset_class = OnderwerpobjectFilter

    def get_queryset(self) -> QuerySet[SubjectObject]:
        return (
            SubjectObject.objects.filter(contact__in=selectors.visible_contacts(self.ctx()))
            .select_related("contact")
            .prefetch_related(_contacts_prefetch())
            .order_by("-contact__occurred_at", "id")
        )

    def parties(self, objects: Sequence[SubjectObject]) -> list[Party]:
        return _contact_parties(o.contact for o in objects)

    @extend_schema(
        request=s.OnderwerpobjectSerializer, responses={201: s.OnderwerpobjectSerializer}
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = s.OnderwerpobjectSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data: dict[str, Any] = body.validated_data
        contact = selectors.contact_by_uuid(self.ctx(), str(data["klantcontact"]["uuid"]))
        if contact is None:
            raise ValidationError({"klantcontact": "Onbekend klantcontact."})
        identificator = data["onderwerpobjectidentificator"]
        subject = services.add_subject_object(
            self.ctx(),
            contact,
            services.SubjectObjectInput(
                object_type=identificator.get("codeObjecttype", ""),
                object_id=identificator.get("objectId", ""),
                register=identificator.get("codeRegister", ""),
                id_type=identificator.get("codeSoortObjectId", ""),
            ),
        )
        return Response(self.get_serializer(subject).data, status=status.HTTP_201_CREATED)


# --- bijlagen ------------------------------------------------------------------------------


class BijlageFilter(filters.FilterSet):
    klantcontact__uuid = filters.UUIDFilter(field_name="contact__uuid")

    class Meta:
        model = Attachment
        fields: list[str] = []


class BijlageViewSet(GatedViewSet):
    # The model for the schema; rows come from get_queryset, filtered for the asker.
    queryset = Attachment.objects.none()
    serializer_class = s.BijlageSerializer
    filterset_class = BijlageFilter

    def get_queryset(self) -> QuerySet[Attachment]:
        return (
            Attachment.objects.filter(contact__in=selectors.visible_contacts(self.ctx()))
            .select_related("contact")
            .prefetch_related(_contacts_prefetch())
            .order_by("-created_at", "id")
        )

    def parties(self, objects: Sequence[Attachment]) -> list[Party]:
        return _contact_parties(a.contact for a in objects)


# --- interne taken ---------------------------------------------------------------------------


class InterneTaakFilter(filters.FilterSet):
    nummer = filters.CharFilter(field_name="nummer")
    status = filters.ChoiceFilter(
        field_name="status", choices=[("te_verwerken", "te_verwerken"), ("verwerkt", "verwerkt")]
    )
    aanleidinggevendKlantcontact__uuid = filters.UUIDFilter(field_name="contact__uuid")  # noqa: N815
    klantcontact__nummer = filters.CharFilter(field_name="contact__nummer")
    toegewezenAanActor__uuid = filters.UUIDFilter(  # noqa: N815
        field_name="assigned_to__uuid", distinct=True
    )
    actoren__naam = filters.CharFilter(field_name="assigned_to__name", distinct=True)

    class Meta:
        model = InternalTask
        fields: list[str] = []


class InterneTaakViewSet(CreatableGatedViewSet):
    # The model for the schema; rows come from get_queryset, filtered for the asker.
    queryset = InternalTask.objects.none()
    serializer_class = s.InterneTaakSerializer
    filterset_class = InterneTaakFilter
    aspects = (services.TASKS,)

    def get_queryset(self) -> QuerySet[InternalTask]:
        return (
            selectors.tasks_queryset()
            .filter(contact__in=selectors.visible_contacts(self.ctx()))
            .order_by("assigned_at", "id")
        )

    def parties(self, objects: Sequence[InternalTask]) -> list[Party]:
        return _contact_parties(t.contact for t in objects)

    @extend_schema(request=s.InterneTaakSerializer, responses={201: s.InterneTaakSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = s.InterneTaakSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data: dict[str, Any] = body.validated_data
        ctx = self.ctx()
        contact = selectors.contact_by_uuid(ctx, str(data["aanleidinggevendKlantcontact"]["uuid"]))
        if contact is None:
            raise ValidationError({"aanleidinggevendKlantcontact": "Onbekend klantcontact."})
        wanted = [str(ref["uuid"]) for ref in data["toegewezenAanActoren"]]
        actors = list(Actor.objects.filter(uuid__in=wanted))
        if len(actors) != len(set(wanted)):
            raise ValidationError({"toegewezenAanActoren": "Onbekende actor."})
        task = services.create_internal_task(
            ctx,
            contact,
            requested_action=data["gevraagdeHandeling"],
            assign_to=actors,
            explanation=data.get("toelichting", ""),
        )
        task = selectors.tasks_queryset().get(pk=task.pk)
        return Response(self.get_serializer(task).data, status=status.HTTP_201_CREATED)


# --- actoren --------------------------------------------------------------------------------


class ActorFilter(filters.FilterSet):
    naam = filters.CharFilter(field_name="name")
    soortActor = filters.ChoiceFilter(  # noqa: N815
        field_name="kind",
        choices=[
            ("medewerker", "medewerker"),
            ("organisatorische_eenheid", "organisatorische_eenheid"),
            ("geautomatiseerde_actor", "geautomatiseerde_actor"),
        ],
    )
    indicatieActief = filters.BooleanFilter(field_name="active")  # noqa: N815
    actoridentificatorObjectId = filters.CharFilter(field_name="identifier")  # noqa: N815

    class Meta:
        model = Actor
        fields: list[str] = []


class ActorViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Employees and teams that work on contacts: no data of clients, so no gate."""

    serializer_class = s.ActorSerializer
    filterset_class = ActorFilter
    lookup_field = "uuid"
    lookup_value_converter = "uuid"
    pagination_class = Pagination
    filter_backends = [filters.DjangoFilterBackend]
    queryset = Actor.objects.select_related("organisation").order_by("name", "id")

    @property
    def allowed_roles(self) -> frozenset[str]:
        if self.request.method == "POST":
            return frozenset({Role.ADMINISTRATOR})
        return READ_ROLES | {Role.ADMINISTRATOR}

    @extend_schema(request=s.ActorSerializer, responses={201: s.ActorSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = s.ActorSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data: dict[str, Any] = body.validated_data
        membership = membership_of(request)
        organisation = Organisation.objects.get(pk=membership.organisation_id)  # type: ignore[union-attr]
        actor = services.create_actor(
            name=data["naam"],
            kind=data["soortActor"],
            identifier=data["actoridentificator"].get("objectId", ""),
            organisation=organisation,
            active=data.get("indicatieActief", True),
        )
        return Response(self.get_serializer(actor).data, status=status.HTTP_201_CREATED)


# --- digitale adressen ------------------------------------------------------------------------


class DigitaalAdresFilter(filters.FilterSet):
    adres = filters.CharFilter(field_name="address")
    soortDigitaalAdres = filters.ChoiceFilter(  # noqa: N815
        field_name="kind",
        choices=[("email", "email"), ("telefoonnummer", "telefoonnummer"), ("overig", "overig")],
    )
    isStandaardAdres = filters.BooleanFilter(field_name="is_default")  # noqa: N815
    verstrektDoorPartij__uuid = filters.UUIDFilter(field_name="party__uuid")  # noqa: N815
    verstrektDoorBetrokkene__uuid = filters.UUIDFilter(field_name="involvement__uuid")  # noqa: N815

    class Meta:
        model = DigitalAddress
        fields: list[str] = []


class DigitaalAdresViewSet(CreatableGatedViewSet):
    # The model for the schema; rows come from get_queryset, filtered for the asker.
    queryset = DigitalAddress.objects.none()
    serializer_class = s.DigitaalAdresSerializer
    filterset_class = DigitaalAdresFilter
    aspects = (services.ADDRESSES,)

    def get_queryset(self) -> QuerySet[DigitalAddress]:
        return (
            DigitalAddress.objects.select_related("party", "involvement")
            .prefetch_related("party__identifiers")
            .order_by("party_id", "kind", "id")
        )

    def parties(self, objects: Sequence[DigitalAddress]) -> list[Party]:
        return list({a.party.pk: a.party for a in objects}.values())

    @extend_schema(request=s.DigitaalAdresSerializer, responses={201: s.DigitaalAdresSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = s.DigitaalAdresSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data: dict[str, Any] = body.validated_data
        party = _party(data["verstrektDoorPartij"]["uuid"], "verstrektDoorPartij")
        address = services.add_digital_address(
            self.ctx(),
            party,
            kind=data["soortDigitaalAdres"],
            address=data["adres"],
            is_default=data.get("isStandaardAdres", False),
            description=data.get("omschrijving", ""),
        )
        return Response(self.get_serializer(address).data, status=status.HTTP_201_CREATED)


# --- partijen --------------------------------------------------------------------------------


class PartijFilter(filters.FilterSet):
    soortPartij = filters.ChoiceFilter(  # noqa: N815
        method="filter_soort", choices=[("persoon", "persoon"), ("organisatie", "organisatie")]
    )
    partijIdentificator__objectId = filters.CharFilter(  # noqa: N815
        field_name="identifiers__value", distinct=True
    )
    partijIdentificator__codeSoortObjectId = filters.ChoiceFilter(  # noqa: N815
        method="filter_id_type",
        choices=[(code[1], code[1]) for code in s.IDENTIFIER_CODES.values()],
    )

    class Meta:
        model = Party
        fields: list[str] = []

    def filter_soort(self, queryset: QuerySet[Party], name: str, value: str) -> QuerySet[Party]:
        party_type = {v: k for k, v in s.SOORT_PARTIJ.items()}[value]
        return queryset.filter(party_type=party_type)

    def filter_id_type(self, queryset: QuerySet[Party], name: str, value: str) -> QuerySet[Party]:
        types = [t for t, codes in s.IDENTIFIER_CODES.items() if codes[1] == value]
        return queryset.filter(identifiers__identifier_type__in=types).distinct()


class PartijViewSet(GatedViewSet):
    """Partijen: the registry's parties with their identifiers, contacts and addresses."""

    # The model for the schema; rows come from get_queryset, filtered for the asker.
    queryset = Party.objects.none()
    serializer_class = s.PartijSerializer
    filterset_class = PartijFilter

    def get_queryset(self) -> QuerySet[Party]:
        return Party.objects.prefetch_related(
            "identifiers", "contact_involvements", "digital_addresses"
        ).order_by("id")

    def parties(self, objects: Sequence[Party]) -> list[Party]:
        return list(objects)


# --- maak-klantcontact ------------------------------------------------------------------------


class MaakKlantcontactView(APIView):
    """Register a contact with the party involved and what it was about, in one call."""

    allowed_roles = AGENT_ROLES

    @extend_schema(
        request=s.MaakKlantcontactSerializer, responses={201: s.MaakKlantcontactSerializer}
    )
    def post(self, request: Request) -> Response:
        body = s.MaakKlantcontactSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data: dict[str, Any] = body.validated_data
        contact_data = data["klantcontact"]
        involved = data.get("betrokkene") or {}
        was_partij = involved.get("wasPartij")
        party = _party(was_partij["uuid"], "wasPartij") if was_partij else None
        name = involved.get("contactnaam") or {}
        subject_objects = []
        if data.get("onderwerpobject"):
            ident = data["onderwerpobject"]["onderwerpobjectidentificator"]
            subject_objects.append(
                services.SubjectObjectInput(
                    object_type=ident.get("codeObjecttype", ""),
                    object_id=ident.get("objectId", ""),
                    register=ident.get("codeRegister", ""),
                    id_type=ident.get("codeSoortObjectId", ""),
                )
            )
        contact = services.register_contact(
            access_context(request),
            party,
            channel=contact_data["kanaal"],
            subject=contact_data["onderwerp"],
            content=contact_data["inhoud"],
            answer=contact_data.get("reactie", ""),
            succeeded=contact_data.get("indicatieContactGelukt"),
            language=contact_data.get("taal", "nld"),
            confidential=contact_data.get("vertrouwelijk", False),
            occurred_at=contact_data.get("plaatsgevondenOp"),
            role=involved.get("rol", "klant"),
            initiator=involved.get("initiator", True),
            name=services.PersonName(
                initials=name.get("voorletters", ""),
                first_name=name.get("voornaam", ""),
                surname_prefix=name.get("voorvoegselAchternaam", ""),
                surname=name.get("achternaam", ""),
            ),
            organisation_name=involved.get("organisatienaam", ""),
            subject_objects=subject_objects,
        )
        stored = selectors.visible_contacts(access_context(request)).filter(pk=contact.pk).get()
        context = {"request": request}
        answer = {
            "klantcontact": s.KlantcontactSerializer(stored, context=context).data,
            "betrokkene": s.BetrokkeneSerializer(
                stored.involvements.all()[0], context=context
            ).data,
        }
        subject = stored.subject_objects.first()
        if subject is not None:
            answer["onderwerpobject"] = s.OnderwerpobjectSerializer(subject, context=context).data
        return Response(answer, status=status.HTTP_201_CREATED)
