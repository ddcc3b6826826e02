import pytest
from django.contrib.auth.models import User

from klantocratie.accounts.models import Membership
from klantocratie.privacy.models import ProcessingLogRecord
from tests.conftest import BSN_ANNA, World
from tests.support.memory_connector import MemoryConnector

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def agent(world: World) -> User:
    user = User.objects.create_user("demo-kcc", first_name="Kim", last_name="de Vries")
    Membership.objects.create(
        user=user, organisation=world.municipality, role="kcc_agent", default_activity="kcc"
    )
    return user


def test_agent_logs_in_searches_a_bsn_and_sees_the_view(
    browser, live_server, agent: User, world: World, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.DEMO_MODE = True
    MemoryConnector.down.add("huur")
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    try:
        page.goto(live_server.url + "/")
        page.get_by_role("button", name="KCC-medewerker").click()
        page.get_by_role("link", name="Zoek een klant").click()
        page.get_by_label("BSN of KvK-nummer").fill(BSN_ANNA)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.get_by_role("heading", level=1).inner_text() == "Anna de Boer"
        assert (
            page.locator("[data-element='person.address']").inner_text().startswith("Grotestraat 1")
        )
        assert page.get_by_test_id("source-unavailable").is_visible()
        assert BSN_ANNA not in page.url
    finally:
        page.close()
    assert ProcessingLogRecord.objects.count() == 1


def test_wrong_bsn_gets_a_clear_error(
    browser, live_server, agent: User, world: World, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.DEMO_MODE = True
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    try:
        page.goto(live_server.url + "/")
        page.get_by_role("button", name="KCC-medewerker").click()
        page.goto(live_server.url + "/klantbeeld/")
        page.get_by_label("BSN of KvK-nummer").fill("123456789")
        page.keyboard.press("Enter")
        assert "elfproef" in page.get_by_role("alert").inner_text()
    finally:
        page.close()
    assert ProcessingLogRecord.objects.count() == 0
