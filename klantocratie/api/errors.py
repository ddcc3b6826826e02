"""Errors in one shape: {"code": ..., "detail": ..., "fields": {field: [messages]}}."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from klantocratie.privacy.errors import AccessDenied, GateError, LogWriteFailed


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, GateError):
        code: int = status.HTTP_400_BAD_REQUEST
        if isinstance(exc, AccessDenied):
            code = status.HTTP_403_FORBIDDEN
        elif isinstance(exc, LogWriteFailed):
            code = status.HTTP_503_SERVICE_UNAVAILABLE
        return Response(
            {"code": exc.code, "detail": exc.message, "fields": {exc.field: [exc.message]}},
            status=code,
        )
    if isinstance(exc, DjangoValidationError):
        fields = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        return Response(
            {"code": "invalid", "detail": "Ongeldige invoer.", "fields": fields},
            status=status.HTTP_400_BAD_REQUEST,
        )
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(response.data, dict) and "code" not in response.data:
        detail = response.data.get("detail")
        fields = {k: v for k, v in response.data.items() if k != "detail"}
        response.data = {
            "code": getattr(detail, "code", "invalid" if fields else "error"),
            "detail": str(detail) if detail else "Ongeldige invoer.",
            "fields": fields,
        }
    return response
