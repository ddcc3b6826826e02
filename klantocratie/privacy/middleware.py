from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from . import tracing


class TraceContextMiddleware:
    """Open a span per request; gate calls made while serving it become its children."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = tracing.parse_traceparent(request.headers.get("traceparent"))
        trace = (
            incoming.child()
            if incoming
            else tracing.TraceContext(tracing.new_trace_id(), tracing.new_span_id())
        )
        token = tracing.activate(trace)
        try:
            response = self.get_response(request)
        finally:
            tracing.deactivate(token)
        response["traceparent"] = trace.traceparent
        return response
