"""The Haal Centraal BRP connector against a local server that follows the BRP Personen spec.

No database: the connector only reads its (unsaved) Source row.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from klantocratie.connectors.base import (
    ChangeRejected,
    PartyRef,
    SourceUnavailable,
    connector_class,
)
from klantocratie.connectors.brp import BrpPersonenConnector
from klantocratie.registry.models import Source
from tests.support.brp_server import (
    PERSONEN,
    QUERY_TYPE,
    BrpTestServer,
    field_exists,
    schema_validator,
    select_fields,
)

API_KEY = "test-sleutel-7f3a"
ALL_ELEMENTS = ["person.name", "person.birth", "person.gender", "person.address"]


@pytest.fixture
def brp() -> Iterator[BrpTestServer]:
    with BrpTestServer(api_key=API_KEY) as server:
        yield server


def make_connector(brp: BrpTestServer, **config: Any) -> BrpPersonenConnector:
    source = Source(
        code="brp-http",
        name="BRP",
        connector="haalcentraal.brp",
        config={"base_url": brp.base_url, "api_key": API_KEY, **config},
        timeout_seconds=0.3,
    )
    return BrpPersonenConnector(source)


def bsn(value: str) -> PartyRef:
    return PartyRef("bsn", value)


def read(brp: BrpTestServer, value: str, element: str, **config: Any) -> Any:
    return make_connector(brp, **config).read(bsn(value), [element])[element]


def test_registered_under_its_key() -> None:
    assert connector_class("haalcentraal.brp") is BrpPersonenConnector


def test_provides_person_elements(brp: BrpTestServer) -> None:
    assert make_connector(brp).provides() == frozenset(ALL_ELEMENTS)


def test_fixture_is_valid_per_spec() -> None:
    response = {"type": QUERY_TYPE, "personen": PERSONEN}
    errors = list(schema_validator("RaadpleegMetBurgerservicenummerResponse").iter_errors(response))
    assert errors == []


# Mapping of each element.


def test_name_with_title(brp: BrpTestServer) -> None:
    assert read(brp, "000009830", "person.name") == {
        "voornamen": "Theodoor-Christiaan R. Philip",
        "voorvoegsel": "van der",
        "geslachtsnaam": "Ven-Van Roedelrode tot Broekzucht",
        "volledige_naam": (
            "Theodoor-Christiaan R. Philip graaf van der Ven-Van Roedelrode tot Broekzucht"
        ),
    }


def test_name_without_first_names(brp: BrpTestServer) -> None:
    assert read(brp, "999991310", "person.name") == {
        "voornamen": None,
        "voorvoegsel": None,
        "geslachtsnaam": "Debrabandere",
        "volledige_naam": "Debrabandere",
    }


@pytest.mark.parametrize(
    ("value", "birth"),
    [
        ("000009842", {"geboortedatum": "1993-10-08", "geboorteplaats": "Hrazdan"}),
        ("999970598", {"geboortedatum": "1978-06", "geboorteplaats": "Mogadishu"}),
        ("999970586", {"geboortedatum": "1970", "geboorteplaats": "Mogadishu"}),
        ("999994220", {"geboortedatum": None, "geboorteplaats": None}),
    ],
    ids=["full-date", "year-month", "year", "unknown"],
)
def test_birth_keeps_the_precision_the_brp_has(
    brp: BrpTestServer, value: str, birth: dict[str, Any]
) -> None:
    assert read(brp, value, "person.birth") == birth


@pytest.mark.parametrize(
    ("value", "gender"),
    [("000009842", "man"), ("999990135", "vrouw"), ("999991310", "onbekend")],
)
def test_gender(brp: BrpTestServer, value: str, gender: str) -> None:
    assert read(brp, value, "person.gender") == gender


def test_address_with_house_letter(brp: BrpTestServer) -> None:
    assert read(brp, "999990135", "person.address") == {
        "straat": "Laan van Meerdervoort",
        "huisnummer": 492,
        "huisletter": "B",
        "huisnummertoevoeging": None,
        "postcode": "2563BJ",
        "woonplaats": "'s-Gravenhage",
        "buurtcode": None,
        "sinds": "2009-09-28",
    }


def test_address_with_addition(brp: BrpTestServer) -> None:
    address = read(brp, "999994542", "person.address")
    assert (address["straat"], address["huisnummer"], address["huisnummertoevoeging"]) == (
        "Schakelstraat",
        14,
        "H",
    )
    assert address["woonplaats"] == "Amsterdam"


def test_address_outside_bag_uses_short_street_name(brp: BrpTestServer) -> None:
    address = read(brp, "000009830", "person.address")
    assert address["straat"] == "Boulevard 1945"
    assert address["woonplaats"] is None


def test_address_of_a_location_uses_its_description(brp: BrpTestServer) -> None:
    address = read(brp, "999997002", "person.address")
    assert address["straat"] == "woonaak De Kabouter in Ruigoord"
    assert address["huisnummer"] is None
    assert address["sinds"] == "1990-07-01"


def test_living_abroad_has_no_address(brp: BrpTestServer) -> None:
    assert read(brp, "000009957", "person.address") is None


def test_all_elements_in_one_request(brp: BrpTestServer) -> None:
    values = make_connector(brp).read(bsn("999994669"), ALL_ELEMENTS)
    assert values["person.name"]["volledige_naam"] == (
        "jonkvrouw Żáïŀëñøŕ Åłéèç Đëļŧå 'S Streeveld"
    )
    assert values["person.birth"] == {"geboortedatum": "1961-12-30", "geboorteplaats": "Hilversum"}
    assert values["person.gender"] == "vrouw"
    assert values["person.address"]["postcode"] == "3078JG"
    assert len(brp.received) == 1


# What is sent.


def test_only_the_fields_of_the_requested_elements_are_asked(brp: BrpTestServer) -> None:
    make_connector(brp).read(bsn("000009842"), ["person.gender", "person.birth"])
    request = brp.received[-1]
    assert request.body == {
        "type": "RaadpleegMetBurgerservicenummer",
        "burgerservicenummer": ["000009842"],
        "fields": ["geslacht", "geboorte.datum", "geboorte.plaats"],
    }


def test_bsn_stays_out_of_the_url(brp: BrpTestServer) -> None:
    make_connector(brp).read(bsn("000009842"), ["person.gender"])
    request = brp.received[-1]
    assert (request.method, request.path) == ("POST", "/personen")


def test_every_requested_field_exists_in_the_spec(brp: BrpTestServer) -> None:
    # The server answers 400 for unknown fields; check each one explicitly as well.
    make_connector(brp).read(bsn("000009842"), ALL_ELEMENTS)
    assert all(field_exists(field) for field in brp.received[-1].body["fields"])


def test_api_key_is_sent_in_the_configured_header() -> None:
    with BrpTestServer(api_key=API_KEY, api_key_header="Authorization-Key") as server:
        connector = make_connector(server, api_key_header="Authorization-Key")
        assert connector.read(bsn("000009842"), ["person.gender"]) == {"person.gender": "man"}
        assert server.received[-1].headers["authorization-key"] == API_KEY


def test_default_api_key_header(brp: BrpTestServer) -> None:
    make_connector(brp).read(bsn("000009842"), ["person.gender"])
    assert brp.received[-1].headers["x-api-key"] == API_KEY


def test_municipality_of_registration_limits_answers(brp: BrpTestServer) -> None:
    # 000009842 lives in 's-Gravenhage (0518), 999994542 in Amsterdam (0363).
    connector = make_connector(brp, gemeente_van_inschrijving="0518")
    assert connector.read(bsn("000009842"), ["person.gender"]) == {"person.gender": "man"}
    assert brp.received[-1].body["gemeenteVanInschrijving"] == "0518"
    assert connector.read(bsn("999994542"), ["person.gender"]) == {"person.gender": None}


# Nobody to find.


def test_unknown_bsn_gives_none_values(brp: BrpTestServer) -> None:
    assert make_connector(brp).read(bsn("999999990"), ALL_ELEMENTS) == dict.fromkeys(ALL_ELEMENTS)


def test_party_without_bsn_is_not_asked(brp: BrpTestServer) -> None:
    party = PartyRef("kvk", "12345678")
    assert make_connector(brp).read(party, ["person.name"]) == {"person.name": None}
    assert brp.received == []


# Failures.


def test_slow_server_is_unavailable(brp: BrpTestServer) -> None:
    brp.delay_seconds = 1.0
    with pytest.raises(SourceUnavailable, match="BRP reageerde niet binnen 0,3 s"):
        make_connector(brp).read(bsn("000009842"), ["person.name"])


def test_server_error_is_unavailable(brp: BrpTestServer) -> None:
    brp.fail_with_status = 503
    with pytest.raises(SourceUnavailable, match=r"serverfout \(503\)"):
        make_connector(brp).read(bsn("000009842"), ["person.name"])


def test_server_down_is_unavailable(brp: BrpTestServer) -> None:
    brp.down()
    with pytest.raises(SourceUnavailable, match="niet bereikbaar"):
        make_connector(brp).read(bsn("000009842"), ["person.name"])


def test_malformed_json_is_unavailable(brp: BrpTestServer) -> None:
    brp.malformed_json = True
    with pytest.raises(SourceUnavailable, match="onleesbaar"):
        make_connector(brp).read(bsn("000009842"), ["person.name"])


def test_missing_base_url_is_unavailable(brp: BrpTestServer) -> None:
    with pytest.raises(SourceUnavailable, match="base_url"):
        make_connector(brp, base_url="").read(bsn("000009842"), ["person.name"])


def test_refusal_names_the_title_and_logs_without_secrets(
    brp: BrpTestServer, caplog: pytest.LogCaptureFixture
) -> None:
    # An invalid BSN reaches the server (the connector does not second-guess the register).
    with (
        caplog.at_level(logging.WARNING, logger="klantocratie.connectors.brp"),
        pytest.raises(SourceUnavailable, match=r"\(400\): Een of meerdere parameters"),
    ):
        make_connector(brp).read(bsn("12345"), ["person.name"])
    assert "invalidParams=['burgerservicenummer[0]']" in caplog.text
    assert "12345" not in caplog.text
    assert API_KEY not in caplog.text


def test_wrong_api_key_is_refused(brp: BrpTestServer, caplog: pytest.LogCaptureFixture) -> None:
    with pytest.raises(SourceUnavailable, match=r"\(401\): Niet correct geauthenticeerd"):
        make_connector(brp, api_key="fout").read(bsn("000009842"), ["person.name"])
    assert "fout" not in caplog.text


def test_change_is_rejected(brp: BrpTestServer) -> None:
    with pytest.raises(ChangeRejected, match="BRP-proces"):
        make_connector(brp).change(bsn("000009842"), "person.address", {"straat": "Elders"})
    assert brp.received == []


# Health.


def test_health_ok_without_looking_anyone_up(brp: BrpTestServer) -> None:
    health = make_connector(brp).health()
    assert health.ok, health.detail
    assert health.detail.startswith("BRP antwoordt")
    assert brp.received[-1].body["burgerservicenummer"] == []


@pytest.mark.parametrize(
    ("breakage", "detail"),
    [
        ("down", "niet bereikbaar"),
        ("503", "serverfout (503)"),
        ("slow", "niet binnen 0,3 s"),
        ("api_key", "Niet correct geauthenticeerd"),
    ],
)
def test_health_not_ok(brp: BrpTestServer, breakage: str, detail: str) -> None:
    config: dict[str, Any] = {}
    if breakage == "down":
        brp.down()
    elif breakage == "503":
        brp.fail_with_status = 503
    elif breakage == "slow":
        brp.delay_seconds = 1.0
    else:
        config["api_key"] = "fout"
    health = make_connector(brp, **config).health()
    assert not health.ok
    assert detail in health.detail


# The test server itself follows the spec.


def test_server_rejects_invalid_requests(brp: BrpTestServer) -> None:
    response = requests.post(
        f"{brp.base_url}/personen",
        json={"type": QUERY_TYPE, "burgerservicenummer": ["12345"]},
        headers={"X-API-KEY": API_KEY},
        timeout=5,
    )
    assert response.status_code == 400
    assert response.headers["Content-Type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["status"] == 400
    assert {(p["name"], p["code"]) for p in problem["invalidParams"]} == {
        ("burgerservicenummer[0]", "pattern"),
        ("fields", "required"),
    }
    # Foutbericht, not BadRequestFoutbericht: like the real API the server names invalid
    # parameters with an index and quotes the pattern, which the spec's own patterns forbid.
    assert schema_validator("Foutbericht").is_valid(problem)


def test_server_rejects_unknown_fields(brp: BrpTestServer) -> None:
    response = requests.post(
        f"{brp.base_url}/personen",
        json={"type": QUERY_TYPE, "burgerservicenummer": ["000009842"], "fields": ["naam.bijnaam"]},
        headers={"X-API-KEY": API_KEY},
        timeout=5,
    )
    assert response.status_code == 400
    assert response.json()["invalidParams"][0]["name"] == "fields[0]"


def test_server_returns_only_requested_fields() -> None:
    person = next(p for p in PERSONEN if p["burgerservicenummer"] == "999990135")
    selected = select_fields(person, ["geslacht", "verblijfplaats.verblijfadres.postcode"])
    assert selected == {
        "geslacht": {"code": "V", "omschrijving": "vrouw"},
        "verblijfplaats": {"type": "Adres", "verblijfadres": {"postcode": "2563BJ"}},
    }
