"""The Zaken and Catalogi endpoints. Thin: validate input, resolve URLs to records, call
a service, serialise.

A case worker sees the cases their organisation handles; every page of case records
opens the privacy gate over the clients on it (one processing-log record per client),
so the gate decides whether the page is shown at all. Writes go through the case
services, which open the gate for a change themselves. Case types are configuration,
not personal data: the catalogue needs an active role but no gate.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response

from klantocratie.accounts.permissions import access_context
from klantocratie.accounts.roles import Role
from klantocratie.cases import selectors, services
from klantocratie.cases.models import (
    Case,
    CaseResult,
    CaseRole,
    CaseStatus,
    CaseTypeVersion,
    ResultType,
    RoleType,
    StatusType,
)
from klantocratie.knowledge.models import Product
from klantocratie.parties.models import Party
from klantocratie.parties.selectors import find_party
from klantocratie.privacy.gate import AccessContext
from klantocratie.registry.models import Organisation

from . import filters as f
from . import serializers as s

AGENT_ROLES = frozenset({Role.KCC_AGENT, Role.CASE_WORKER, Role.SOCIAL_WORKER})
# The privacy officer may ask; the gate answers with their grants (usually: refused).
READ_ROLES = AGENT_ROLES | {Role.PRIVACY_OFFICER}
CATALOGUE_ROLES = READ_ROLES | {Role.POLICY_ANALYST, Role.ADMINISTRATOR}

# How a person or business is named in a request body: (identifier type, unknown message).
IDENTIFIERS = {
    "inpBsn": ("bsn", "Er is geen persoon met dit BSN bekend."),
    "innNnpId": ("rsin", "Er is geen bedrijf met dit RSIN bekend."),
    "kvkNummer": ("kvk", "Er is geen bedrijf met dit KvK-nummer bekend."),
}


class Pagination(PageNumberPagination):
    """ZGW pages: a fixed size, `page` to move."""

    page_size = 100


def visible_cases(ctx: AccessContext) -> QuerySet[Case]:
    return selectors.cases_handled_by(ctx.organisation)


def _roles() -> Prefetch:
    return Prefetch(
        "roles",
        queryset=CaseRole.objects.select_related("party", "role_type").prefetch_related(
            "party__identifiers"
        ),
    )


def _client(identification: Mapping[str, str], field: str, keys: Sequence[str]) -> Party:
    """The person or business an identifier in the body names; unknown ones are refused."""
    given = [key for key in keys if identification.get(key)]
    if not given:
        raise ValidationError({field: f"Geef {' of '.join(keys)}."})
    identifier_type, unknown = IDENTIFIERS[given[0]]
    party = find_party(identifier_type, identification[given[0]])
    if party is None:
        raise ValidationError({field: unknown})
    return party


def _resolve(model: Any, url: str, view: str, field: str, label: str) -> Any:
    found = s.uuid_from_url(url, view)
    record = model.objects.filter(uuid=found).first() if found else None
    if record is None:
        raise ValidationError({field: f"Onbekend {label}."})
    return record


class CaseRecordViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """List and retrieve records of cases, with the gate over the clients on the page."""

    operation: ClassVar[str]
    # The attribute of a record that holds its case ("" when the record is the case).
    case_attribute: ClassVar[str] = "case"
    lookup_field = "uuid"
    lookup_value_converter = "uuid"
    pagination_class = Pagination
    filter_backends = [filters.DjangoFilterBackend]

    @property
    def allowed_roles(self) -> frozenset[str]:
        return AGENT_ROLES if self.request.method == "POST" else READ_ROLES

    def ctx(self) -> AccessContext:
        return access_context(self.request)

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        # A resource fetched by its URL is never narrowed by the list's filters.
        if self.action == "retrieve":
            return queryset
        return super().filter_queryset(queryset)

    def open_gate(self, objects: Iterable[Any]) -> None:
        cases = [getattr(o, self.case_attribute) if self.case_attribute else o for o in objects]
        parties = {p.pk: p for case in cases for p in services.client_parties(case)}
        with services.guarded(
            self.ctx(), list(parties.values()), operation=self.operation, change=False
        ):
            pass

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = list(self.paginate_queryset(self.filter_queryset(self.get_queryset())) or [])
        self.open_gate(page)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        instance = self.get_object()
        self.open_gate([instance])
        return Response(self.get_serializer(instance).data)

    def case_from(self, url: str) -> Case:
        """The case a URL in the body names, if the asker's organisation handles it."""
        found = s.uuid_from_url(url, s.ZAAK)
        case = (
            visible_cases(self.ctx())
            .select_related("case_type_version", "current_status__status_type", "organisation")
            .filter(uuid=found)
            .first()
            if found
            else None
        )
        if case is None:
            raise ValidationError({"zaak": "Onbekende zaak."})
        return case

    def created(self, instance: Any) -> Response:
        return Response(self.get_serializer(instance).data, status=status.HTTP_201_CREATED)


