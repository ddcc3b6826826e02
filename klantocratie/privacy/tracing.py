"""W3C trace context for the processing log: every gate call is a span in a trace.

A request that arrives with a ``traceparent`` header keeps its trace id, so one
resident's question can be followed across organisations' logs.
"""

import contextvars
import re
import secrets
from dataclasses import dataclass

_TRACEPARENT_RE = re.compile(r"^00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$")


@dataclass(frozen=True)
class TraceContext:
    trace_id: str
    span_id: str

    def child(self) -> "TraceContext":
        return TraceContext(self.trace_id, new_span_id())

    @property
    def traceparent(self) -> str:
        return f"00-{self.trace_id}-{self.span_id}-01"


def new_trace_id() -> str:
    return secrets.token_hex(16)


def new_span_id() -> str:
    return secrets.token_hex(8)


def parse_traceparent(header: str | None) -> TraceContext | None:
    if not header:
        return None
    match = _TRACEPARENT_RE.match(header.strip().lower())
    if not match or match.group(1) == "0" * 32 or match.group(2) == "0" * 16:
        return None
    return TraceContext(match.group(1), match.group(2))


_current: contextvars.ContextVar[TraceContext | None] = contextvars.ContextVar(
    "klantocratie_trace", default=None
)


def current_trace() -> TraceContext | None:
    return _current.get()


def activate(trace: TraceContext | None) -> contextvars.Token[TraceContext | None]:
    return _current.set(trace)


def deactivate(token: contextvars.Token[TraceContext | None]) -> None:
    _current.reset(token)
