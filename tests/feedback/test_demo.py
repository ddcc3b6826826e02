"""The demo feedback: numbers for the figures page, the same on every load, and the
demo logins' own questions left open."""

from pathlib import Path

from django.conf import settings as django_settings

from klantocratie.cases.demo import load_demo_cases
from klantocratie.cases.packs import load_case_types
from klantocratie.demo.contact_history import load_demo_contact_history
from klantocratie.feedback import selectors
from klantocratie.feedback.demo import load_demo_feedback
from klantocratie.feedback.models import Feedback, FeedbackKind

from .conftest import PortalWorld


def test_demo_feedback_fills_the_figures_once(portal_world: PortalWorld) -> None:
    pack = Path(django_settings.DEMO_PACK_DIR)
    load_demo_contact_history()
    load_case_types(pack / "cases")
    load_demo_cases(pack)

    summary = load_demo_feedback()
    imported = Feedback.objects.filter(given_by="import").count()
    on_cases = Feedback.objects.filter(kind=FeedbackKind.CASE_SATISFACTION)
    assert imported > 0 and on_cases.exists()
    assert (
        summary
        == f"{imported} survey answers imported, {on_cases.count()} given on the personal page"
    )
    # Given in the resident's own name, through the gate.
    assert all(f.given_by.startswith("bsn:") for f in on_cases)
    assert any(row.average is not None for row in selectors.figures().products)
    demo_logins = [portal_world.riky, portal_world.daan, portal_world.parent, portal_world.child]
    assert not Feedback.objects.filter(party__in=demo_logins).exists()

    assert load_demo_feedback() == summary
    assert Feedback.objects.filter(given_by="import").count() == imported
