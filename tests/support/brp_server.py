"""A local stand-in for the Haal Centraal BRP Personen API v2, for connector tests.

It follows the OpenAPI spec in openapi/brp-personen.json: requests are validated against
the spec's schemas (invalid ones get a 400 Foutbericht as the real API gives), answers
contain only the requested ``fields``, and the data is the v2-shaped fixture
brp_personen_fixture.json. Only ``RaadpleegMetBurgerservicenummer`` is implemented, the
query the connector uses.

Switches for failure tests: ``delay_seconds`` (answer slowly), ``fail_with_status``
(answer every request with that status), ``malformed_json`` (cut successful answers in
half) and ``down()`` (close the port, so connections are refused).

    with BrpTestServer(api_key="secret") as brp:
        requests.post(f"{brp.base_url}/personen", json=..., headers={"X-API-KEY": "secret"})
        brp.received[-1].body
"""

from __future__ import annotations

import copy
import json
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path
from socketserver import ThreadingMixIn
from types import TracebackType
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from jsonschema import Draft202012Validator, ValidationError

HERE = Path(__file__).resolve().parent
SPEC = json.loads((HERE / "openapi" / "brp-personen.json").read_text(encoding="utf-8"))
PERSONEN: list[dict[str, Any]] = json.loads(
    (HERE / "brp_personen_fixture.json").read_text(encoding="utf-8")
)["personen"]

QUERY_TYPE = "RaadpleegMetBurgerservicenummer"
# Fields the API always delivers by itself; asking for them is a 400 (see the spec).
AUTOMATIC_FIELDS = frozenset(
    {"inOnderzoek", "geheimhoudingPersoonsgegevens", "opschortingBijhouding", "rni", "verificatie"}
)
REASONS = {
    "pattern": "Waarde voldoet niet aan patroon {value}.",
    "required": "Parameter is verplicht.",
    "minItems": "Array bevat minder dan {value} items.",
    "maxItems": "Array bevat meer dan {value} items.",
    "type": "Waarde is geen {value}.",
}

StartResponse = Callable[[str, list[tuple[str, str]]], Any]
Json = dict[str, Any]


