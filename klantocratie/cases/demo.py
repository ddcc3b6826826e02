"""Demo cases for the demo municipality, made through the case services (and so through
the privacy gate, the case history and the outbox) the way case workers and residents
would, in the name of the pack's demo accounts.

The demo resident gets a building permit waiting at the advice step, a Wmo request with
a chosen provider, a parking fine of GBTwente with its offers open and a public-space
report that was resolved. About twenty other residents get cases of every case type at
several statuses, some past or near their deadline, so the case workers' work queue has
work in it. Dates count back from the day of loading, which keeps those deadlines live;
a fixed seed picks the residents and the facts. A second load adds nothing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import islice
from pathlib import Path
from typing import Any

import yaml
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from klantocratie.demo.generator import (
    BSN_BASE,
    DEMO_FAMILY_SIZE,
    DEMO_RESIDENT_BSN,
    eleven_test_sequence,
)
from klantocratie.parties.models import Party
from klantocratie.parties.selectors import find_party
from klantocratie.privacy import gate
from klantocratie.privacy.errors import GateError

from . import choices, services
from .models import Case, CaseRole
from .packs import signalen_categories
from .selectors import WARNING_DAYS, deadline_warning

SEED = 20261123
OTHER_RESIDENTS = 20
# The municipality whose work queue the summary reports on.
QUEUE_ORGANISATION = "gemeente-almelo"

PERMIT = "omgevingsvergunning-bouwen"
WMO = "wmo-ondersteuning"
BIJSTAND = "bijstand-levensonderhoud"
MELDING = "melding-openbare-ruimte"
PARKING_PERMIT = "parkeervergunning"
PARKING_FINE = "naheffing-parkeerbelasting"

# The other residents' cases: case type, how many steps past the first status, and where
# the deadline stands ("overdue", "soon" or "normal"). The last step of a type closes it.
_SCENARIOS: tuple[tuple[str, int, str], ...] = (
    (PERMIT, 0, "normal"),
    (PERMIT, 1, "soon"),
    (PERMIT, 2, "overdue"),
    (PERMIT, 2, "normal"),
    (PERMIT, 3, "soon"),
    (PERMIT, 4, "normal"),
    (WMO, 0, "normal"),
    (WMO, 0, "overdue"),
    (WMO, 1, "soon"),
    (WMO, 1, "normal"),
    (WMO, 2, "overdue"),
    (WMO, 3, "normal"),
    (BIJSTAND, 0, "soon"),
    (BIJSTAND, 1, "normal"),
    (BIJSTAND, 1, "overdue"),
    (BIJSTAND, 2, "normal"),
    (BIJSTAND, 3, "normal"),
    (BIJSTAND, 4, "normal"),
    (MELDING, 0, "overdue"),
    (MELDING, 0, "normal"),
    (MELDING, 1, "soon"),
    (MELDING, 1, "overdue"),
    (MELDING, 1, "normal"),
    (MELDING, 2, "normal"),
    (MELDING, 2, "normal"),
    (PARKING_PERMIT, 0, "soon"),
    (PARKING_PERMIT, 0, "overdue"),
    (PARKING_PERMIT, 1, "normal"),
    (PARKING_PERMIT, 1, "normal"),
    (PARKING_FINE, 0, "normal"),
    (PARKING_FINE, 0, "soon"),
    (PARKING_FINE, 1, "normal"),
    (PARKING_FINE, 1, "overdue"),
    (PARKING_FINE, 2, "normal"),
)

_STREETS = (
    "Grotestraat",
    "Wierdensestraat",
    "Bornsestraat",
    "Ootmarsumsestraat",
    "Haghuisstraat",
    "Nieuwstraat",
    "Vriezenveenseweg",
    "Rembrandtlaan",
    "Hofkampstraat",
    "Marktstraat",
)
_PERMIT_PLANS = (
    "Dakkapel aan de voorkant",
    "Uitbouw aan de achterkant",
    "Tuinhuis met overkapping",
    "Dakopbouw op de garage",
    "Carport naast de woning",
    "Aanbouw voor een slaapkamer beneden",
)
_WMO_QUESTIONS = (
    "Hulp bij het huishouden",
    "Traplift",
    "Begeleiding thuis",
    "Scootmobiel",
    "Aanpassing van de badkamer",
    "Ondersteuning als mantelzorger",
)
# Signalen sub-categories with the main category the routing table reads.
_REPORTS = (
    ("afval", "grofvuil"),
    ("afval", "container-is-vol"),
    ("wegen-verkeer-straatmeubilair", "straatverlichting-openbare-klok"),
    ("wegen-verkeer-straatmeubilair", "onderhoud-stoep-straat-en-fietspad"),
    ("openbaar-groen-en-water", "boom"),
    ("overlast-in-de-openbare-ruimte", "fietswrak"),
)
_PLATE_LETTERS = "BDFGHJKLNPRSTVXZ"


@dataclass(frozen=True)
class _Accounts:
    """The pack's demo accounts the cases are made in the name of."""

    workers: dict[str, gate.AccessContext]  # organisation code -> case worker
    users: dict[str, AbstractBaseUser]  # organisation code -> that case worker's user
    resident: gate.AccessContext


