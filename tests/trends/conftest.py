"""Deterministic snapshot facts for the trends, and users in the roles that may see them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from django.contrib.auth.models import User
from django.test import Client

from klantocratie.accounts.models import Membership
from klantocratie.analytics.vocabulary import FACT_SCHEMA
from klantocratie.registry.models import Organisation
from klantocratie.trends.services import refresh_trends

NOORD, ZUID, ULK, JAVA = "BU01411000", "BU01411001", "BU01411002", "BU01411003"
BINNENSTAD = "WK014110"
RIET_NOORD = "BU01411101"
# A Sunday: the week it ends is the last one counted.
REFERENCE = dt.date(2025, 3, 2)
LAST_WEEK = dt.date(2025, 2, 24)
WEEKS = 16
FIRST_WEEK = LAST_WEEK - dt.timedelta(weeks=WEEKS - 1)
STARTER = "Starten als ondernemer"


def week(n: int) -> dt.date:
    """Monday of the n-th counted week (0 is the first)."""
    return FIRST_WEEK + dt.timedelta(weeks=n)


class Facts:
    """Builds the rows of an analytic snapshot, one pseudonymous subject at a time."""

    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []
        self.subjects = 0

    def add(self, subject: str, kind: str, at: dt.date | None, category: str = "") -> None:
        self.rows.append(
            {
                "subject": subject,
                "kind": kind,
                "at": at,
                "category": category,
                "amount": None,
                "organisation": "gemeente-almelo",
                "source": "test",
                "element": "test",
                "reference": str(len(self.rows)),
            }
        )

    def person(self, buurt: str | None, since: dt.date = dt.date(2020, 1, 1)) -> str:
        self.subjects += 1
        subject = f"p{self.subjects:05d}"
        if buurt is not None:
            self.add(subject, "persoon.woont", since, buurt)
        return subject

    def contacts(self, buurt: str, day: dt.date, count: int, subject: str = "Afval") -> None:
        """`count` contacts about `subject`, each by another resident of `buurt`."""
        for _ in range(count):
            self.add(self.person(buurt), "contact", day, subject)

    def weekly(self, buurt: str, counts: list[int], subject: str = "Afval") -> None:
        """Contacts per counted week, on the Wednesday of each week."""
        for n, count in enumerate(counts):
            self.contacts(buurt, week(n) + dt.timedelta(days=2), count, subject)

    def table(self) -> pa.Table:
        return pa.Table.from_pylist(self.rows, schema=FACT_SCHEMA)

    def write(self, path: Path) -> Path:
        pq.write_table(self.table(), path)
        return path


def town() -> Facts:
    """The scenario most tests share.

    Binnenstad-Noord asks 15 times a week about waste, Binnenstad-Zuid 12 times and Ulk
    3 times: Ulk is hidden, and so Zuid must be too, or the wijk total gives Ulk away.
    Questions about starting a business in Zuid rise from 12 to 37 over 8 weeks, a
    handful a week, too few to show any single week.
    """
    facts = Facts()
    facts.weekly(NOORD, [15] * WEEKS)
    facts.weekly(ZUID, [12] * WEEKS)
    facts.weekly(ULK, [3] * WEEKS)
    previous, recent = [2, 1, 2, 1, 2, 1, 2, 1], [4, 5, 4, 5, 4, 5, 5, 5]
    facts.weekly(ZUID, [*previous, *recent], STARTER)
    return facts


@pytest.fixture(autouse=True)
def _trend_settings(settings: Any) -> None:
    settings.TRENDS_MIN_CELL = 10
    settings.TRENDS_WEEKS = WEEKS
    settings.TRENDS_SPIKE_WEEKS = 8
    settings.TRENDS_SPIKE_RATIO = 2.0


@pytest.fixture
def town_run(db: None, tmp_path: Path) -> Any:
    return refresh_trends(town().write(tmp_path / "facts.parquet"), REFERENCE, requested_by="test")


@pytest.fixture
def municipality(db: None) -> Organisation:
    return Organisation.objects.create(
        code="gemeente-almelo", name="Gemeente Almelo", kind="municipality"
    )


def login_as(municipality: Organisation, role: str) -> Client:
    user = User.objects.create_user(f"user-{role}")
    Membership.objects.create(user=user, organisation=municipality, role=role)
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def analyst(municipality: Organisation) -> Client:
    return login_as(municipality, "policy_analyst")
