"""The desk's knowledge search endpoint: GET /api/v1/knowledge/search."""

import re
from typing import Any

from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from klantocratie.accounts.roles import CLIENT_VIEW_ROLES
from klantocratie.registry.models import Organisation

from .models import Audience, DocumentKind, LifeEvent
from .selectors import SearchHit, search_knowledge

SLUG = re.compile(r"[-a-zA-Z0-9_]{1,64}")


class SlugReference(serializers.SlugRelatedField):
    """A reference by slug or code; anything that cannot be one is unknown, unasked.

    PostgreSQL refuses text with a NUL byte outright, so such a value must never
    reach the query.
    """

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str) or not SLUG.fullmatch(data):
            self.fail("does_not_exist", slug_name=self.slug_field, value=str(data)[:50])
        return super().to_internal_value(data)


class KnowledgeQuerySerializer(serializers.Serializer):
    q = serializers.CharField(max_length=200, help_text="De vraag, in gewone woorden.")
    life_event = SlugReference(slug_field="slug", queryset=LifeEvent.objects.all(), required=False)
    audience = serializers.ChoiceField(
        choices=[Audience.RESIDENT, Audience.BUSINESS], required=False
    )
    organisation = SlugReference(
        slug_field="code", queryset=Organisation.objects.all(), required=False
    )
    limit = serializers.IntegerField(min_value=1, max_value=50, default=10)

    def validate_q(self, value: str) -> str:
        if not value.strip():
            raise serializers.ValidationError("Geef een zoekvraag.")
        return value


class KnowledgeHitSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    uuid = serializers.UUIDField()
    title = serializers.CharField()
    snippet = serializers.CharField()
    score = serializers.FloatField()
    source_name = serializers.CharField()
    source_url = serializers.CharField(allow_blank=True)
    last_reviewed = serializers.DateField()
    url = serializers.SerializerMethodField()

    def get_url(self, hit: SearchHit) -> str:
        name = "knowledge:answer" if hit.kind == DocumentKind.ANSWER else "knowledge:product"
        key = "answer_uuid" if hit.kind == DocumentKind.ANSWER else "product_uuid"
        return reverse(name, kwargs={key: hit.uuid})


class KnowledgeSearchView(APIView):
    """Answers and products for a question in Dutch, best first, with source and review date."""

    allowed_roles = CLIENT_VIEW_ROLES

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, required=True, description="De vraag van de klant."),
            OpenApiParameter("life_event", str, description="Slug van een levensgebeurtenis."),
            OpenApiParameter("audience", str, enum=[Audience.RESIDENT, Audience.BUSINESS]),
            OpenApiParameter("organisation", str, description="Code van een organisatie."),
            OpenApiParameter(
                "limit", int, description="Aantal resultaten (1 tot 50, standaard 10)."
            ),
        ],
        responses=KnowledgeHitSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        query = KnowledgeQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data: dict[str, Any] = query.validated_data
        hits = search_knowledge(
            data["q"],
            audience=data.get("audience"),
            life_event=data["life_event"].slug if data.get("life_event") else None,
            organisation=data.get("organisation"),
            limit=data["limit"],
        )
        return Response(KnowledgeHitSerializer(hits, many=True).data)
