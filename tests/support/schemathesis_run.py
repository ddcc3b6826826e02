"""Schemathesis over our own OpenAPI schema, in-process, as a logged-in user.

Any answer is fine except a server error. A bounded, derandomised number of examples
per operation keeps the run repeatable and within CI time.
"""

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.core.result import Ok

# A fixed CSRF secret sent as cookie and header, as a browser client would.
CSRF_TOKEN = "schemathesisschemathesisschemat1"


@pytest.fixture
def wsgi_in_the_test_transaction() -> Iterator[None]:
    # Called straight through WSGI, Django closes the database connection after each
    # request; inside the test's transaction that would end it. Django's test client
    # unhooks the same handlers for the same reason.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def server_errors(
    session: str, *, examples: int, paths: tuple[str, ...] = ("/",)
) -> tuple[int, list[str]]:
    """Run every operation whose path starts with one of `paths`; return how many
    operations ran and a line per answer with a 5xx status."""
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())
    cookies = {"sessionid": session, "csrftoken": CSRF_TOKEN}
    headers = {"X-CSRFToken": CSRF_TOKEN}
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        assert isinstance(result, Ok)
        operation = result.ok()
        if not operation.path.startswith(paths):
            continue
        operations += 1

        @given(case=operation.as_strategy())
        @settings(
            max_examples=examples,
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
    return operations, failures
