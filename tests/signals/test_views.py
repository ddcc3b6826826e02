"""The signal pages through the Django test client: the public rule catalogue, a team's
worklist and signal page, and the resident's own signals."""

from datetime import date, timedelta
from typing import Any
from uuid import uuid4

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from klantocratie.accounts.models import Membership
from klantocratie.parties.models import Party
from klantocratie.privacy import gate
from klantocratie.privacy.errors import AccessDenied
from klantocratie.privacy.models import AuditEntry, ProcessingLogRecord
from klantocratie.signals.models import (
    ContactAttempt,
    OfferState,
    Reaction,
    Signal,
    SignalRule,
    SignalStatus,
)
from klantocratie.signals.rendering import explain
from klantocratie.signals.selectors import rules_in_force
from klantocratie.signals.services import condition_of
from tests.signals.conftest import SOCIAL

pytestmark = pytest.mark.django_db

COMPLAINT = {
    "kind": "klacht.verhuurder",
    "at": "2026-09-03",
    "category": "geluidsoverlast",
    "amount": None,
    "organisation": "woonstichting-twente",
    "source": "huuradministratie",
    "element": "tenancy.complaints",
    "reference": "klacht-2",
}
POLICE = {
    "kind": "melding.politie",
    "at": "2026-09-05",
    "category": "burenruzie",
    "amount": None,
    "organisation": "politie-twente",
    "source": "politie-meldingen",
    "element": "police.reports",
    "reference": "melding-1",
}
ARREARS = {
    "kind": "achterstand.huur",
    "at": "2026-09-03",
    "category": "huur",
    "amount": 1485.0,
    "organisation": "woonstichting-twente",
    "source": "vroegsignalen",
    "element": "arrears.reports",
    "reference": "WST-HA-0042",
}
# Facts and evidence as a run records them, per rule.
SITUATIONS: dict[str, tuple[dict[str, Any], list[dict[str, Any]]]] = {
    "klachten-na-vertrek-kinderen": (
        {"vertrek": "2026-08-15", "thuiswonend": 0, "klachten": 4, "organisaties": 2},
        [COMPLAINT, POLICE],
    ),
    "vroegsignalering-betalingsachterstand": (
        {"achterstanden": 1, "bedrag": 1485.0, "sinds": "2026-09-03", "schuldeisers": 1},
        [ARREARS],
    ),
    "uitkering-en-onbestelbare-post": (
        {"uitkeringen": 1, "retour": 2, "laatste_retour": "2026-10-06"},
        [],
    ),
}


def make_signal(code: str, party: Party, **fields: Any) -> Signal:
    rule = SignalRule.objects.get(code=code)
    facts, evidence = SITUATIONS[code]
    condition = condition_of(rule)
    values: dict[str, Any] = {
        "rule": rule,
        "party": party,
        "subject": uuid4().hex,
        "fingerprint": uuid4().hex,
        "reference_date": date(2026, 11, 1),
        "facts": facts,
        "evidence": evidence,
        "explanation": explain(rule.explanation, condition, facts),
        "resident_explanation": explain(rule.resident_explanation, condition, facts),
        "buurt_code": "BU01411500",
        "team": rule.team,
        "offer_state": OfferState.OPEN if rule.action == "aanbod" else "",
        "created_at": timezone.now(),
        "delete_after": date(2027, 5, 1),
    }
    values.update(fields)
    return Signal.objects.create(**values)


