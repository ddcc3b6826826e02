"""Connector for the Haal Centraal BRP Personen API v2 (the national population register).

Every question is a ``POST /personen`` with the BSN in the JSON body, never a GET with the
BSN in the URL: URLs end up in access logs, proxy logs and monitoring of every hop between
us and the BRP, and a BSN there is a leak of a special identifier. The API itself was
designed this way for the same reason.

We ask only for the fields the requested elements need (data minimisation; the BRP
authorises and logs per field) and map the v2 response to this installation's element
shapes with Dutch keys and ISO dates.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from typing import Any

import requests

from .base import (
    ChangeRejected,
    Connector,
    Health,
    PartyRef,
    SourceUnavailable,
    register,
)

logger = logging.getLogger(__name__)

QUERY_TYPE = "RaadpleegMetBurgerservicenummer"
DEFAULT_API_KEY_HEADER = "X-API-KEY"

FIELDS: dict[str, tuple[str, ...]] = {
    # volledigeNaam is asked rather than built here: the BRP applies the rules for titles,
    # predicates and name use, which we would otherwise have to replicate.
    "person.name": (
        "naam.voornamen",
        "naam.voorvoegsel",
        "naam.geslachtsnaam",
        "naam.volledigeNaam",
    ),
    "person.birth": ("geboorte.datum", "geboorte.plaats"),
    "person.gender": ("geslacht",),
    "person.address": (
        "verblijfplaats.verblijfadres.officieleStraatnaam",
        "verblijfplaats.verblijfadres.korteStraatnaam",
        "verblijfplaats.verblijfadres.huisnummer",
        "verblijfplaats.verblijfadres.huisletter",
        "verblijfplaats.verblijfadres.huisnummertoevoeging",
        "verblijfplaats.verblijfadres.postcode",
        "verblijfplaats.verblijfadres.woonplaats",
        "verblijfplaats.verblijfadres.locatiebeschrijving",
        "verblijfplaats.datumVan",
    ),
}

GENDERS = {"M": "man", "V": "vrouw"}

# One pooled session per base URL, shared by all sources that point there: opening a TLS
# connection per read would dominate the latency of a client view.
_sessions: dict[str, requests.Session] = {}
_sessions_lock = threading.Lock()


def _session(base_url: str) -> requests.Session:
    with _sessions_lock:
        session = _sessions.get(base_url)
        if session is None:
            session = _sessions[base_url] = requests.Session()
        return session


def _seconds(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def _iso_date(datum: Any) -> str | None:
    """A BRP date object as ISO 8601, keeping the precision the BRP has (year, month, day)."""
    if not datum:
        return None
    kind = datum["type"]
    if kind == "Datum":
        return str(datum["datum"])
    if kind == "JaarMaandDatum":
        return f"{datum['jaar']:04d}-{datum['maand']:02d}"
    if kind == "JaarDatum":
        return f"{datum['jaar']:04d}"
    return None  # DatumOnbekend


def _name(person: dict[str, Any]) -> dict[str, Any] | None:
    naam = person.get("naam")
    if not naam:
        return None
    return {
        "voornamen": naam.get("voornamen"),
        "voorvoegsel": naam.get("voorvoegsel"),
        "geslachtsnaam": naam.get("geslachtsnaam"),
        "volledige_naam": naam.get("volledigeNaam"),
    }


def _birth(person: dict[str, Any]) -> dict[str, Any] | None:
    geboorte = person.get("geboorte")
    if not geboorte:
        return None
    return {
        "geboortedatum": _iso_date(geboorte.get("datum")),
        "geboorteplaats": (geboorte.get("plaats") or {}).get("omschrijving"),
    }


def _gender(person: dict[str, Any]) -> str | None:
    geslacht = person.get("geslacht")
    if not geslacht:
        return None
    return GENDERS.get(geslacht.get("code"), "onbekend")


def _address(person: dict[str, Any]) -> dict[str, Any] | None:
    verblijfplaats = person.get("verblijfplaats")
    if not verblijfplaats:
        return None
    adres = verblijfplaats.get("verblijfadres") or {}
    kind = verblijfplaats["type"]
    if kind == "Adres":
        straat = adres.get("officieleStraatnaam") or adres.get("korteStraatnaam")
    elif kind == "Locatie":
        # A houseboat or caravan site: the description is the only street-like line it has.
        straat = adres.get("locatiebeschrijving")
    else:
        # Abroad or unknown: the BRP holds no Dutch residential address.
        return None
    return {
        "straat": straat,
        "huisnummer": adres.get("huisnummer"),
        "huisletter": adres.get("huisletter"),
        "huisnummertoevoeging": adres.get("huisnummertoevoeging"),
        "postcode": adres.get("postcode"),
        "woonplaats": adres.get("woonplaats"),
        "buurtcode": None,  # the BRP does not register neighbourhoods
        "sinds": _iso_date(verblijfplaats.get("datumVan")),
    }


MAPPERS = {
    "person.name": _name,
    "person.birth": _birth,
    "person.gender": _gender,
    "person.address": _address,
}


@register("haalcentraal.brp")
class BrpPersonenConnector(Connector):
    """Reads person data from a Haal Centraal BRP Personen API v2 endpoint.

    source.config: ``base_url`` (required), ``api_key`` and ``api_key_header`` (default
    X-API-KEY), ``gemeente_van_inschrijving`` (a 4-digit municipality code that limits
    answers to the municipality's own residents).
    """

    def provides(self) -> frozenset[str]:
        return frozenset(FIELDS)

    def read(self, party: PartyRef, elements: Sequence[str]) -> dict[str, Any]:
        if not elements or party.identifier_type != "bsn":
            return dict.fromkeys(elements)
        fields = list(dict.fromkeys(field for code in elements for field in FIELDS[code]))
        body: dict[str, Any] = {
            "type": QUERY_TYPE,
            "burgerservicenummer": [party.value],
            "fields": fields,
        }
        gemeente = self.source.config.get("gemeente_van_inschrijving")
        if gemeente:
            body["gemeenteVanInschrijving"] = gemeente
        response = self._post(body)
        person = self._person(response)
        if person is None:
            return dict.fromkeys(elements)
        try:
            return {code: MAPPERS[code](person) for code in elements}
        except (AttributeError, KeyError, TypeError, ValueError) as exc:
            raise SourceUnavailable("BRP gaf een onleesbaar antwoord") from exc

    def change(self, party: PartyRef, element: str, value: Any) -> None:
        raise ChangeRejected(
            "Wijzigingen in de BRP lopen via het eigen BRP-proces van de gemeente "
            "(bijvoorbeeld een verhuizing doorgeven)."
        )

    def health(self) -> Health:
        # An empty BSN list is rejected by the API's validation (400) without anyone being
        # looked up, so it proves the route and the API key work without a protocolled query.
        started = time.monotonic()
        try:
            response = self._send(
                {"type": QUERY_TYPE, "burgerservicenummer": [], "fields": ["burgerservicenummer"]}
            )
        except SourceUnavailable as exc:
            return Health(ok=False, detail=str(exc))
        millis = round((time.monotonic() - started) * 1000)
        if response.status_code == 400 or 200 <= response.status_code < 300:
            return Health(ok=True, detail=f"BRP antwoordt ({millis} ms)")
        return Health(ok=False, detail=self._rejection(response))

    def _send(self, body: dict[str, Any]) -> requests.Response:
        config = self.source.config
        base_url = config.get("base_url")
        if not base_url:
            raise SourceUnavailable("BRP-koppeling mist base_url in de configuratie")
        headers = {"Accept": "application/json"}
        if config.get("api_key"):
            headers[config.get("api_key_header") or DEFAULT_API_KEY_HEADER] = config["api_key"]
        try:
            return _session(base_url).post(
                f"{base_url.rstrip('/')}/personen",
                json=body,
                headers=headers,
                timeout=self.timeout,
                # A redirect would carry the API key header to wherever it points.
                allow_redirects=False,
            )
        except requests.Timeout as exc:
            raise SourceUnavailable(
                f"BRP reageerde niet binnen {_seconds(self.timeout)} s"
            ) from exc
        except requests.ConnectionError as exc:
            raise SourceUnavailable("BRP is niet bereikbaar") from exc
        except requests.RequestException as exc:
            raise SourceUnavailable(f"BRP-verzoek mislukt ({type(exc).__name__})") from exc

    def _post(self, body: dict[str, Any]) -> requests.Response:
        response = self._send(body)
        if not 200 <= response.status_code < 300:
            raise SourceUnavailable(self._rejection(response))
        return response

    def _rejection(self, response: requests.Response) -> str:
        """Describe an answer other than success. Anything but 5xx means our configuration
        (base_url, API key, authorisation) is wrong, so it is logged for the administrator."""
        status = response.status_code
        if status >= 500:
            return f"BRP gaf een serverfout ({status})"
        try:
            problem = response.json()
        except ValueError:
            problem = None
        if not isinstance(problem, dict):
            problem = {}
        # Only the names of invalid parameters: their values may contain a BSN.
        params = [p.get("name") for p in problem.get("invalidParams") or [] if isinstance(p, dict)]
        logger.warning(
            "BRP source %s refused a request: status=%s title=%r code=%r invalidParams=%s",
            self.source.code,
            status,
            problem.get("title"),
            problem.get("code"),
            params,
        )
        if status < 400:
            return f"BRP verwees door ({status}); controleer base_url"
        if problem.get("title"):
            return f"BRP weigerde het verzoek ({status}): {problem['title']}"
        return f"BRP weigerde het verzoek ({status})"

    @staticmethod
    def _person(response: requests.Response) -> dict[str, Any] | None:
        try:
            payload = response.json()
        except ValueError as exc:
            raise SourceUnavailable("BRP gaf een onleesbaar antwoord") from exc
        personen = payload.get("personen") if isinstance(payload, dict) else None
        # More than one person for one BSN is not a valid answer; showing either could
        # show the wrong person's data.
        if (
            not isinstance(personen, list)
            or len(personen) > 1
            or not all(isinstance(p, dict) for p in personen)
        ):
            raise SourceUnavailable("BRP gaf een onleesbaar antwoord")
        return personen[0] if personen else None
