"""My privacy choices: giving and withdrawing with the same effort, the latest choice
counting at the gate, an event and an audit entry per change, a verifiable receipt that
only the person (or whoever decides for them) can download, and choices that only the
person, a parent with authority or a legal representative can make."""

import hashlib
import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client
from reportlab import rl_config

from klantocratie.events.models import Event
from klantocratie.parties.models import Party
from klantocratie.privacy import gate, receipts
from klantocratie.privacy.choices import CHOICE_CHANGED, OPERATION
from klantocratie.privacy.errors import ChoiceDenies
from klantocratie.privacy.log import pseudonymise
from klantocratie.privacy.models import (
    AuditEntry,
    AuditOutcome,
    ChoicePurpose,
    PrivacyChoice,
    ProcessingLogRecord,
)
from klantocratie.privacy.packs import CHOICES_FILE, ChoicePackError, load_choice_purposes
from tests.support.portal import PortalWorld

EXTENDED = "uitgebreid-klantbeeld"
PROACTIVE = "proactieve-dienstverlening"


@pytest.fixture
def choice_world(portal_world: PortalWorld) -> PortalWorld:
    load_choice_purposes(django_settings.DEMO_PACK_DIR)
    return portal_world


@pytest.fixture
def riky(choice_world: PortalWorld, login_as) -> Client:  # type: ignore[no-untyped-def]
    return login_as("demo-inwoner")


def choose(client: Client, purpose: str, answer: str):  # type: ignore[no-untyped-def]
    return client.post(f"/mijn/privacy/{purpose}/", {"keuze": answer})


def latest(party: Party, purpose: str) -> PrivacyChoice:
    choice = PrivacyChoice.objects.filter(party=party, purpose=purpose).order_by("-decided_at")
    return choice.first()  # type: ignore[return-value]


def kcc(activity: str) -> gate.AccessContext:
    return gate.AccessContext("demo-kcc", "kcc_agent", "gemeente-almelo", activity)


def debt_help() -> gate.AccessContext:
    return gate.AccessContext(
        "demo-schuldhulp", "social_worker", "gemeente-almelo", "vroegsignalering"
    )


def pdf_text(content: bytes) -> str:
    """The text of an uncompressed reportlab PDF (its strings, in drawing order)."""
    strings = re.findall(rb"\((.*?)\) Tj", content)
    return " ".join(s.decode("latin-1") for s in strings).replace("\\(", "(").replace("\\)", ")")


def test_the_page_explains_each_purpose_and_shows_the_choice_that_counts(riky: Client) -> None:
    page = riky.get("/mijn/privacy/").content.decode()
    assert "<h1>Mijn privacykeuzes</h1>" in page
    extended = ChoicePurpose.objects.get(code=EXTENDED)
    for text in ("Wat levert het u op", "Wat kost het aan privacy", extended.title):
        assert text in page
    # The demo resident gave consent; the objection has not been made.
    assert "Toestemming gegeven</span>" in page
    assert "Geen bezwaar: wij mogen u uit onszelf hulp aanbieden" in page
    # The opt-out names every organisation at once, among them the sources it combines.
    for organisation in ("Gemeente Almelo", "Belastingdienst", "UWV", "Politie Oost-Nederland"):
        assert organisation in page
    # One button each: withdraw the consent, make the objection.
    assert 'value="intrekken"' in page and "Toestemming intrekken" in page
    assert "Bezwaar maken" in page


