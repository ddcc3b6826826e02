import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from klantocratie.accounts.models import Membership
from klantocratie.privacy.models import (
    ChoiceRule,
    GdprBasis,
    PrivacyChoice,
    ProcessingLogRecord,
    SubjectScope,
)
from tests.conftest import BSN_ANNA, BSN_CARLA, World
from tests.support.memory_connector import MemoryConnector


def login_as(
    client: Client, world: World, role: str = "kcc_agent", activity: str = "kcc", **extra: object
) -> User:
    user = User.objects.create_user(f"user-{role}")
    Membership.objects.create(
        user=user, organisation=world.municipality, role=role, default_activity=activity, **extra
    )
    client.force_login(user)
    return user


def search(client: Client, query: str):  # type: ignore[no-untyped-def]
    return client.post(reverse("clientview:search"), {"query": query})


class TestPages:
    def test_anonymous_is_sent_to_login(self, client: Client, world: World) -> None:
        response = client.get(reverse("clientview:search"))
        assert response.status_code == 302 and "/accounts/inloggen/" in response["Location"]

    def test_user_without_role_is_refused(self, client: Client, world: World) -> None:
        client.force_login(User.objects.create_user("nobody"))
        assert client.get(reverse("clientview:search")).status_code == 403

    def test_policy_analyst_sees_no_individual_view(self, client: Client, world: World) -> None:
        login_as(client, world, role="policy_analyst")
        assert client.get(reverse("clientview:search")).status_code == 403
        assert client.get(reverse("clientview:detail", args=[world.anna.uuid])).status_code == 403

    def test_search_by_bsn_shows_the_view_with_provenance(
        self, client: Client, world: World
    ) -> None:
        login_as(client, world)
        response = search(client, "9999 90 019")
        assert response.status_code == 302
        assert BSN_ANNA not in response["Location"]
        page = client.get(response["Location"]).content.decode()
        assert "Anna de Boer" in page
        assert "Gemeente Test" in page and "Woonstichting Test" in page
        assert "autorisatie #" in page
        assert "bron beschikbaar" in page

    @pytest.mark.parametrize(
        ("query", "message"),
        [("123456789", "elfproef"), ("12", "Geef een BSN"), ("abc", "Geef een BSN")],
    )
    def test_invalid_search_says_why(
        self, client: Client, world: World, query: str, message: str
    ) -> None:
        login_as(client, world)
        response = search(client, query)
        assert response.status_code == 200
        assert message in response.content.decode()

    def test_unknown_client(self, client: Client, world: World) -> None:
        login_as(client, world)
        assert "geen klant bekend" in search(client, BSN_CARLA).content.decode()

    def test_unavailable_source_is_marked(self, client: Client, world: World) -> None:
        login_as(client, world)
        MemoryConnector.down.add("huur")
        page = client.get(reverse("clientview:detail", args=[world.anna.uuid])).content.decode()
        assert "Anna de Boer" in page
        assert "bron niet beschikbaar" in page
        assert "het klantbeeld is onvolledig" in page

    def test_denied_view_is_explained(self, client: Client, world: World) -> None:
        login_as(client, world, activity="unknown")
        response = client.get(reverse("clientview:detail", args=[world.anna.uuid]))
        assert response.status_code == 403
        assert "Onbekende verwerking" in response.content.decode()


class TestSupplementaryActivity:
    @pytest.fixture
    def extra(self, world: World) -> World:
        activity = world.activity_version(
            "extra", gdpr_basis=GdprBasis.CONSENT, choice_rule=ChoiceRule.OPT_IN, supplements="kcc"
        )
        world.grant_for(activity, ["tenancy.complaints"])
        return world

    def test_withheld_without_opt_in(self, client: Client, extra: World) -> None:
        login_as(client, extra)
        view = client.get(reverse("api:party-client-view", args=[extra.anna.uuid])).json()
        codes = {v["code"] for s in view["sections"] for v in s["values"]}
        assert "tenancy.complaints" not in codes
        assert any("toestemming" in reason for reason in view["withheld"])
        assert ProcessingLogRecord.objects.count() == 1

    def test_shown_after_opt_in_and_logged_separately(self, client: Client, extra: World) -> None:
        PrivacyChoice.objects.create(
            party=extra.anna,
            purpose="extra",
            kind="opt_in",
            status="given",
            decided_at=timezone.now() - dt.timedelta(minutes=1),
            collected_via="desk",
        )
        login_as(client, extra)
        view = client.get(reverse("api:party-client-view", args=[extra.anna.uuid])).json()
        codes = {v["code"] for s in view["sections"] for v in s["values"]}
        assert "tenancy.complaints" in codes
        assert sorted(
            ProcessingLogRecord.objects.values_list("processing_activity_id", flat=True)
        ) == ["extra@1", "kcc@1"]

    def test_expired_supplement_withholds_only_its_own_data(
        self, client: Client, extra: World
    ) -> None:
        from klantocratie.privacy.models import ProcessingActivity

        ProcessingActivity.objects.filter(code="extra").update(valid_to=dt.date(2021, 1, 1))
        login_as(client, extra)
        response = client.get(reverse("api:party-client-view", args=[extra.anna.uuid]))
        assert response.status_code == 200
        view = response.json()
        codes = {v["code"] for s in view["sections"] for v in s["values"]}
        assert "person.name" in codes and "tenancy.complaints" not in codes
        assert any("niet meer geldig" in reason for reason in view["withheld"])