def _accounts(pack: Path, resident: Party) -> _Accounts:
    entries = yaml.safe_load((pack / "demo-accounts.yaml").read_text(encoding="utf-8"))["accounts"]
    workers: dict[str, gate.AccessContext] = {}
    users: dict[str, AbstractBaseUser] = {}
    own: gate.AccessContext | None = None
    for entry in entries:
        if entry["role"] == "case_worker" and entry["organisation"] not in workers:
            workers[entry["organisation"]] = gate.AccessContext(
                actor=entry["username"],
                role="case_worker",
                organisation=entry["organisation"],
                activity=entry["activity"],
            )
            users[entry["organisation"]] = get_user_model().objects.get(username=entry["username"])
        if entry.get("resident"):
            own = gate.AccessContext(
                actor=entry["username"],
                role=entry["role"],
                organisation=entry["organisation"],
                activity=entry["activity"],
                actor_party_id=resident.pk,
            )
    if own is None:
        raise ValueError("demo-accounts.yaml has no resident account")
    return _Accounts(workers=workers, users=users, resident=own)


class _Loader:
    def __init__(self, accounts: _Accounts, seed: int) -> None:
        self.accounts = accounts
        self.rng = random.Random(seed)
        self.today = timezone.localdate()
        self.report_labels = {c["code"]: c["label"] for c in signalen_categories()}

    # --- helpers ---------------------------------------------------------------------

    def worker(self, case: Case) -> gate.AccessContext:
        return self.accounts.workers[case.organisation.code]

    def start_date(self, case_type: str, timing: str) -> date:
        """A start date that puts the deadline where the scenario wants it."""
        days = services.version_in_force(case_type, self.today).processing_days
        if timing == "overdue":
            back = days + self.rng.randint(1, 12)
        elif timing == "soon":
            back = days - self.rng.randint(0, WARNING_DAYS - 1)
        else:
            back = self.rng.randint(0, max(0, days - WARNING_DAYS - 2))
        return self.today - timedelta(days=back)

    def start(
        self,
        case_type: str,
        party: Party,
        description: str,
        timing: str,
        properties: dict[str, Any],
        channel: str,
        organisation: str,
    ) -> Case:
        return services.start_case(
            self.accounts.workers[organisation],
            case_type=case_type,
            clients=[services.Client(party)],
            description=description,
            channel=channel,
            properties=properties,
            start_date=self.start_date(case_type, timing),
        )

    def task(self, case: Case, code: str) -> Any:
        return case.tasks.get(task_type__code=code, added_by_choice=False)

    def advise_and_complete(
        self, case: Case, code: str, data: dict[str, Any], inputs: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """Ask the task's decision table, follow its advice and complete the task."""
        task = self.task(case, code)
        evaluation = services.evaluate_decision_table(self.worker(case), task, inputs or {})
        services.complete_task(self.worker(case), task, data)
        return dict(evaluation.advice)

    def plate(self) -> str:
        letters = self.rng.choices(_PLATE_LETTERS, k=3)
        return f"{letters[0]}{letters[1]}-{self.rng.randint(100, 999)}-{letters[2]}"

    def address(self) -> str:
        return f"{self.rng.choice(_STREETS)} {self.rng.randint(1, 180)}"

    # --- case types --------------------------------------------------------------------

    def permit(
        self,
        party: Party,
        steps: int,
        timing: str,
        *,
        plan: str = "",
        facts: dict[str, Any] | None = None,
        points: list[str] | None = None,
    ) -> Case:
        facts = facts or {
            "bouwhoogte": self.rng.choice([3, 4.5, 6, 8, 11, 12.5]),
            "monument": self.rng.random() < 0.15,
            "gebied": self.rng.choice(
                ["regulier", "regulier", "regulier", "beschermd gezicht", "welstandsvrij"]
            ),
            "bouwkosten": self.rng.randrange(8_000, 250_000, 500),
        }
        case = self.start(
            PERMIT,
            party,
            plan or self.rng.choice(_PERMIT_PLANS),
            timing,
            facts,
            "Omgevingsloket",
            "gemeente-almelo",
        )
        if steps >= 1:
            services.complete_task(
                self.worker(case), self.task(case, "volledigheid"), {"compleet": True}
            )
            services.set_status(self.worker(case), case, "in-behandeling")
        if steps >= 2:
            services.set_status(self.worker(case), case, "advies")
            task = self.task(case, "welstandsadvies")
            advice = services.evaluate_decision_table(self.worker(case), task, {})
            by_committee = advice.advice.get("route") == "commissie"
            if points is None:
                points = (
                    sorted(self.rng.sample(["gevelmateriaal", "kleur", "dakvorm", "rooilijn"], 2))
                    if by_committee
                    else []
                )
            services.complete_task(
                self.worker(case),
                task,
                {
                    "commissie": "Welstandscommissie Oost" if by_committee else "Ambtelijk",
                    "punten": points,
                    "advies": "Akkoord onder voorwaarden." if points else "Akkoord.",
                },
            )
        if steps >= 3:
            services.complete_task(
                self.worker(case),
                self.task(case, "besluit-opstellen"),
                {"besluittekst": "De vergunning wordt verleend met de voorwaarden uit het advies."},
            )
            services.set_status(self.worker(case), case, "besluit")
        if steps >= 4:
            services.set_result(self.worker(case), case, "verleend")
            services.set_status(self.worker(case), case, "afgehandeld")
        return case

    def wmo(
        self,
        party: Party,
        steps: int,
        timing: str,
        *,
        question: str = "",
        chooser: gate.AccessContext | None = None,
    ) -> Case:
        case = self.start(
            WMO,
            party,
            question or self.rng.choice(_WMO_QUESTIONS),
            timing,
            {},
            self.rng.choice(["telefoon", "webformulier"]),
            "gemeente-almelo",
        )
        if chooser is not None:
            choices.choose_provider(chooser, case, self.rng.choice(["gemeente", "woonstichting"]))
        if steps >= 1:
            services.set_status(self.worker(case), case, "onderzoek")
        if steps >= 2:
            self.advise_and_complete(
                case,
                "gesprek",
                {"verslag": "Keukentafelgesprek gevoerd; wensen en mogelijkheden besproken."},
                {
                    "zelfredzaamheid": self.rng.randint(1, 4),
                    "mantelzorg": self.rng.random() < 0.5,
                    "woonprobleem": self.rng.random() < 0.3,
                },
            )
            services.set_status(self.worker(case), case, "besluit")
        if steps >= 3:
            services.set_result(self.worker(case), case, "toegekend")
            services.set_status(self.worker(case), case, "afgehandeld")
        return case

    def bijstand(self, party: Party, steps: int, timing: str, age: int) -> Case:
        case = self.start(
            BIJSTAND,
            party,
            "Aanvraag bijstand levensonderhoud",
            timing,
            {
                "leefsituatie": self.rng.choice(["alleenstaand", "alleenstaande ouder", "gehuwd"]),
                "leeftijd": age,
            },
            "webformulier",
            "gemeente-almelo",
        )
        if steps >= 1:
            services.set_status(self.worker(case), case, "onderzoek")
        if steps >= 2:
            self.advise_and_complete(
                case,
                "rechtmatigheid",
                {"middelen": True, "motivering": "Inkomen en vermogen onder de norm."},
            )
            services.set_status(self.worker(case), case, "besluit")
            services.set_result(self.worker(case), case, "toegekend")
        if steps >= 3:
            services.complete_task(
                self.worker(case),
                self.task(case, "plan-van-aanpak"),
                {
                    "doel": self.rng.choice(["betaald werk", "vrijwilligerswerk", "opleiding"]),
                    "afspraken": "Elke maand een gesprek met de klantmanager.",
                },
            )
            services.set_status(self.worker(case), case, "re-integratie")
        if steps >= 4:
            services.set_status(self.worker(case), case, "afgehandeld")
        return case

    def report(
        self,
        party: Party,
        steps: int,
        timing: str,
        *,
        category: tuple[str, str] | None = None,
        place: str = "",
    ) -> Case:
        main, sub = category or self.rng.choice(_REPORTS)
        place = place or self.address()
        what = self.report_labels[sub].split(": ", 1)[-1]
        case = self.start(
            MELDING,
            party,
            f"{what}, {place}"[:80],
            timing,
            {
                "categorie": sub,
                "hoofdcategorie": main,
                "spoed": self.rng.random() < 0.15,
                "locatie": place,
            },
            self.rng.choice(["app", "webformulier", "telefoon"]),
            "gemeente-almelo",
        )
        if steps >= 1:
            advice = self.advise_and_complete(case, "routeren", {})
            services.set_status(
                self.worker(case), case, "ingepland", explanation=f"Naar {advice.get('team')}."
            )
        if steps >= 2:
            services.set_result(self.worker(case), case, "uitgevoerd")
            services.set_status(self.worker(case), case, "afgehandeld")
        return case

    def parking_permit(self, party: Party, steps: int, timing: str) -> Case:
        case = self.start(
            PARKING_PERMIT,
            party,
            "Parkeervergunning bewoners",
            timing,
            {"kenteken": self.plate()},
            "webformulier",
            "gemeente-almelo",
        )
        if steps >= 1:
            services.set_result(self.worker(case), case, "verleend")
            services.set_status(self.worker(case), case, "afgehandeld")
        return case

    def parking_fine(
        self,
        party: Party,
        steps: int,
        timing: str,
        *,
        amount: float | None = None,
        street: str = "",
        resident_of_town: bool | None = None,
    ) -> Case:
        street = street or self.rng.choice(_STREETS)
        case = self.start(
            PARKING_FINE,
            party,
            f"Naheffing {street}",
            timing,
            {
                "bedrag": amount or self.rng.choice([74.40, 77.40, 81.90]),
                "kenteken": self.plate(),
                "locatie": street,
                "bewoner": self.rng.random() < 0.7
                if resident_of_town is None
                else resident_of_town,
                "herhaling": self.rng.random() < 0.2,
            },
            "parkeercontrole",
            "gbtwente",
        )
        if steps >= 1:
            self.advise_and_complete(case, "beoordelen", {"foto-gecontroleerd": True})
        if steps == 1:
            services.set_status(self.worker(case), case, "opgelegd")
            services.set_result(self.worker(case), case, "opgelegd")
        if steps >= 2:
            # Withdrawn after the holder showed a valid parking ticket: no offers then.
            services.set_result(
                self.worker(case), case, "niet-opgelegd", explanation="Geldig parkeerkaartje."
            )
            services.set_status(self.worker(case), case, "afgehandeld")
        return case

    def scenario(self, case_type: str, party: Party, age: int, steps: int, timing: str) -> Case:
        if case_type == PERMIT:
            return self.permit(party, steps, timing)
        if case_type == WMO:
            # The resident chose by phone; the case worker records it.
            return self.wmo(party, steps, timing, chooser=self.accounts.workers[QUEUE_ORGANISATION])
        if case_type == BIJSTAND:
            return self.bijstand(party, steps, timing, age)
        if case_type == MELDING:
            return self.report(party, steps, timing)
        if case_type == PARKING_PERMIT:
            return self.parking_permit(party, steps, timing)
        return self.parking_fine(party, steps, timing)

    def assign(self, case: Case, steps: int, *, always: bool = False) -> None:
        """Cases beyond their first status mostly have a case worker; new ones wait."""
        if case.is_open and steps >= 1 and (always or self.rng.random() < 0.8):
            services.assign(self.worker(case), case, self.accounts.users[case.organisation.code])


def _adults(loader: _Loader, count: int) -> list[tuple[Party, int]]:
    """The first generated residents after the demo family of working age (bijstand ends at
    the state pension age), with their age read through the gate as a case worker would."""
    ctx = loader.accounts.workers[QUEUE_ORGANISATION]
    found: list[tuple[Party, int]] = []
    for bsn in islice(eleven_test_sequence(BSN_BASE), DEMO_FAMILY_SIZE, None):
        party = find_party("bsn", bsn)
        if party is None:
            break
        try:
            birth = gate.read(ctx, party, ["person.birth"], operation="leeftijd vaststellen")
        except GateError:
            continue
        value = birth.values.get("person.birth")
        born = str((value.value or {}).get("geboortedatum") or "") if value else ""
        if len(born) != 10:
            continue
        day = date.fromisoformat(born)
        today = loader.today
        age = today.year - day.year - ((today.month, today.day) < (day.month, day.day))
        if 21 <= age < 67:
            found.append((party, age))
        if len(found) == count:
            break
    return found


def _summary() -> str:
    queue = list(Case.objects.filter(organisation__code=QUEUE_ORGANISATION, end_date__isnull=True))
    warnings = [deadline_warning(case) for case in queue]
    return (
        f"{Case.objects.count()} zaken, {len(queue)} open at {QUEUE_ORGANISATION} "
        f"({warnings.count('overdue')} overdue, {warnings.count('soon')} due within "
        f"{WARNING_DAYS} days)"
    )


@transaction.atomic
def load_demo_cases(pack: Path, seed: int = SEED) -> str:
    """Make the demo cases (once) and describe the case system's demo content."""
    resident = find_party("bsn", DEMO_RESIDENT_BSN)
    if resident is None:
        return "none (the demo resident is not loaded)"
    if CaseRole.objects.filter(party=resident).exists():
        return _summary()
    loader = _Loader(_accounts(pack, resident), seed)
    own = loader.accounts.resident

    permit = loader.permit(
        resident,
        2,
        "normal",
        plan="Dakkapel aan de achterkant",
        facts={"bouwhoogte": 6.5, "monument": False, "gebied": "beschermd gezicht"},
        points=["gevelmateriaal", "dakvorm"],
    )
    loader.assign(permit, 2, always=True)
    loader.wmo(resident, 0, "normal", question="Hulp bij het huishouden", chooser=own)
    fine = loader.parking_fine(
        resident, 1, "normal", amount=77.40, street="Grotestraat", resident_of_town=True
    )
    loader.assign(fine, 1, always=True)
    loader.report(
        resident,
        2,
        "normal",
        category=("wegen-verkeer-straatmeubilair", "straatverlichting-openbare-klok"),
        place="Hofkampstraat 12",
    )

    residents = _adults(loader, OTHER_RESIDENTS)
    scenarios = list(_SCENARIOS)
    loader.rng.shuffle(scenarios)
    for number, (case_type, steps, timing) in enumerate(scenarios):
        if not residents:
            break
        party, age = residents[number % len(residents)]
        loader.assign(loader.scenario(case_type, party, age, steps, timing), steps)
    return _summary()
