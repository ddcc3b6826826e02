import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from klantocratie.accounts.models import Membership
from klantocratie.knowledge.models import LifeEvent, QuestionAnswer
from klantocratie.registry.models import Organisation

pytestmark = pytest.mark.usefixtures("demo_knowledge", "db")


def login_as(client: Client, role: str) -> None:
    user = User.objects.create_user(f"user-{role}")
    Membership.objects.create(
        user=user,
        organisation=Organisation.objects.get(code="gemeente-almelo"),
        role=role,
        default_activity="kcc",
    )
    client.force_login(user)


def answer(slug: str) -> QuestionAnswer:
    return QuestionAnswer.objects.get(slug=slug)


class TestRoles:
    def pages(self) -> list[str]:
        return [
            reverse("knowledge:search") + "?q=verhuizen",
            reverse("knowledge:answer", args=[answer("verhuizing-doorgeven").uuid]),
            reverse("knowledge:life-event", args=["verhuizen"]),
        ]

    def test_anonymous_visitors_are_sent_to_login(self, client: Client) -> None:
        for url in self.pages():
            response = client.get(url)
            assert response.status_code == 302 and "/accounts/" in response["Location"]

    @pytest.mark.parametrize("role", ["policy_analyst", "resident", "administrator"])
    def test_roles_without_client_work_are_refused(self, client: Client, role: str) -> None:
        login_as(client, role)
        for url in self.pages():
            assert client.get(url).status_code == 403

    @pytest.mark.parametrize("role", ["kcc_agent", "case_worker", "social_worker"])
    def test_agent_roles_may_read(self, client: Client, role: str) -> None:
        login_as(client, role)
        for url in self.pages():
            assert client.get(url).status_code == 200


class TestPages:
    @pytest.fixture(autouse=True)
    def _agent(self, client: Client, db: None) -> None:
        login_as(client, "kcc_agent")

    def test_results_show_source_and_review_date_on_every_answer(self, client: Client) -> None:
        page = client.get(reverse("knowledge:search"), {"q": "mijn vader is overleden"})
        html = page.content.decode()
        assert "Mijn vader is overleden, wat moet ik regelen?" in html
        cards = html.count('class="source-card"')
        assert cards and html.count("Bron:") == cards and html.count("Laatst beoordeeld") == cards
        assert "3 juni 2026" in html

    def test_results_are_paginated(self, client: Client) -> None:
        first = client.get(reverse("knowledge:search"), {"q": "aanvragen"}).content.decode()
        assert "pagina 1 van" in first and "pagina=2" in first
        second = client.get(reverse("knowledge:search"), {"q": "aanvragen", "pagina": 2})
        assert "pagina 2 van" in second.content.decode()

    def test_no_results_shows_an_empty_state(self, client: Client) -> None:
        html = client.get(reverse("knowledge:search"), {"q": "xqzvw"}).content.decode()
        assert "Geen antwoorden of producten gevonden" in html

    def test_filters_apply(self, client: Client) -> None:
        html = client.get(
            reverse("knowledge:search"), {"q": "aangifte doen", "life_event": "geboorte"}
        ).content.decode()
        assert "Hoe geef ik de geboorte van mijn kind aan?" in html
        assert "Hoe doe ik aangifte van een inbraak of diefstal?" not in html

    def test_the_answer_page_shows_answer_source_and_related_questions(
        self, client: Client
    ) -> None:
        html = client.get(
            reverse("knowledge:answer", args=[answer("verhuizing-doorgeven").uuid])
        ).content.decode()
        assert "online met DigiD" in html and "Bron:" in html and "1 oktober 2026" in html
        assert "Ik ben verhuisd, hoe krijg ik containers op mijn nieuwe adres?" in html

    def test_an_inactive_answer_has_no_page(self, client: Client) -> None:
        url = reverse("knowledge:answer", args=[answer("tozo-oud").uuid])
        assert client.get(url).status_code == 404

    def test_the_life_event_page_lists_its_products_and_questions(self, client: Client) -> None:
        html = client.get(reverse("knowledge:life-event", args=["overlijden"])).content.decode()
        assert "Overlijdensaangifte" in html and "Erfbelasting" in html
        assert "Mijn vader is overleden, wat moet ik regelen?" in html
        assert client.get(reverse("knowledge:life-event", args=["onbekend"])).status_code == 404

    def test_the_product_page_shows_the_local_variant(self, client: Client) -> None:
        product = LifeEvent.objects.get(slug="geboorte").products.get(name="paspoort")
        html = client.get(reverse("knowledge:product", args=[product.uuid])).content.decode()
        assert "Gemeente Almelo" in html and "€ 84,05" in html


class TestApi:
    URL = "/api/v1/knowledge/search"

    def test_agents_get_hits_with_source_and_review_date(self, client: Client) -> None:
        login_as(client, "kcc_agent")
        response = client.get(self.URL, {"q": "ik ga verhuizen", "life_event": "verhuizen"})
        assert response.status_code == 200
        hits = response.json()
        assert hits and set(hits[0]) == {
            "kind",
            "uuid",
            "title",
            "snippet",
            "score",
            "source_name",
            "source_url",
            "last_reviewed",
            "url",
        }
        assert all(h["source_name"] and h["last_reviewed"] for h in hits)
        assert hits[0]["url"].startswith("/kennisbank/")

    def test_bad_input_is_refused_with_the_field_named(self, client: Client) -> None:
        login_as(client, "kcc_agent")
        assert "q" in client.get(self.URL).json()["fields"]
        bad_event = client.get(self.URL, {"q": "x", "life_event": "nope"})
        assert bad_event.status_code == 400 and "life_event" in bad_event.json()["fields"]
        # A NUL byte is refused before any query (PostgreSQL would fail on it).
        for field in ("organisation", "life_event"):
            nul = client.get(self.URL, {"q": "x", field: "gemeente\x00almelo"})
            assert nul.status_code == 400 and field in nul.json()["fields"]

    def test_other_roles_and_anonymous_are_refused(self, client: Client) -> None:
        assert client.get(self.URL, {"q": "verhuizen"}).status_code in (401, 403)
        login_as(client, "policy_analyst")
        assert client.get(self.URL, {"q": "verhuizen"}).status_code == 403

    def test_the_endpoint_is_in_the_openapi_schema(self, client: Client) -> None:
        schema = client.get("/api/schema/", {"format": "json"}).json()
        operation = schema["paths"]["/api/v1/knowledge/search"]["get"]
        assert {"q", "life_event"} <= {p["name"] for p in operation["parameters"]}
