"""Every personal-page URL that carries an id, walked by another resident with Riky's
ids: always 404 (or 405 for a GET on a form post), never her data, and nothing changes.

The URL list is read from the URL configuration, so a new page with an id fails this
test until it is added to the sweep.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from klantocratie.cases import services as case_services
from klantocratie.cases.models import Case, CaseDocument, CaseOffer
from klantocratie.cases.packs import load_case_types
from klantocratie.contacts.demo import load_demo_contacts
from klantocratie.contacts.models import Contact
from klantocratie.feedback.models import Feedback
from klantocratie.participation.models import Subscription, Theme
from klantocratie.participation.packs import load_participation
from klantocratie.participation.services import subscribe
from klantocratie.parties.models import Authorisation
from klantocratie.portal.corrections import request_correction
from klantocratie.portal.models import CorrectionRequest
from klantocratie.privacy.gate import AccessContext
from klantocratie.privacy.models import PrivacyChoice
from klantocratie.signals.models import Reaction, Signal
from klantocratie.signals.packs import load_signal_rules
from tests.cases.test_services import fine, permit
from tests.contacts.conftest import PDF
from tests.signals.test_views import make_signal
from tests.support.portal import PortalWorld

# Polls are public announcements: every resident may open one (and its results).
PUBLIC = {"participation:poll", "participation:results"}
# Ids that are not another person's record: a login name and a form or purpose code.
NOT_PERSONAL = {
    "portal:demo-login",
    "portal:correction",
    "portal:request-form",
    "portal:choice-change",
}


def _patterns(resolver: URLResolver, namespace: str = "") -> Iterator[tuple[str, str]]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, entry.namespace or namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}:{entry.name}", str(entry.pattern)


def personal_pages_with_ids() -> set[str]:
    return (
        {
            name
            for name, pattern in _patterns(get_resolver())
            if name.split(":")[0] in {"portal", "feedback", "participation"} and "<" in pattern
        }
        - PUBLIC
        - NOT_PERSONAL
    )


@dataclass
class Rikys:
    case: Case
    fine: Case
    offer: CaseOffer
    document: CaseDocument
    contact: Contact
    signal: Signal
    correction: CorrectionRequest
    choice: PrivacyChoice
    authorisation: Authorisation
    subscription: Subscription


@pytest.fixture
def rikys(portal_world: PortalWorld, settings, tmp_path: Path) -> Rikys:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    pack = Path(django_settings.DEMO_PACK_DIR)
    riky = portal_world.riky
    ctx = AccessContext(
        actor="demo-inwoner",
        role="resident",
        organisation="gemeente-almelo",
        activity="inzage-eigen-gegevens",
        actor_party_id=riky.pk,
    )
    load_case_types(pack / "cases")
    load_demo_contacts(pack)
    load_signal_rules(pack / "signals")
    load_participation(pack)
    case = permit(riky)
    document = case_services.add_document(
        ctx,
        case,
        document_type="tekening",
        title="Tekening",
        upload=case_services.Upload("t.pdf", PDF),
    )
    fined = fine(riky)
    return Rikys(
        case=case,
        fine=fined,
        offer=CaseOffer.objects.filter(case=fined).order_by("pk").first(),  # type: ignore[arg-type]
        document=document,
        contact=Contact.objects.filter(involvements__party=riky).first(),  # type: ignore[arg-type]
        signal=make_signal("klachten-na-vertrek-kinderen", riky),
        correction=request_correction(ctx, riky, "person.birth", proposed_value="19-05-1972"),
        choice=PrivacyChoice.objects.filter(party=riky).first(),  # type: ignore[arg-type]
        authorisation=Authorisation.objects.get(represented=riky),
        subscription=subscribe(riky, theme=Theme.objects.first()),
    )


# For each page: its URL with Riky's ids, and a POST body that would act if it could.
SWEEP: dict[str, Callable[[Rikys], tuple[str, dict[str, Any]]]] = {
    "portal:authorisation-withdraw": lambda r: (
        reverse("portal:authorisation-withdraw", args=[r.authorisation.uuid]),
        {},
    ),
    "portal:correction-detail": lambda r: (
        reverse("portal:correction-detail", args=[r.correction.uuid]),
        {},
    ),
    "portal:case": lambda r: (reverse("portal:case", args=[r.case.uuid]), {}),
    "portal:case-upload": lambda r: (
        reverse("portal:case-upload", args=[r.case.uuid]),
        {"documenttype": "tekening", "titel": "Niet van mij"},
    ),
    "portal:case-action": lambda r: (
        reverse("portal:case-action", args=[r.fine.uuid, "aanbod"]),
        {"aanbod": str(r.offer.uuid), "antwoord": "ja"},
    ),
    "portal:case-document": lambda r: (
        reverse("portal:case-document", args=[r.case.uuid, r.document.uuid]),
        {},
    ),
    "portal:contact": lambda r: (reverse("portal:contact", args=[r.contact.uuid]), {}),
    "portal:signal-action": lambda r: (
        reverse("portal:signal-action", args=[r.signal.uuid, "aanbod"]),
        {"answer": "decline"},
    ),
    "portal:receipt": lambda r: (reverse("portal:receipt", args=[r.choice.uuid]), {}),
    "feedback:contact": lambda r: (
        reverse("feedback:contact", args=[r.contact.uuid]),
        {"score": "1", "comment": "Niet van mij"},
    ),
    "feedback:case": lambda r: (
        reverse("feedback:case", args=[r.case.uuid]),
        {"score": "1", "comment": "Niet van mij"},
    ),
    "feedback:switch": lambda r: (
        reverse("feedback:switch", args=[r.case.uuid]),
        {"provider": "gemeente", "reason": "anders"},
    ),
    "participation:unsubscribe": lambda r: (
        reverse("participation:unsubscribe", args=[r.subscription.uuid]),
        {},
    ),
}


def _state(r: Rikys) -> tuple[Any, ...]:
    r.offer.refresh_from_db()
    r.signal.refresh_from_db()
    r.authorisation.refresh_from_db()
    return (
        CaseDocument.objects.count(),
        r.offer.state,
        r.signal.offer_state,
        Reaction.objects.count(),
        r.authorisation.withdrawn_at,
        Subscription.objects.filter(pk=r.subscription.pk).exists(),
        Feedback.objects.count(),
        PrivacyChoice.objects.count(),
        CorrectionRequest.objects.count(),
    )


def test_the_sweep_covers_every_personal_page_with_an_id() -> None:
    assert personal_pages_with_ids() == set(SWEEP)


def test_another_resident_reaches_nothing_of_rikys_by_id(
    rikys: Rikys, other_client: Client
) -> None:
    before = _state(rikys)
    for name, make in SWEEP.items():
        url, data = make(rikys)
        got = other_client.get(url)
        assert got.status_code in (404, 405), (name, "GET", got.status_code)
        assert "Hendrika" not in got.content.decode(), name
        posted = other_client.post(url, data)
        assert posted.status_code == 404, (name, "POST", posted.status_code)
        assert "Hendrika" not in posted.content.decode(), name
    assert _state(rikys) == before


def test_riky_herself_reaches_the_same_pages(rikys: Rikys, riky_client: Client) -> None:
    # The sweep's ids are real: the owner gets a page (or a download) for each readable one.
    for name in (
        "portal:correction-detail",
        "portal:case",
        "portal:case-document",
        "portal:contact",
        "portal:receipt",
    ):
        url, _ = SWEEP[name](rikys)
        assert riky_client.get(url).status_code == 200, name
