"""Query filters of the Zaken and Catalogi endpoints, named as in the official specs.

References are URLs, as in ZGW: a URL that names none of our resources of the right
kind matches nothing. One extension: zaken filter on a business's KvK number too.
"""

from __future__ import annotations

from typing import Any

from django.db.models import F, Q, QuerySet
from django_filters import rest_framework as filters
from django_filters.constants import EMPTY_VALUES

from klantocratie.cases.models import (
    Case,
    CaseResult,
    CaseRole,
    CaseStatus,
    CaseTypeVersion,
    ResultType,
    RoleType,
    StatusType,
    VersionState,
)

from . import serializers as s

SUBJECT_KINDS = [(kind, kind) for kind in CaseRole.SubjectKind.values]
GENERIC_ROLES = [(generic, generic) for generic in RoleType.Generic.values]
CONCEPT_STATES = [("alles", "alles"), ("concept", "concept"), ("definitief", "definitief")]


class UrlFilter(filters.CharFilter):
    """Matches the resource a URL of ours names (by its uuid)."""

    def __init__(self, *args: Any, view: str, **kwargs: Any) -> None:
        self.view = view
        super().__init__(*args, **kwargs)

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        if value in EMPTY_VALUES:
            return qs
        found = s.uuid_from_url(value, self.view)
        if found is None:
            return qs.none()
        return qs.filter(**{self.field_name: found})


class StableOrderingFilter(filters.OrderingFilter):
    """The spec's `ordering`, with the primary key last so pages never overlap."""

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        if value in EMPTY_VALUES:
            return qs
        return qs.order_by(*[self.get_ordering_value(param) for param in value], "pk")


def _cases_with_role(roles: QuerySet[CaseRole]) -> Q:
    # A subquery rather than a join, so a case with two matching roles appears once.
    return Q(pk__in=roles.values("case_id"))


def _cases_of_subject(roles: QuerySet[CaseRole]) -> Q:
    """The cases of one person, business or employee, fetched as ids first.

    As a subquery beside the list's joins, PostgreSQL (past its join_collapse_limit)
    joined every case before filtering: seconds at a million cases. One subject has few
    cases, so their ids are fetched on the role index and passed as a list.
    """
    return Q(pk__in=list(roles.values_list("case_id", flat=True).distinct()))


def _business_roles(identifier_type: str, value: str) -> QuerySet[CaseRole]:
    """Roles of the business with this number, given in the role or known to its party."""
    return CaseRole.objects.filter(
        Q(identifier_type=identifier_type, identifier=value)
        | Q(party__identifiers__identifier_type=identifier_type, party__identifiers__value=value)
    )


# --- zaken ------------------------------------------------------------------------------