def login(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


@pytest.fixture
def neighbour(signal_rules: Party) -> Party:
    """Another resident of the demo municipality."""
    return Party.objects.filter(party_type="person").exclude(pk=signal_rules.pk).first()  # type: ignore[return-value]


def page_of(response: Any) -> str:
    return response.content.decode()


# --- the public catalogue -------------------------------------------------------------


def test_the_catalogue_lists_every_rule_in_force_without_login(signal_rules: Party) -> None:
    response = Client().get("/signalen/regels/")
    assert response.status_code == 200
    page = page_of(response)
    rules = list(rules_in_force())
    assert len(rules) == 8
    for rule in rules:
        assert rule.name in page
    # Purpose, legal basis, data and their holder, condition and retention, in plain words.
    assert "Art. 3a Wet gemeentelijke schuldhulpverlening" in page
    assert "Algemeen belang / openbaar gezag (art. 6 lid 1 sub e AVG)" in page
    assert "Gemelde betalingsachterstanden" in page
    assert "days_since(sinds) &gt;= 30" in page
    assert "Gratis hulp bij geldzorgen" in page
    assert "183 dagen" in page
    assert "bezwaar hebben gemaakt tegen proactief benaderen, worden nooit meegenomen" in page


def test_a_rule_page_lists_all_versions_with_their_dates(signal_rules: Party) -> None:
    first = SignalRule.objects.get(code="klachten-na-vertrek-kinderen")
    first.valid_to = timezone.localdate() - timedelta(days=1)
    first.save()
    second = SignalRule.objects.get(pk=first.pk)
    second.pk = None
    second.version = 2
    second.valid_from = timezone.localdate()
    second.valid_to = None
    second.retention_days = 120
    second.save()

    page = page_of(Client().get("/signalen/regels/klachten-na-vertrek-kinderen/"))
    assert "Versie 2" in page and "Versie 1" in page
    assert f"tot en met {first.valid_to:%d-%m-%Y}" in page
    assert page.index("Versie 2") < page.index("Versie 1")
    # The catalogue shows only the version in force.
    entries = Client().get("/signalen/regels/").context["entries"]
    assert [e.rule.version for e in entries if e.rule.code == first.code] == [2]
    assert Client().get("/signalen/regels/bestaat-niet/").status_code == 404


def test_the_catalogue_says_so_when_no_rule_is_in_force(db: None) -> None:
    page = page_of(Client().get("/signalen/regels/"))
    assert "geen signaleringsregels van kracht" in page


# --- the team's worklist ---------------------------------------------------------------


def test_the_worklist_shows_only_the_own_teams_signals_and_no_names(
    signal_rules: Party,
) -> None:
    ours = make_signal("klachten-na-vertrek-kinderen", signal_rules)
    debt = make_signal("vroegsignalering-betalingsachterstand", signal_rules)
    address = make_signal("uitkering-en-onbestelbare-post", signal_rules)
    name = gate.read(SOCIAL, signal_rules, ["person.name"]).values["person.name"].value
    logged = ProcessingLogRecord.objects.count()

    page = page_of(login("demo-sociaal").get("/signalen/"))
    assert str(ours.uuid) in page
    assert str(debt.uuid) not in page and str(address.uuid) not in page
    assert name["geslachtsnaam"] not in page and "900000004" not in page
    # Rows carry no identities, so listing them reads no personal data.
    assert ProcessingLogRecord.objects.count() == logged


def test_worklist_filters_sorting_and_pages(signal_rules: Party, neighbour: Party) -> None:
    sociaal = User.objects.get(username="demo-sociaal")
    for _ in range(26):
        make_signal("klachten-na-vertrek-kinderen", neighbour)
    mine = make_signal("klachten-na-vertrek-kinderen", signal_rules, assigned_to=sociaal)
    closed = make_signal(
        "klachten-na-vertrek-kinderen",
        signal_rules,
        status=SignalStatus.CLOSED,
        outcome="geen_hulp_nodig",
        closed_at=timezone.now(),
    )
    client = login("demo-sociaal")

    first = client.get("/signalen/")
    assert first.context["page"].paginator.count == 27
    assert len(first.context["page"].object_list) == 25
    assert "Pagina 1 van 2" in page_of(first)
    second = client.get("/signalen/", {"pagina": 2})
    assert len(second.context["page"].object_list) == 2

    assert [s.pk for s in client.get("/signalen/", {"mijn": "1"}).context["page"]] == [mine.pk]
    assert [s.pk for s in client.get("/signalen/", {"status": "afgesloten"}).context["page"]] == [
        closed.pk
    ]
    assert client.get("/signalen/", {"status": "alle"}).context["page"].paginator.count == 28
    oldest = client.get("/signalen/", {"sorteer": "oudste"}).context["page"].object_list[0]
    newest = client.get("/signalen/", {"sorteer": "nieuwste"}).context["page"].object_list[0]
    assert oldest.created_at <= newest.created_at and oldest.pk != newest.pk
    assert client.get("/signalen/", {"q": "bestaat niet"}).context["page"].paginator.count == 0
    # Nonsense in the query falls back to the defaults instead of failing.
    assert (
        client.get("/signalen/", {"status": "x", "sorteer": "y", "pagina": "z"}).status_code == 200
    )


def test_a_role_without_a_team_gets_a_clear_empty_worklist(signal_rules: Party) -> None:
    make_signal("klachten-na-vertrek-kinderen", signal_rules)
    response = login("demo-uwv").get("/signalen/")
    assert response.status_code == 200
    assert "niet in een team met een werklijst" in page_of(response)


def test_the_worklist_and_signal_pages_are_for_team_roles_only(signal_rules: Party) -> None:
    signal = make_signal("klachten-na-vertrek-kinderen", signal_rules)
    assert Client().get("/signalen/").status_code == 302
    resident = login("demo-inwoner")
    assert resident.get("/signalen/").status_code == 403
    assert resident.get(f"/signalen/{signal.uuid}/").status_code == 403
    assert login("demo-beleid").get("/signalen/").status_code == 403


# --- the signal page -------------------------------------------------------------------


def test_the_signal_page_explains_the_signal_and_reads_contact_details_through_the_gate(
    signal_rules: Party,
) -> None:
    signal = make_signal("klachten-na-vertrek-kinderen", signal_rules)
    response = login("demo-sociaal").get(f"/signalen/{signal.uuid}/")
    assert response.status_code == 200
    page = page_of(response)
    assert signal.explanation in page
    assert "Klachten en meldingen sinds dat vertrek" in page  # fact label, value below
    assert "Een klacht bij de verhuurder" in page and "klacht-2" in page
    assert "Politie" in page and "Huuradministratie" in page  # organisation and source names
    assert "nooit tot een sanctie" in page
    # Name, address and phone came from their sources through the gate.
    read = gate.read(SOCIAL, signal_rules, ["person.name", "person.phone"])
    assert read.values["person.name"].value["volledige_naam"] in page
    assert read.values["person.phone"].value in page
    operations = set(
        AuditEntry.objects.filter(actor="demo-sociaal").values_list("operation", flat=True)
    )
    assert {"signaal inzien", "contact bij signaal"} <= operations


def test_the_signal_page_still_shows_the_signal_when_the_gate_refuses_contact_details(
    signal_rules: Party, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AccessDenied("Geen autorisatie voor: person.name, person.address, person.phone.")

    monkeypatch.setattr(gate, "read", refuse)
    signal = make_signal("klachten-na-vertrek-kinderen", signal_rules)
    page = page_of(login("demo-sociaal").get(f"/signalen/{signal.uuid}/"))
    assert signal.explanation in page
    assert "Contactgegevens niet beschikbaar: Geen autorisatie voor: person.name" in page


def test_another_teams_signal_is_refused_without_showing_anything(
    signal_rules: Party,
) -> None:
    other = make_signal("vroegsignalering-betalingsachterstand", signal_rules)
    client = login("demo-sociaal")
    response = client.get(f"/signalen/{other.uuid}/")
    assert response.status_code == 403
    page = page_of(response)
    assert other.explanation not in page and "WST-HA-0042" not in page
    closing = client.post(
        f"/signalen/{other.uuid}/afsluiten/", {"afsluiten-outcome": "informatie_gegeven"}
    )
    assert closing.status_code == 403
    assert "Kies een uitkomst" not in page_of(closing)  # nothing about the rule's list
    other.refresh_from_db()
    assert other.status == SignalStatus.NEW
    # Not even whether another team's signal is closed comes out in a message.
    closed = make_signal(
        "vroegsignalering-betalingsachterstand",
        signal_rules,
        status=SignalStatus.CLOSED,
        outcome="hulp_gestart",
        closed_at=timezone.now(),
    )
    taking = client.post(f"/signalen/{closed.uuid}/toewijzen/")
    assert taking.status_code == 403 and "afgesloten" not in page_of(taking)
    assert client.get(f"/signalen/{uuid4()}/").status_code == 404


@pytest.fixture
def debt_worker(signal_rules: Party) -> Client:
    """demo-sociaal working under vroegsignalering: the debt-help team's worklist."""
    Membership.objects.filter(user__username="demo-sociaal").update(
        default_activity="vroegsignalering"
    )
    return login("demo-sociaal")


def test_closing_with_an_outcome_outside_the_rules_list_shows_the_error_at_the_field(
    debt_worker: Client, signal_rules: Party
) -> None:
    signal = make_signal("vroegsignalering-betalingsachterstand", signal_rules)
    # A valid outcome in general, but not one this rule allows.
    response = debt_worker.post(
        f"/signalen/{signal.uuid}/afsluiten/", {"afsluiten-outcome": "informatie_gegeven"}
    )
    assert response.status_code == 200
    page = page_of(response)
    assert '<span class="field-error" id="id_afsluiten-outcome-fout">Kies een uitkomst' in page
    signal.refresh_from_db()
    assert signal.status == SignalStatus.NEW

    response = debt_worker.post(
        f"/signalen/{signal.uuid}/afsluiten/",
        {"afsluiten-outcome": "hulp_gestart", "afsluiten-note": "Regeling getroffen."},
    )
    assert response.status_code == 302
    signal.refresh_from_db()
    assert (signal.status, signal.outcome) == (SignalStatus.CLOSED, "hulp_gestart")
    page = page_of(debt_worker.get(f"/signalen/{signal.uuid}/"))
    assert "Hulp of regeling gestart" in page and "Sluit signaal af" not in page


def test_a_contact_attempt_needs_a_channel_and_is_recorded(signal_rules: Party) -> None:
    signal = make_signal("klachten-na-vertrek-kinderen", signal_rules)
    client = login("demo-sociaal")
    response = client.post(f"/signalen/{signal.uuid}/contactpoging/", {"contact-reached": "nee"})
    assert response.status_code == 200
    assert 'id="id_contact-channel-fout"' in page_of(response)
    assert not ContactAttempt.objects.filter(signal=signal).exists()

    response = client.post(
        f"/signalen/{signal.uuid}/contactpoging/",
        {"contact-channel": "telefoon", "contact-reached": "nee", "contact-note": "Voicemail."},
    )
    assert response.status_code == 302
    attempt = ContactAttempt.objects.get(signal=signal)
    assert (attempt.channel, attempt.reached, attempt.by) == ("telefoon", False, "demo-sociaal")
    signal.refresh_from_db()
    assert signal.status == SignalStatus.IN_PROGRESS


def test_triage_and_taking_a_signal(signal_rules: Party) -> None:
    signal = make_signal("klachten-na-vertrek-kinderen", signal_rules)
    client = login("demo-sociaal")
    client.post(f"/signalen/{signal.uuid}/beoordelen/", {"beoordeling-note": "Bekend gezin."})
    signal.refresh_from_db()
    assert signal.status == SignalStatus.TRIAGED
    assert signal.history.filter(kind="beoordeeld", description="Bekend gezin.").exists()

    client.post(f"/signalen/{signal.uuid}/toewijzen/")
    signal.refresh_from_db()
    assert signal.assigned_to == User.objects.get(username="demo-sociaal")
    page = page_of(client.get(f"/signalen/{signal.uuid}/"))
    assert "Neem in behandeling" not in page


# --- the resident ------------------------------------------------------------------------


def test_the_resident_sees_the_reason_of_each_of_their_signals_and_only_theirs(
    signal_rules: Party, neighbour: Party
) -> None:
    own = [
        make_signal("klachten-na-vertrek-kinderen", signal_rules),
        make_signal("vroegsignalering-betalingsachterstand", signal_rules),
    ]
    theirs = make_signal("uitkering-en-onbestelbare-post", neighbour)
    response = login("demo-inwoner").get("/mijn/signalen/")
    assert response.status_code == 200
    page = page_of(response)
    for signal in own:
        assert signal.resident_explanation in page
        assert f'href="/signalen/regels/{signal.rule.code}/#versie-1"' in page
    assert theirs.resident_explanation not in page
    # The facts and their sources in plain words.
    assert "Betalingsachterstand huur gemeld (vroegsignalering) op 03-09-2026" in page
    assert "Woonstichting" in page and "WST-HA-0042" in page
    assert AuditEntry.objects.filter(
        actor="demo-inwoner", operation="eigen signalen inzien"
    ).exists()


def test_a_resident_without_signals_is_told_so(signal_rules: Party) -> None:
    page = page_of(login("demo-inwoner").get("/mijn/signalen/"))
    assert "Er zijn geen signalen over u." in page
    assert login("demo-sociaal").get("/mijn/signalen/").status_code == 403


def test_a_resident_cannot_answer_or_react_on_another_residents_signal(
    signal_rules: Party, neighbour: Party
) -> None:
    theirs = make_signal("klachten-na-vertrek-kinderen", neighbour)
    client = login("demo-inwoner")
    assert (
        client.post(f"/mijn/signalen/{theirs.uuid}/aanbod/", {"answer": "decline"}).status_code
        == 404
    )
    response = client.post(
        f"/mijn/signalen/{theirs.uuid}/reactie/",
        {
            f"reactie-{theirs.pk}-kind": "bezwaar",
            f"reactie-{theirs.pk}-text": "Klopt niet",
            f"reactie-{theirs.pk}-reference": "klacht-2",
        },
    )
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.offer_state == OfferState.OPEN and not theirs.contested
    assert not Reaction.objects.exists()


def test_answering_an_offer_twice_shows_an_error(signal_rules: Party) -> None:
    signal = make_signal("klachten-na-vertrek-kinderen", signal_rules)
    client = login("demo-inwoner")
    response = client.post(f"/mijn/signalen/{signal.uuid}/aanbod/", {"answer": "accept"})
    assert response.status_code == 302
    response = client.post(f"/mijn/signalen/{signal.uuid}/aanbod/", {"answer": "decline"})
    assert response.status_code == 200
    assert 'value="accept">Aannemen' not in page_of(response)
    assert "Op dit aanbod heeft u al geantwoord." in page_of(response)
    signal.refresh_from_db()
    assert signal.offer_state == OfferState.ACCEPTED


def test_not_now_leaves_the_offer_open_to_accept_later(signal_rules: Party) -> None:
    signal = make_signal("klachten-na-vertrek-kinderen", signal_rules)
    client = login("demo-inwoner")
    client.post(f"/mijn/signalen/{signal.uuid}/aanbod/", {"answer": "later"})
    signal.refresh_from_db()
    assert signal.offer_state == OfferState.LATER
    page = page_of(client.get("/mijn/signalen/"))
    assert 'value="accept">Aannemen' in page and 'value="later"' not in page
    client.post(f"/mijn/signalen/{signal.uuid}/aanbod/", {"answer": "accept"})
    signal.refresh_from_db()
    assert signal.offer_state == OfferState.ACCEPTED


def test_contesting_a_fact_goes_to_its_source_and_shows_on_the_team_page(
    signal_rules: Party,
) -> None:
    signal = make_signal("klachten-na-vertrek-kinderen", signal_rules)
    client = login("demo-inwoner")
    prefix = f"reactie-{signal.pk}"
    response = client.post(
        f"/mijn/signalen/{signal.uuid}/reactie/",
        {f"{prefix}-kind": "bezwaar", f"{prefix}-text": "Niet waar", f"{prefix}-reference": "x"},
    )
    assert response.status_code == 200
    assert f'id="id_{prefix}-reference-fout">Dit gegeven hoort niet bij dit signaal' in page_of(
        response
    )

    response = client.post(
        f"/mijn/signalen/{signal.uuid}/reactie/",
        {
            f"{prefix}-kind": "bezwaar",
            f"{prefix}-text": "Die klacht was van de vorige bewoner.",
            f"{prefix}-reference": "klacht-2",
        },
    )
    assert response.status_code == 302
    reaction = Reaction.objects.get(signal=signal)
    assert (reaction.kind, reaction.source) == ("bezwaar", "huuradministratie")
    page = page_of(login("demo-sociaal").get(f"/signalen/{signal.uuid}/"))
    assert "betwist door de inwoner" in page and "Die klacht was van de vorige bewoner." in page
    assert "De inwoner heeft bezwaar gemaakt" in page


def test_declining_an_offer_shortens_how_long_the_signal_is_kept(signal_rules: Party) -> None:
    signal = make_signal("klachten-na-vertrek-kinderen", signal_rules)
    client = login("demo-inwoner")
    response = client.post(
        f"/mijn/signalen/{signal.uuid}/aanbod/", {"answer": "decline"}, follow=True
    )
    signal.refresh_from_db()
    assert signal.offer_state == OfferState.DECLINED
    assert signal.delete_after == timezone.localdate() + timedelta(days=30)
    assert f"tot uiterlijk {signal.delete_after:%d-%m-%Y}" in page_of(response)