def schema_validator(name: str) -> Draft202012Validator:
    """A validator for one schema of the spec; its $refs resolve within the spec."""
    return Draft202012Validator(
        {"$ref": f"#/components/schemas/{name}", "components": SPEC["components"]},
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


QUERY_VALIDATOR = schema_validator(QUERY_TYPE)


def _expand(schema: Json, seen: frozenset[str] = frozenset()) -> Iterator[Json]:
    """The schema and every schema it is composed of (refs, allOf, subtypes, array items)."""
    ref = schema.get("$ref")
    if ref is not None:
        if ref not in seen:
            name = ref.rsplit("/", 1)[-1]
            yield from _expand(SPEC["components"]["schemas"][name], seen | {ref})
        return
    yield schema
    if "items" in schema:
        yield from _expand(schema["items"], seen)
    for part in schema.get("allOf", ()):
        yield from _expand(part, seen)
    for target in schema.get("discriminator", {}).get("mapping", {}).values():
        yield from _expand({"$ref": target}, seen)


def field_exists(path: str) -> bool:
    """Whether a dotted field path names a property of Persoon (or one of its subtypes)."""
    candidates: list[Json] = [{"$ref": "#/components/schemas/Persoon"}]
    segments = path.split(".")
    if segments[-1] in AUTOMATIC_FIELDS:
        return False
    for segment in segments:
        candidates = [
            part["properties"][segment]
            for candidate in candidates
            for part in _expand(candidate)
            if segment in part.get("properties", {})
        ]
        if not candidates:
            return False
    return True


def select_fields(person: Json, paths: Iterable[str]) -> Json:
    """The person with only the requested fields, plus the ``type`` of every polymorphic
    object on the way (the spec requires it, e.g. verblijfplaats.type)."""
    selected: Json = {}
    for path in paths:
        source, target = person, selected
        *parents, leaf = path.split(".")
        for name in parents:
            if not isinstance(source.get(name), dict):
                break
            source = source[name]
            target = target.setdefault(name, {})
            if "type" in source:
                target["type"] = source["type"]
        else:
            if leaf in source:
                target[leaf] = copy.deepcopy(source[leaf])
    return selected


@dataclass(frozen=True)
class ReceivedRequest:
    method: str
    path: str
    headers: dict[str, str]  # lower-case names
    body: Any  # parsed JSON, or the raw text when it was no JSON


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    # Slow answers must not block the next request, nor stop() wait for them.
    daemon_threads = True
    block_on_close = False


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class BrpTestServer:
    """The test API on 127.0.0.1 at a free port; use as a context manager."""

    def __init__(
        self,
        *,
        api_key: str | None = None,
        api_key_header: str = "X-API-KEY",
    ) -> None:
        self.api_key = api_key
        self.api_key_header = api_key_header.lower()
        self.delay_seconds = 0.0
        self.fail_with_status: int | None = None
        self.malformed_json = False
        self.received: list[ReceivedRequest] = []
        self._stopping = threading.Event()
        self._server = make_server(
            "127.0.0.1", 0, self, server_class=_ThreadingWSGIServer, handler_class=_QuietHandler
        )
        self.base_url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._running = False

    def start(self) -> BrpTestServer:
        self._thread.start()
        self._running = True
        return self

    def down(self) -> None:
        """Stop answering and close the port: new connections are refused."""
        if self._running:
            self._running = False
            self._stopping.set()
            self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> BrpTestServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.down()

    # The WSGI application.
    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> list[bytes]:
        raw = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        headers = {
            key[5:].replace("_", "-").lower(): value
            for key, value in environ.items()
            if key.startswith("HTTP_")
        }
        if environ.get("CONTENT_TYPE"):
            headers["content-type"] = environ["CONTENT_TYPE"]
        try:
            body: Any = json.loads(raw)
        except ValueError:
            body = raw.decode("utf-8", "replace")
        self.received.append(
            ReceivedRequest(environ["REQUEST_METHOD"], environ["PATH_INFO"], headers, body)
        )
        if self.delay_seconds:
            self._stopping.wait(self.delay_seconds)
        status, payload = self._answer(environ, headers, body)
        content_type = "application/json" if status == 200 else "application/problem+json"
        data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        if status == 200 and self.malformed_json:
            data = data[: len(data) // 2]
        start_response(
            f"{status} {HTTPStatus(status).phrase}",
            [
                ("Content-Type", f"{content_type}; charset=utf-8"),
                ("Content-Length", str(len(data))),
            ],
        )
        return [data]

    def _answer(
        self, environ: dict[str, Any], headers: dict[str, str], body: Any
    ) -> tuple[int, Json]:
        if self.fail_with_status is not None:
            return self.fail_with_status, problem(self.fail_with_status)
        if environ["PATH_INFO"] != "/personen":
            return 404, problem(404, "Opgevraagde resource bestaat niet.")
        if environ["REQUEST_METHOD"] != "POST":
            return 405, problem(405, "Gebruikte bevragingsmethode is niet toegestaan.")
        if self.api_key is not None and headers.get(self.api_key_header) != self.api_key:
            return 401, problem(401)
        if not headers.get("content-type", "").startswith("application/json"):
            return 415, problem(415)
        if not isinstance(body, dict):
            return 400, problem(400, "Het request bevat geen geldige JSON.")
        invalid = [p for error in QUERY_VALIDATOR.iter_errors(body) for p in invalid_params(error)]
        if not invalid and body["type"] != QUERY_TYPE:
            invalid.append(param("type", "value", "Deze zoekvraag ondersteunt de testserver niet."))
        invalid += [
            param(f"fields[{index}]", "field", "Parameter bevat een niet bestaande veldnaam.")
            for index, path in enumerate(body.get("fields") or [])
            if isinstance(path, str) and not field_exists(path)
        ]
        if invalid:
            return 400, {
                **problem(400, "Een of meerdere parameters zijn niet correct."),
                "code": "paramsValidation",
                "invalidParams": invalid,
            }
        return 200, {"type": QUERY_TYPE, "personen": self._find(body)}

    def _find(self, query: Json) -> list[Json]:
        gemeente = query.get("gemeenteVanInschrijving")
        return [
            select_fields(person, query["fields"])
            for bsn in query["burgerservicenummer"]
            for person in PERSONEN
            if person["burgerservicenummer"] == bsn
            and (gemeente is None or person["gemeenteVanInschrijving"]["code"] == gemeente)
        ]


def problem(status: int, title: str | None = None) -> Json:
    """A Foutbericht, based on the spec's example for the status where it has one."""
    response: Json = SPEC["components"]["responses"].get(str(status), {})
    media_type = next(iter(response.get("content", {}).values()), None)
    example: Json = media_type["example"] if media_type else {}
    foutbericht = {k: v for k, v in example.items() if k != "invalidParams"}
    foutbericht.update(
        status=status,
        instance="/personen",
        title=title or example.get("title") or HTTPStatus(status).phrase,
    )
    return foutbericht


def param(name: str, code: str, reason: str) -> Json:
    return {"name": name, "code": code, "reason": reason}


def invalid_params(error: ValidationError) -> list[Json]:
    """InvalidParam entries for one schema violation, named as the real API names them."""
    name = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in error.path)
    name = name.lstrip(".")
    if error.validator == "required":
        return [
            param(f"{name}.{key}".lstrip("."), "required", REASONS["required"])
            for key in error.validator_value
            if key not in error.instance
        ]
    template = REASONS.get(str(error.validator))
    reason = template.format(value=error.validator_value) if template else error.message
    return [param(name, str(error.validator), reason)]
