"""Schemathesis over every endpoint of our own OpenAPI schema, logged in as an agent."""

import pytest
from django.test import Client

from klantocratie.contacts import services
from tests.support.schemathesis_run import server_errors, wsgi_in_the_test_transaction  # noqa: F401

from .conftest import Registry, login

EXAMPLES_PER_OPERATION = 25


@pytest.mark.usefixtures("wsgi_in_the_test_transaction")
def test_no_endpoint_answers_with_a_server_error(client: Client, registry: Registry) -> None:
    login(client, registry.world, "kim")
    session = client.cookies["sessionid"].value
    contact = services.register_contact(
        registry.agent(), registry.world.anna, channel="balie", subject="Vraag", content="Inhoud"
    )
    services.request_callback(registry.agent(), contact, assign_to=[registry.team])

    operations, failures = server_errors(session, examples=EXAMPLES_PER_OPERATION)
    assert operations >= 25
    assert failures == []


@pytest.fixture(autouse=True)
def _quiet_request_logging(caplog: pytest.LogCaptureFixture) -> None:
    # 4xx answers are expected by the thousand here; keep their warnings out of the output.
    caplog.set_level("ERROR", logger="django.request")
