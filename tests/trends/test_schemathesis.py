"""Schemathesis over the trends endpoints, as a policy analyst: no server errors."""

import pytest
from django.test import Client

from klantocratie.trends.models import TrendRun
from tests.support.schemathesis_run import server_errors, wsgi_in_the_test_transaction  # noqa: F401


@pytest.mark.usefixtures("wsgi_in_the_test_transaction")
def test_no_trends_endpoint_answers_with_a_server_error(
    analyst: Client, town_run: TrendRun, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("ERROR", logger="django.request")
    operations, failures = server_errors(
        analyst.cookies["sessionid"].value, examples=40, paths=("/api/trends/",)
    )
    assert operations == 3
    assert failures == []