class TestApi:
    def test_lookup_by_bsn(self, client: Client, world: World) -> None:
        login_as(client, world)
        response = client.post(
            reverse("api:client-view"), {"bsn": BSN_ANNA}, content_type="application/json"
        )
        assert response.status_code == 200
        body = response.json()
        assert body["party"] == str(world.anna.uuid)
        assert body["processing_activity"] == "kcc@1"
        assert body["degraded"] is False
        values = {v["code"]: v for s in body["sections"] for v in s["values"]}
        assert values["person.name"]["value"] == "Anna de Boer"
        assert values["person.name"]["source"] == "brp"
        assert values["person.name"]["grant"] == world.grant.pk
        assert values["tenancy.contract"]["organisation"] == "Woonstichting Test"

    def test_degraded_view(self, client: Client, world: World) -> None:
        login_as(client, world)
        MemoryConnector.down.add("huur")
        body = client.get(reverse("api:party-client-view", args=[world.anna.uuid])).json()
        assert body["degraded"] is True
        down = next(s for s in body["sections"] if s["source"]["code"] == "huur")
        assert down["source"]["available"] is False and down["missing"] == ["tenancy.contract"]

    @pytest.mark.parametrize(
        ("payload", "status", "field"),
        [
            ({"bsn": "123456789"}, 400, "bsn"),
            ({}, 400, "bsn"),
            ({"bsn": BSN_ANNA, "kvk": "12345678"}, 400, "bsn"),
            ({"kvk": "1234"}, 400, "kvk"),
            ({"bsn": BSN_ANNA, "activity": "marketing"}, 400, "activity"),
        ],
    )
    def test_bad_input_names_the_field(
        self, client: Client, world: World, payload: dict[str, str], status: int, field: str
    ) -> None:
        login_as(client, world)
        response = client.post(reverse("api:client-view"), payload, content_type="application/json")
        assert response.status_code == status
        assert field in response.json()["fields"]

    def test_unknown_client_is_404(self, client: Client, world: World) -> None:
        login_as(client, world)
        response = client.post(
            reverse("api:client-view"), {"bsn": BSN_CARLA}, content_type="application/json"
        )
        assert response.status_code == 404

    def test_denied_is_403(self, client: Client, world: World) -> None:
        login_as(client, world, role="case_worker", activity="kcc")
        response = client.post(
            reverse("api:client-view"), {"bsn": BSN_ANNA}, content_type="application/json"
        )
        assert response.status_code == 403
        assert response.json()["code"] == "access_denied"

    def test_anonymous_and_roleless_are_refused(self, client: Client, world: World) -> None:
        assert client.post(reverse("api:client-view"), {"bsn": BSN_ANNA}).status_code == 403
        login_as(client, world, role="policy_analyst")
        assert client.post(reverse("api:client-view"), {"bsn": BSN_ANNA}).status_code == 403

    def test_change_routes_to_the_owning_source(self, client: Client, world: World) -> None:
        login_as(client, world)
        url = reverse("api:party-changes", args=[world.anna.uuid])
        ok = client.post(
            url, {"element": "person.email", "value": "a@b.nl"}, content_type="application/json"
        )
        assert ok.status_code == 200 and ok.json()["status"] == "delivered"
        MemoryConnector.down.add("brp")
        later = client.post(
            url, {"element": "person.email", "value": "c@d.nl"}, content_type="application/json"
        )
        assert later.status_code == 202 and later.json()["status"] == "pending"
        refused = client.post(
            url, {"element": "person.name", "value": "X"}, content_type="application/json"
        )
        assert refused.status_code == 403

    def test_incoming_trace_is_kept_in_the_log(self, client: Client, world: World) -> None:
        login_as(client, world)
        trace = "4bf92f3577b34da6a3ce929d0e0e4736"
        response = client.get(
            reverse("api:party-client-view", args=[world.anna.uuid]),
            HTTP_TRACEPARENT=f"00-{trace}-00f067aa0ba902b7-01",
        )
        assert response["traceparent"].startswith(f"00-{trace}-")
        assert ProcessingLogRecord.objects.get().trace_id == trace

    def test_register_of_processing_activities_is_public(
        self, client: Client, world: World
    ) -> None:
        body = client.get(reverse("api:processing-activities")).json()
        assert body["results"][0]["id"] == "kcc@1"

    def test_catalogue_lists_one_source_per_element(self, client: Client, world: World) -> None:
        login_as(client, world)
        body = client.get(reverse("api:elements"), {"search": "person"}).json()
        assert {e["code"]: e["source"] for e in body["results"]} == {
            "person.address": "brp",
            "person.email": "brp",
            "person.name": "brp",
        }

    def test_source_health(self, client: Client, world: World) -> None:
        login_as(client, world)
        MemoryConnector.down.add("huur")
        body = {s["code"]: s["ok"] for s in client.get(reverse("api:source-health")).json()}
        assert body == {"brp": True, "huur": False}

    def test_openapi_schema(self, client: Client, world: World) -> None:
        response = client.get(reverse("api:schema"), {"format": "json"})
        assert response.status_code == 200
        assert "/api/v1/client-view" in response.json()["paths"]


class TestResident:
    def test_resident_sees_own_data_only(self, client: Client, world: World) -> None:
        own = world.activity_version("inzage")
        world.grant_for(
            own,
            ["person.name", "tenancy.contract"],
            role="resident",
            subject_scope=SubjectScope.SELF,
        )
        login_as(client, world, role="resident", activity="inzage", party=world.anna)
        page = client.get(reverse("portal:data")).content.decode()
        assert "Anna de Boer" in page
        other = client.get(reverse("clientview:detail", args=[world.bert.uuid]))
        assert other.status_code == 403
        assert "Bert" not in other.content.decode()
        assert (
            client.get(reverse("api:party-client-view", args=[world.bert.uuid])).status_code == 403
        )
