"""Property-based run of schemathesis over every endpoint of our own OpenAPI schema.

In-process against the WSGI app, logged in as an agent (session cookie + CSRF token),
with a bounded, derandomised number of examples per operation. Any answer is fine
except a server error.
"""

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, given, settings

from klantocratie.contacts import services

from .conftest import Registry, login

EXAMPLES_PER_OPERATION = 25
# A fixed CSRF secret sent as cookie and header, as a browser client would.
CSRF_TOKEN = "schemathesisschemathesisschemat1"


def test_no_endpoint_answers_with_a_server_error(client: Client, registry: Registry) -> None:
    login(client, registry.world, "kim")
    session = client.cookies["sessionid"].value
    contact = services.register_contact(
        registry.agent(), registry.world.anna, channel="balie", subject="Vraag", content="Inhoud"
    )
    services.request_callback(registry.agent(), contact, assign_to=[registry.team])

    app = get_wsgi_application()
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", app)
    cookies = {"sessionid": session, "csrftoken": CSRF_TOKEN}
    headers = {"X-CSRFToken": CSRF_TOKEN}
    failures: list[str] = []
    operations = 0

    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def exercise(case: Any) -> None:
            response = case.call(headers=headers, cookies=cookies)
            if response.status_code >= 500:
                failures.append(
                    f"{case.method} {case.formatted_path} {case.query or ''} -> "
                    f"{response.status_code}: {response.text[:300]}"
                )

        exercise()

    assert operations >= 25
    assert failures == []


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Iterator[None]:
    # Called straight through WSGI, Django closes the database connection after each
    # request; inside the test's transaction that would end it. Django's test client
    # unhooks the same handlers for the same reason.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def _quiet_request_logging(caplog: pytest.LogCaptureFixture) -> None:
    # 4xx answers are expected by the thousand here; keep their warnings out of the output.
    caplog.set_level("ERROR", logger="django.request")