def test_give_withdraw_and_give_again_the_latest_counts(
    riky: Client, choice_world: PortalWorld
) -> None:
    before = PrivacyChoice.objects.filter(party=choice_world.riky).count()
    response = choose(riky, EXTENDED, "intrekken")
    assert response.status_code == 302
    assert response["Location"] == f"/mijn/privacy/#keuze-{EXTENDED}"
    assert latest(choice_world.riky, EXTENDED).status == "withdrawn"
    assert "Toestemming ingetrokken</span>" in riky.get("/mijn/privacy/").content.decode()
    choose(riky, EXTENDED, "geven")
    given = latest(choice_world.riky, EXTENDED)
    assert given.status == "given"
    assert given.collected_via == "portal"
    assert given.statement == ChoicePurpose.objects.get(code=EXTENDED).statement
    assert given.representation == ""
    choose(riky, EXTENDED, "intrekken")
    history = PrivacyChoice.objects.filter(party=choice_world.riky, purpose=EXTENDED)
    assert history.count() == before + 3
    decided = list(history.order_by("decided_at").values_list("decided_at", flat=True))
    assert decided == sorted(set(decided)), "each decision is later than the one before"
    assert latest(choice_world.riky, EXTENDED).status == "withdrawn"
    page = riky.get("/mijn/privacy/").content.decode()
    assert page.count("Toestemming ingetrokken") >= 3  # the state, and twice in the history


def test_the_gate_honours_consent_as_it_is_given_and_withdrawn(
    riky: Client, choice_world: PortalWorld
) -> None:
    ctx = kcc("uitgebreid-klantbeeld")
    assert "tenancy.contract" in gate.read(ctx, choice_world.riky, ["tenancy.contract"]).values
    choose(riky, EXTENDED, "intrekken")
    with pytest.raises(ChoiceDenies):
        gate.read(ctx, choice_world.riky, ["tenancy.contract"])
    choose(riky, EXTENDED, "geven")
    assert "tenancy.contract" in gate.read(ctx, choice_world.riky, ["tenancy.contract"]).values


def test_one_objection_stops_every_proactive_activity(
    riky: Client, choice_world: PortalWorld
) -> None:
    assert gate.read(debt_help(), choice_world.riky).values
    assert choose(riky, PROACTIVE, "geven").status_code == 302
    with pytest.raises(ChoiceDenies):
        gate.read(debt_help(), choice_world.riky)
    analytics = gate.AccessContext("system", "analytics", "gemeente-almelo", "proactieve-hulp")
    with pytest.raises(ChoiceDenies):
        gate.read(analytics, choice_world.riky, ["person.address"])
    page = riky.get("/mijn/privacy/").content.decode()
    assert "Bezwaar gemaakt: wij benaderen u niet uit onszelf" in page
    assert "Bezwaar intrekken" in page
    choose(riky, PROACTIVE, "intrekken")
    assert gate.read(debt_help(), choice_world.riky).values


def test_a_change_emits_an_event_and_is_logged_and_audited(
    riky: Client, choice_world: PortalWorld
) -> None:
    choose(riky, PROACTIVE, "geven")
    choice = latest(choice_world.riky, PROACTIVE)
    event = Event.objects.get(type=CHOICE_CHANGED)
    assert event.subject == str(choice_world.riky.uuid)
    assert event.data["doel"] == PROACTIVE
    assert event.data["keuze"] == "given"
    assert event.data["bewijsnummer"] == str(choice.uuid)
    assert set(event.data["verwerkingen"]) == {
        "vroegsignalering",
        "proactieve-hulp",
        "proactieve-dienstverlening",
    }
    audit = AuditEntry.objects.get(operation=OPERATION, outcome=AuditOutcome.ALLOWED)
    assert audit.trace_id == event.trace_id
    assert audit.actor == "demo-inwoner"
    record = ProcessingLogRecord.objects.get(trace_id=event.trace_id)
    assert record.operation == OPERATION
    assert record.data_subject_id == pseudonymise("bsn", choice_world.bsn(choice_world.riky))


def test_asking_for_what_is_already_so_is_refused_with_a_reason(riky: Client) -> None:
    response = choose(riky, EXTENDED, "geven")
    assert response.status_code == 400
    page = response.content.decode()
    assert "U heeft hier al toestemming voor gegeven." in page
    assert f'aria-describedby="keuze-{EXTENDED}-verklaring keuze-{EXTENDED}-fout"' in page
    response = choose(riky, PROACTIVE, "intrekken")
    assert "U heeft hier geen bezwaar tegen gemaakt" in response.content.decode()
    response = choose(riky, PROACTIVE, "misschien")
    assert response.status_code == 400
    assert "Kies geven of intrekken." in response.content.decode()
    assert not Event.objects.filter(type=CHOICE_CHANGED).exists()