def _of_same_case_type(record: StatusType | ResultType | RoleType, case: Case, field: str) -> None:
    if record.version_id != case.case_type_version_id:
        raise ValidationError({field: f"Dit {field} hoort niet bij het zaaktype van de zaak."})


# --- zaken ------------------------------------------------------------------------------


class ZaakViewSet(mixins.CreateModelMixin, CaseRecordViewSet):
    # The model for the schema; rows come from get_queryset, filtered for the asker.
    queryset = Case.objects.none()
    serializer_class = s.ZaakSerializer
    filterset_class = f.ZaakFilter
    operation = "zaken inzien"
    case_attribute = ""

    def get_queryset(self) -> QuerySet[Case]:
        return (
            visible_cases(self.ctx())
            .select_related("organisation", "case_type_version", "current_status", "result")
            .prefetch_related(_roles(), "related_cases")
            .order_by("-start_date", "-pk")
        )

    @extend_schema(request=s.ZaakSerializer, responses={201: s.ZaakSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = s.ZaakSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data: dict[str, Any] = body.validated_data
        ctx = self.ctx()
        version: CaseTypeVersion = data["zaaktype"]
        self._check_organisation(ctx, data.get("bronorganisatie"))
        self._check_in_force(version, data.get("startdatum") or timezone.localdate())
        initiator = data.get("initiator")
        clients = (
            [services.Client(_client(initiator, "initiator", list(IDENTIFIERS)))]
            if initiator
            else []
        )
        try:
            case = services.start_case(
                ctx,
                case_type=version.case_type.identification,
                clients=clients,
                description=data["omschrijving"],
                channel=data["communicatiekanaal"],
                explanation=data["toelichting"],
                start_date=data.get("startdatum"),
                deadline=data.get("uiterlijkeEinddatumAfdoening"),
            )
        except ValidationError as error:
            # Here the client of a new case comes in `initiator`, so name that field.
            fields = error.message_dict if hasattr(error, "error_dict") else {}
            if "rollen" not in fields:
                raise
            fields["initiator"] = fields.pop("rollen")
            raise ValidationError(fields) from error
        return self.created(self.get_queryset().get(pk=case.pk))

    @staticmethod
    def _check_organisation(ctx: AccessContext, given: str | None) -> None:
        own = Organisation.objects.filter(code=ctx.organisation).first()
        if given and own is not None and given not in (own.oin, own.code):
            raise ValidationError(
                {
                    "bronorganisatie": "U registreert zaken voor uw eigen organisatie "
                    f"({s.organisation_id(own)})."
                }
            )

    def _check_in_force(self, version: CaseTypeVersion, start: date) -> None:
        """A zaaktype URL names one version; it must be the one in force on the start date."""
        if not version.is_published:
            raise ValidationError(
                {"zaaktype": "Dit zaaktype is een concept; een zaak start op een gepubliceerde."}
            )
        current = services.version_in_force(version.case_type.identification, start)
        if current.pk != version.pk:
            url = s.resource_url(s.ZAAKTYPE, {"request": self.request}, uuid=current.uuid)
            raise ValidationError(
                {"zaaktype": f"Op {start:%d-%m-%Y} geldt versie {current.version}: {url}."}
            )


class ZaakEigenschapViewSet(viewsets.GenericViewSet):
    """The properties of one case (read only), as the spec's zaakeigenschappen."""

    allowed_roles = READ_ROLES
    # The model for the schema; the case comes from the URL, filtered for the asker.
    queryset = Case.objects.none()
    serializer_class = s.ZaakEigenschapSerializer
    pagination_class = None

    def _case(self) -> Case:
        ctx = access_context(self.request)
        case = (
            visible_cases(ctx).prefetch_related(_roles()).filter(uuid=self.kwargs["zaak_uuid"])
        ).first()
        if case is None:
            raise Http404("Onbekende zaak.")
        with services.guarded(
            ctx, services.client_parties(case), operation="zaakeigenschappen inzien", change=False
        ):
            return case

    @extend_schema(responses=s.ZaakEigenschapSerializer(many=True))
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        case = self._case()
        items = [(case, code) for code in case.properties]
        return Response(self.get_serializer(items, many=True).data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        case = self._case()
        code = next(
            (c for c in case.properties if s.property_uuid(case, c) == self.kwargs["uuid"]), None
        )
        if code is None:
            raise Http404("Onbekende zaakeigenschap.")
        return Response(self.get_serializer((case, code)).data)


class StatusViewSet(mixins.CreateModelMixin, CaseRecordViewSet):
    # The model for the schema; rows come from get_queryset, filtered for the asker.
    queryset = CaseStatus.objects.none()
    serializer_class = s.StatusSerializer
    filterset_class = f.StatusFilter
    operation = "zaakstatussen inzien"

    def get_queryset(self) -> QuerySet[CaseStatus]:
        return (
            CaseStatus.objects.filter(case__in=visible_cases(self.ctx()))
            .select_related("case", "status_type")
            .prefetch_related(Prefetch("case__roles", queryset=_roles().queryset))
            .order_by("-set_at", "-pk")
        )

    @extend_schema(request=s.StatusSerializer, responses={201: s.StatusSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = s.StatusSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data: dict[str, Any] = body.validated_data
        case = self.case_from(data["zaak"])
        status_type = _resolve(
            StatusType, data["statustype"], s.STATUSTYPE, "statustype", "statustype"
        )
        _of_same_case_type(status_type, case, "statustype")
        created = services.set_status(
            self.ctx(), case, status_type.code, explanation=data["statustoelichting"]
        )
        return self.created(created)


class ResultaatViewSet(mixins.CreateModelMixin, CaseRecordViewSet):
    # The model for the schema; rows come from get_queryset, filtered for the asker.
    queryset = CaseResult.objects.none()
    serializer_class = s.ResultaatSerializer
    filterset_class = f.ResultaatFilter
    operation = "zaakresultaten inzien"

    def get_queryset(self) -> QuerySet[CaseResult]:
        return (
            CaseResult.objects.filter(case__in=visible_cases(self.ctx()))
            .select_related("case", "result_type")
            .prefetch_related(Prefetch("case__roles", queryset=_roles().queryset))
            .order_by("-set_at", "-pk")
        )

    @extend_schema(request=s.ResultaatSerializer, responses={201: s.ResultaatSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = s.ResultaatSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data: dict[str, Any] = body.validated_data
        case = self.case_from(data["zaak"])
        result_type = _resolve(
            ResultType, data["resultaattype"], s.RESULTAATTYPE, "resultaattype", "resultaattype"
        )
        _of_same_case_type(result_type, case, "resultaattype")
        created = services.set_result(
            self.ctx(), case, result_type.code, explanation=data["toelichting"]
        )
        return self.created(created)


class RolViewSet(mixins.CreateModelMixin, CaseRecordViewSet):
    # The model for the schema; rows come from get_queryset, filtered for the asker.
    queryset = CaseRole.objects.none()
    serializer_class = s.RolSerializer
    filterset_class = f.RolFilter
    operation = "zaakrollen inzien"

    def get_queryset(self) -> QuerySet[CaseRole]:
        return (
            CaseRole.objects.filter(case__in=visible_cases(self.ctx()))
            .select_related("case", "role_type", "party")
            .prefetch_related(Prefetch("case__roles", queryset=_roles().queryset))
            .order_by("-registered_at", "-pk")
        )

    @extend_schema(request=s.RolSerializer, responses={201: s.RolSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = s.RolSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data: dict[str, Any] = body.validated_data
        case = self.case_from(data["zaak"])
        role_type = _resolve(RoleType, data["roltype"], s.ROLTYPE, "roltype", "roltype")
        _of_same_case_type(role_type, case, "roltype")
        identification = data["betrokkeneIdentificatie"]
        field = "betrokkeneIdentificatie"
        party: Party | None = None
        employee = ""
        kind = data["betrokkeneType"]
        if kind == CaseRole.SubjectKind.EMPLOYEE:
            employee = identification.get("identificatie", "")
            if not employee:
                raise ValidationError({field: "Geef de identificatie (gebruikersnaam)."})
        elif kind == CaseRole.SubjectKind.PERSON:
            party = _client(identification, field, ["inpBsn"])
        else:
            party = _client(identification, field, ["innNnpId", "kvkNummer"])
        role = services.add_role(
            self.ctx(),
            case,
            role_type.code,
            party=party,
            employee=employee,
            explanation=data["roltoelichting"],
        )
        return self.created(role)


# --- catalogi ---------------------------------------------------------------------------


class CatalogueViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    allowed_roles = CATALOGUE_ROLES
    lookup_field = "uuid"
    lookup_value_converter = "uuid"
    pagination_class = Pagination
    filter_backends = [filters.DjangoFilterBackend]

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        # A concept is found by its URL even though lists show only definitive versions.
        if self.action == "retrieve":
            return queryset
        return super().filter_queryset(queryset)


class ZaakTypeViewSet(CatalogueViewSet):
    queryset = (
        CaseTypeVersion.objects.select_related("case_type")
        .prefetch_related("status_types", "result_types", "role_types")
        .order_by("case_type__identification", "version")
    )
    serializer_class = s.ZaakTypeSerializer
    filterset_class = f.ZaakTypeFilter

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        # Schema generation builds serializers without a database to ask.
        if not getattr(self, "swagger_fake_view", False):
            names = {
                name
                for products in CaseTypeVersion.objects.values_list("products", flat=True)
                for name in products
            }
            context["product_uris"] = dict(
                Product.objects.filter(name__in=names).values_list("name", "uri")
            )
        return context


class StatusTypeViewSet(CatalogueViewSet):
    queryset = (
        StatusType.objects.select_related("version__case_type")
        .annotate(
            last_order=Subquery(
                StatusType.objects.filter(version=OuterRef("version"))
                .order_by("-order")
                .values("order")[:1]
            )
        )
        .order_by("version__case_type__identification", "version__version", "order")
    )
    serializer_class = s.StatusTypeSerializer
    filterset_class = f.StatusTypeFilter


class ResultaatTypeViewSet(CatalogueViewSet):
    queryset = ResultType.objects.select_related("version__case_type").order_by(
        "version__case_type__identification", "version__version", "description", "pk"
    )
    serializer_class = s.ResultaatTypeSerializer
    filterset_class = f.ResultaatTypeFilter


class RolTypeViewSet(CatalogueViewSet):
    queryset = RoleType.objects.select_related("version__case_type").order_by(
        "version__case_type__identification", "version__version", "description", "pk"
    )
    serializer_class = s.RolTypeSerializer
    filterset_class = f.RolTypeFilter