class ZaakFilter(filters.FilterSet):
    identificatie = filters.CharFilter(field_name="identification")
    bronorganisatie = filters.CharFilter(method="filter_organisation")
    zaaktype = UrlFilter(field_name="case_type_version__uuid", view=s.ZAAKTYPE)
    startdatum = filters.DateFilter(field_name="start_date")
    startdatum__gt = filters.DateFilter(field_name="start_date", lookup_expr="gt")
    startdatum__gte = filters.DateFilter(field_name="start_date", lookup_expr="gte")
    startdatum__lt = filters.DateFilter(field_name="start_date", lookup_expr="lt")
    startdatum__lte = filters.DateFilter(field_name="start_date", lookup_expr="lte")
    registratiedatum = filters.DateFilter(field_name="registered_on")
    einddatum = filters.DateFilter(field_name="end_date")
    einddatum__isnull = filters.BooleanFilter(field_name="end_date", lookup_expr="isnull")
    uiterlijkeEinddatumAfdoening = filters.DateFilter(field_name="deadline")  # noqa: N815
    uiterlijkeEinddatumAfdoening__lt = filters.DateFilter(  # noqa: N815
        field_name="deadline", lookup_expr="lt"
    )
    uiterlijkeEinddatumAfdoening__gt = filters.DateFilter(  # noqa: N815
        field_name="deadline", lookup_expr="gt"
    )
    rol__betrokkeneType = filters.ChoiceFilter(  # noqa: N815
        method="filter_subject_kind", choices=SUBJECT_KINDS
    )
    rol__omschrijvingGeneriek = filters.ChoiceFilter(  # noqa: N815
        method="filter_generic_role", choices=GENERIC_ROLES
    )
    rol__betrokkeneIdentificatie__natuurlijkPersoon__inpBsn = filters.CharFilter(  # noqa: N815
        method="filter_bsn", max_length=9
    )
    rol__betrokkeneIdentificatie__nietNatuurlijkPersoon__innNnpId = filters.CharFilter(  # noqa: N815
        method="filter_rsin", max_length=9
    )
    rol__betrokkeneIdentificatie__nietNatuurlijkPersoon__kvkNummer = filters.CharFilter(  # noqa: N815
        method="filter_kvk",
        max_length=8,
        help_text="klantocratie-extensie: zaken met een rol van het bedrijf met dit KvK-nummer.",
    )
    rol__betrokkeneIdentificatie__medewerker__identificatie = filters.CharFilter(  # noqa: N815
        method="filter_employee", max_length=24
    )
    ordering = StableOrderingFilter(
        fields=(("start_date", "startdatum"), ("end_date", "einddatum"))
    )

    class Meta:
        model = Case
        fields: list[str] = []

    def filter_organisation(
        self, queryset: QuerySet[Case], name: str, value: str
    ) -> QuerySet[Case]:
        return queryset.filter(Q(organisation__oin=value) | Q(organisation__code=value))

    def filter_subject_kind(
        self, queryset: QuerySet[Case], name: str, value: str
    ) -> QuerySet[Case]:
        return queryset.filter(_cases_with_role(CaseRole.objects.filter(subject_kind=value)))

    def filter_generic_role(
        self, queryset: QuerySet[Case], name: str, value: str
    ) -> QuerySet[Case]:
        return queryset.filter(_cases_with_role(CaseRole.objects.filter(role_type__generic=value)))

    def filter_bsn(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        roles = CaseRole.objects.filter(identifier_type="bsn", identifier=value)
        return queryset.filter(_cases_of_subject(roles))

    def filter_rsin(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        return queryset.filter(_cases_of_subject(_business_roles("rsin", value)))

    def filter_kvk(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        return queryset.filter(_cases_of_subject(_business_roles("kvk", value)))

    def filter_employee(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        roles = CaseRole.objects.filter(
            subject_kind=CaseRole.SubjectKind.EMPLOYEE, identifier=value
        )
        return queryset.filter(_cases_of_subject(roles))


class StatusFilter(filters.FilterSet):
    zaak = UrlFilter(field_name="case__uuid", view=s.ZAAK)
    statustype = UrlFilter(field_name="status_type__uuid", view=s.STATUSTYPE)
    indicatieLaatstGezetteStatus = filters.BooleanFilter(method="filter_latest")  # noqa: N815

    class Meta:
        model = CaseStatus
        fields: list[str] = []

    def filter_latest(
        self, queryset: QuerySet[CaseStatus], name: str, value: bool
    ) -> QuerySet[CaseStatus]:
        latest = Q(case__current_status_id=F("id"))
        return queryset.filter(latest) if value else queryset.exclude(latest)


class ResultaatFilter(filters.FilterSet):
    zaak = UrlFilter(field_name="case__uuid", view=s.ZAAK)
    resultaattype = UrlFilter(field_name="result_type__uuid", view=s.RESULTAATTYPE)

    class Meta:
        model = CaseResult
        fields: list[str] = []


class RolFilter(filters.FilterSet):
    zaak = UrlFilter(field_name="case__uuid", view=s.ZAAK)
    betrokkene = UrlFilter(field_name="party__uuid", view=s.PARTIJ)
    betrokkeneType = filters.ChoiceFilter(field_name="subject_kind", choices=SUBJECT_KINDS)  # noqa: N815
    betrokkeneIdentificatie__natuurlijkPersoon__inpBsn = filters.CharFilter(  # noqa: N815
        method="filter_bsn"
    )
    betrokkeneIdentificatie__nietNatuurlijkPersoon__innNnpId = filters.CharFilter(  # noqa: N815
        method="filter_rsin"
    )
    betrokkeneIdentificatie__medewerker__identificatie = filters.CharFilter(  # noqa: N815
        method="filter_employee"
    )
    roltype = UrlFilter(field_name="role_type__uuid", view=s.ROLTYPE)
    omschrijving = filters.CharFilter(field_name="role_type__description")
    omschrijvingGeneriek = filters.ChoiceFilter(  # noqa: N815
        field_name="role_type__generic", choices=GENERIC_ROLES
    )

    class Meta:
        model = CaseRole
        fields: list[str] = []

    def filter_bsn(self, queryset: QuerySet[CaseRole], name: str, value: str) -> QuerySet[CaseRole]:
        return queryset.filter(
            subject_kind=CaseRole.SubjectKind.PERSON, identifier_type="bsn", identifier=value
        )

    def filter_rsin(
        self, queryset: QuerySet[CaseRole], name: str, value: str
    ) -> QuerySet[CaseRole]:
        return queryset.filter(pk__in=_business_roles("rsin", value).values("pk"))

    def filter_employee(
        self, queryset: QuerySet[CaseRole], name: str, value: str
    ) -> QuerySet[CaseRole]:
        return queryset.filter(subject_kind=CaseRole.SubjectKind.EMPLOYEE, identifier=value)


# --- catalogi ---------------------------------------------------------------------------


def _in_state(queryset: QuerySet[Any], state_field: str, value: str) -> QuerySet[Any]:
    if value == "alles":
        return queryset
    state = VersionState.DRAFT if value == "concept" else VersionState.PUBLISHED
    return queryset.filter(**{state_field: state})


class ConceptFilter(filters.ChoiceFilter):
    """The spec's `status`: definitief (published) unless asked for concept or alles,
    so it applies also when it is not given."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, choices=CONCEPT_STATES, **kwargs)

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        return _in_state(qs, self.field_name, value or "definitief")


class ValidOnFilter(filters.DateFilter):
    """Versions valid on a day; `version` is the path to the version ("" for itself)."""

    def __init__(self, *args: Any, version: str, **kwargs: Any) -> None:
        self.version = version
        super().__init__(*args, **kwargs)

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        if value in EMPTY_VALUES:
            return qs
        prefix = self.version
        return qs.filter(**{f"{prefix}valid_from__lte": value}).filter(
            Q(**{f"{prefix}valid_until__isnull": True}) | Q(**{f"{prefix}valid_until__gte": value})
        )


class ZaakTypeFilter(filters.FilterSet):
    identificatie = filters.CharFilter(field_name="case_type__identification")
    status = ConceptFilter(field_name="state")
    datumGeldigheid = ValidOnFilter(field_name="valid_from", version="")  # noqa: N815

    class Meta:
        model = CaseTypeVersion
        fields: list[str] = []


class StatusTypeFilter(filters.FilterSet):
    zaaktype = UrlFilter(field_name="version__uuid", view=s.ZAAKTYPE)
    zaaktypeIdentificatie = filters.CharFilter(  # noqa: N815
        field_name="version__case_type__identification"
    )
    status = ConceptFilter(field_name="version__state")
    datumGeldigheid = ValidOnFilter(field_name="version__valid_from", version="version__")  # noqa: N815

    class Meta:
        model = StatusType
        fields: list[str] = []


class ResultaatTypeFilter(filters.FilterSet):
    # The spec spells these two in snake case for this resource only.
    zaaktype = UrlFilter(field_name="version__uuid", view=s.ZAAKTYPE)
    zaaktype_identificatie = filters.CharFilter(field_name="version__case_type__identification")
    status = ConceptFilter(field_name="version__state")
    datum_geldigheid = ValidOnFilter(field_name="version__valid_from", version="version__")

    class Meta:
        model = ResultType
        fields: list[str] = []


class RolTypeFilter(filters.FilterSet):
    zaaktype = UrlFilter(field_name="version__uuid", view=s.ZAAKTYPE)
    zaaktypeIdentificatie = filters.CharFilter(  # noqa: N815
        field_name="version__case_type__identification"
    )
    omschrijvingGeneriek = filters.ChoiceFilter(field_name="generic", choices=GENERIC_ROLES)  # noqa: N815
    status = ConceptFilter(field_name="version__state")
    datumGeldigheid = ValidOnFilter(field_name="version__valid_from", version="version__")  # noqa: N815

    class Meta:
        model = RoleType
        fields: list[str] = []
