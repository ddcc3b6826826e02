"""REST endpoints. Thin: validate input, call a selector or the gate, serialise."""

from typing import Any

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from klantocratie.accounts.permissions import access_context
from klantocratie.accounts.roles import CLIENT_VIEW_ROLES, Role
from klantocratie.clientview.selectors import build_client_view
from klantocratie.connectors.selectors import source_health
from klantocratie.parties.models import Party
from klantocratie.parties.selectors import find_party, get_party
from klantocratie.privacy import gate
from klantocratie.privacy.models import ProcessingActivity
from klantocratie.registry.models import DataElement

from . import serializers


def _party_or_404(party: Party | None) -> Party:
    if party is None:
        raise Http404("Er is geen klant bekend met deze gegevens.")
    return party


class ClientViewLookupView(APIView):
    """The integral client view of a person (BSN) or business (KvK number)."""

    allowed_roles = CLIENT_VIEW_ROLES

    @extend_schema(
        request=serializers.ClientLookupSerializer, responses=serializers.ClientViewSerializer
    )
    def post(self, request: Request) -> Response:
        lookup = serializers.ClientLookupSerializer(data=request.data)
        lookup.is_valid(raise_exception=True)
        data: dict[str, Any] = lookup.validated_data
        identifier_type = "bsn" if data.get("bsn") else "kvk"
        party = _party_or_404(find_party(identifier_type, data[identifier_type]))
        view = build_client_view(access_context(request, data.get("activity")), party)
        return Response(serializers.ClientViewSerializer(view).data)


class PartyClientView(APIView):
    """The integral client view of a party by its uuid."""

    allowed_roles = CLIENT_VIEW_ROLES | {Role.RESIDENT}

    @extend_schema(
        parameters=[OpenApiParameter("activity", str, description="Processing activity code")],
        responses=serializers.ClientViewSerializer,
    )
    def get(self, request: Request, party_uuid: str) -> Response:
        party = _party_or_404(get_party(party_uuid))
        view = build_client_view(
            access_context(request, request.query_params.get("activity")), party
        )
        return Response(serializers.ClientViewSerializer(view).data)


class PartyChangeView(APIView):
    """Change one element of a party at the source that owns it."""

    allowed_roles = CLIENT_VIEW_ROLES | {Role.RESIDENT}

    @extend_schema(
        request=serializers.ChangeRequestSerializer,
        responses={202: serializers.ChangeResultSerializer},
    )
    def post(self, request: Request, party_uuid: str) -> Response:
        party = _party_or_404(get_party(party_uuid))
        body = serializers.ChangeRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data: dict[str, Any] = body.validated_data
        result = gate.change(
            access_context(request, data.get("activity")), party, data["element"], data["value"]
        )
        status_code = {"delivered": 200, "pending": 202, "rejected": 422}[result.status]
        return Response(serializers.ChangeResultSerializer(result).data, status=status_code)


class DataElementList(generics.ListAPIView):
    """The catalogue: every data element and its one authoritative source."""

    allowed_roles = frozenset(Role.values)
    serializer_class = serializers.DataElementSerializer
    queryset = DataElement.objects.select_related("source__organisation").order_by("code")
    filterset_fields = ["party_type", "category", "source__code"]
    search_fields = ["code", "label"]
    ordering_fields = ["code", "label", "category"]


class ProcessingActivityList(generics.ListAPIView):
    """The public register of processing activities, every version."""

    permission_classes = [AllowAny]
    authentication_classes: list[type] = []
    serializer_class = serializers.ProcessingActivitySerializer
    queryset = ProcessingActivity.objects.select_related("controller").order_by("code", "-version")
    filterset_fields = ["code", "controller__code", "gdpr_basis"]
    search_fields = ["code", "name", "purpose"]
    ordering_fields = ["code", "version", "valid_from"]


class SourceHealthView(APIView):
    """Whether each source answers now."""

    allowed_roles = frozenset({Role.ADMINISTRATOR, Role.PRIVACY_OFFICER, Role.KCC_AGENT})

    @extend_schema(responses=serializers.SourceHealthSerializer(many=True))
    def get(self, request: Request) -> Response:
        return Response(serializers.SourceHealthSerializer(source_health(), many=True).data)