def test_an_unknown_purpose_is_not_found_and_a_get_changes_nothing(riky: Client) -> None:
    assert choose(riky, "alles-delen", "geven").status_code == 404
    assert riky.get(f"/mijn/privacy/{EXTENDED}/").status_code == 405


def test_the_receipt_states_the_choice_and_its_verifiable_fingerprint(
    riky: Client, choice_world: PortalWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rl_config, "pageCompression", 0)
    choose(riky, PROACTIVE, "geven")
    choice = latest(choice_world.riky, PROACTIVE)
    assert f"/mijn/privacy/bewijs/{choice.uuid}/" in riky.get("/mijn/privacy/").content.decode()
    response = riky.get(f"/mijn/privacy/bewijs/{choice.uuid}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f"bewijs-privacykeuze-{choice.uuid}.pdf" in response["Content-Disposition"]
    text = pdf_text(response.content)
    assert str(choice.uuid) in text
    assert "Hendrika Johanna ter Horst" in text  # the name, read through the gate
    assert "Bezwaar gemaakt" in text
    assert "Persoonlijke pagina" in text
    assert "Belastingdienst" in text and "UWV" in text
    assert f"Vingerafdruk (SHA-256): {choice.receipt_sha256}" in text
    assert "de vingerafdruk klopt" in text
    # Anyone can recompute the fingerprint from the sealed facts printed on the receipt.
    sealed = receipts.canonical(receipts.sealed_facts(choice))
    assert hashlib.sha256(sealed.encode()).hexdigest() == choice.receipt_sha256
    facts = receipts.sealed_facts(choice)
    for name, value in receipts.sealed_lines(facts):
        assert f"{name} {value}" in text
    assert "{" + ",".join(f'"{n}":{v}' for n, v in receipts.sealed_lines(facts)) + "}" == sealed


def test_a_record_changed_afterwards_no_longer_matches_its_receipt(
    riky: Client, choice_world: PortalWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rl_config, "pageCompression", 0)
    choose(riky, PROACTIVE, "geven")
    choice = latest(choice_world.riky, PROACTIVE)
    assert receipts.verify(choice)
    PrivacyChoice.objects.filter(pk=choice.pk).update(status="withdrawn")
    choice.refresh_from_db()
    assert not receipts.verify(choice)
    text = pdf_text(riky.get(f"/mijn/privacy/bewijs/{choice.uuid}/").content)
    assert "de vingerafdruk klopt niet" in text


def test_a_choice_collected_before_receipts_is_sealed_on_first_download(
    riky: Client, choice_world: PortalWorld
) -> None:
    seeded = latest(choice_world.riky, EXTENDED)
    assert seeded.receipt_sha256 == ""
    assert riky.get(f"/mijn/privacy/bewijs/{seeded.uuid}/").status_code == 200
    seeded.refresh_from_db()
    assert "Woonstichting Twentehuis" in seeded.organisations
    assert receipts.verify(seeded)


def test_another_residents_receipt_is_not_found_and_the_attempt_audited(
    riky: Client, choice_world: PortalWorld, other_client: Client
) -> None:
    choose(riky, PROACTIVE, "geven")
    choice = latest(choice_world.riky, PROACTIVE)
    assert other_client.get(f"/mijn/privacy/bewijs/{choice.uuid}/").status_code == 404
    assert AuditEntry.objects.filter(
        actor="demo-ander", outcome=AuditOutcome.DENIED, operation="bewijs privacykeuze"
    ).exists()
    # Another resident cannot change Riky's choices either: only their own.
    choose(other_client, EXTENDED, "geven")
    assert latest(choice_world.riky, PROACTIVE).status == "given"
    assert latest(choice_world.riky, EXTENDED).receipt_sha256 == ""
    assert PrivacyChoice.objects.filter(party=choice_world.other, purpose=EXTENDED).exists()


def test_a_machtiging_holder_may_look_but_not_choose(choice_world: PortalWorld, login_as) -> None:  # type: ignore[no-untyped-def]
    daan = login_as("demo-inwoner-daan")
    daan.post("/mijn/namens/", {"subject": str(choice_world.riky.uuid)})
    page = daan.get("/mijn/privacy/").content.decode()
    assert "Privacykeuzes zijn persoonlijk" in page
    assert 'name="keuze"' not in page
    before = PrivacyChoice.objects.count()
    response = choose(daan, PROACTIVE, "geven")
    assert response.status_code == 403
    assert "alleen de persoon zelf, een ouder met gezag of een wettelijk" in (
        response.content.decode()
    )
    assert PrivacyChoice.objects.count() == before
    assert AuditEntry.objects.filter(
        actor="demo-inwoner-daan", operation=OPERATION, outcome=AuditOutcome.DENIED
    ).exists()
    # He may still download her receipts: looking is what a machtiging allows.
    seeded = latest(choice_world.riky, EXTENDED)
    assert daan.get(f"/mijn/privacy/bewijs/{seeded.uuid}/").status_code == 200


def test_a_parent_with_authority_chooses_for_their_child_and_the_receipt_says_so(
    choice_world: PortalWorld, login_as, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(rl_config, "pageCompression", 0)
    parent = login_as("demo-ouder")
    parent.post("/mijn/namens/", {"subject": str(choice_world.child.uuid)})
    page = parent.get("/mijn/privacy/").content.decode()
    assert "op grond van ouderlijk gezag" in page
    assert choose(parent, PROACTIVE, "geven").status_code == 302
    choice = latest(choice_world.child, PROACTIVE)
    assert choice.representation == "gezag"
    assert not PrivacyChoice.objects.filter(party=choice_world.parent).exists()
    text = pdf_text(parent.get(f"/mijn/privacy/bewijs/{choice.uuid}/").content)
    assert "een vertegenwoordiger (ouderlijk gezag)" in text
    # The child's receipt is nobody else's business.
    assert choice_world.riky != choice_world.child
    other = login_as("demo-inwoner")
    assert other.get(f"/mijn/privacy/bewijs/{choice.uuid}/").status_code == 404


def test_a_business_has_no_choices_to_make(choice_world: PortalWorld, login_as) -> None:  # type: ignore[no-untyped-def]
    page = login_as("demo-ondernemer").get("/mijn/privacy/").content.decode()
    assert "Privacykeuzes gaan over personen" in page
    assert 'name="keuze"' not in page


def test_the_pack_file_must_match_the_register(choice_world: PortalWorld, tmp_path: Path) -> None:
    text = (django_settings.DEMO_PACK_DIR / CHOICES_FILE).read_text(encoding="utf-8")
    broken = text.replace(
        "activities: [vroegsignalering, proactieve-hulp, proactieve-dienstverlening]",
        "activities: [vroegsignalering, proactieve-dienstverlening]",
    ).replace("kind: opt_in", "kind: opt_out")
    (tmp_path / CHOICES_FILE).write_text(broken, encoding="utf-8")
    with pytest.raises(ChoicePackError) as error:
        load_choice_purposes(tmp_path)
    problems = [str(p) for p in error.value.problems]
    assert any("'proactieve-hulp' hangt ook van deze keuze af" in p for p in problems)
    assert any(
        "'uitgebreid-klantbeeld' heeft keuzeregel opt_in, niet opt_out" in p for p in problems
    )
    # Nothing was changed by the refused file.
    assert ChoicePurpose.objects.get(code=EXTENDED).kind == "opt_in"
