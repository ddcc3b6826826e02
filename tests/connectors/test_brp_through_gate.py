"""The BRP HTTP connector behind the gate: the client view degrades when the BRP does."""

from collections.abc import Iterator

import pytest

from klantocratie.parties.services import register_party
from klantocratie.privacy import gate
from klantocratie.privacy.models import ProcessingLogRecord
from klantocratie.registry.models import DataElement, Source
from tests.conftest import World
from tests.support.brp_server import BrpTestServer

BSN_IN_FIXTURE = "999994542"


@pytest.fixture
def brp() -> Iterator[BrpTestServer]:
    with BrpTestServer(api_key="geheim") as server:
        yield server


@pytest.fixture
def brp_world(world: World, brp: BrpTestServer) -> World:
    source = Source.objects.create(
        code="brp-http",
        name="BRP (Haal Centraal)",
        organisation=world.municipality,
        connector="haalcentraal.brp",
        config={"base_url": brp.base_url, "api_key": "geheim"},
        timeout_seconds=0.5,
    )
    # The person's name now comes from the BRP API: still exactly one source.
    DataElement.objects.filter(code="person.name").update(source=source)
    register_party("person", {"bsn": BSN_IN_FIXTURE})
    return world


def _party(bsn: str):  # type: ignore[no-untyped-def]
    from klantocratie.parties.selectors import find_party

    return find_party("bsn", bsn)


def test_view_reads_the_name_from_the_brp_api(brp_world: World, brp: BrpTestServer) -> None:
    result = gate.read(brp_world.ctx(), _party(BSN_IN_FIXTURE))
    name = result.values["person.name"]
    assert name.source_code == "brp-http"
    assert name.value["geslachtsnaam"]
    assert all(field.startswith("naam.") for field in brp.received[-1].body["fields"])


def test_brp_down_degrades_the_view(brp_world: World, brp: BrpTestServer) -> None:
    brp.down()
    result = gate.read(brp_world.ctx(), brp_world.anna)
    assert "person.name" in result.missing
    assert result.values["person.address"].value == "Grotestraat 1"
    assert ProcessingLogRecord.objects.count() == 1


def test_slow_brp_degrades_the_view(brp_world: World, brp: BrpTestServer) -> None:
    brp.delay_seconds = 2.0
    result = gate.read(brp_world.ctx(), brp_world.anna)
    status = {s.code: s for s in result.sources}["brp-http"]
    assert not status.available
    assert "0,5 s" in status.detail
