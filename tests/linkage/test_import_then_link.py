"""A partner file imported by command is linked at once, and its rows show up with the
person they were linked to."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client

from klantocratie.linkage.models import Link, LinkStatus
from klantocratie.privacy import gate
from tests.linkage.conftest import PartnerWorld, ScriptedModel

pytestmark = pytest.mark.django_db

HEADER = "kenmerk;achternaam;voorvoegsel;voornamen;geboortedatum;postcode;huisnummer;datum;soort;omschrijving"


def test_the_import_command_links_the_new_records(
    partners: PartnerWorld, scripted: ScriptedModel, tmp_path: Path
) -> None:
    person = partners.person
    file = tmp_path / "meldingen.csv"
    file.write_text(
        f"{HEADER}\nPOL-9;{person.surname};{person.surname_prefix};R.;19-05-1971;;;"
        "01-10-2026;burenruzie;Ruzie over de schutting.\n",
        encoding="utf-8",
    )

    scripted.answer("POL-9", (person.bsn, 0.999, 14.0))

    out = StringIO()
    call_command("import_partner_file", "politie-meldingen", str(file), "--no-progress", stdout=out)
    assert "1 automatisch" in out.getvalue()
    link = Link.objects.get(record__reference="POL-9")
    assert link.status == LinkStatus.AUTOMATIC and link.party == partners.party

    ctx = gate.AccessContext(
        actor="demo-inwoner",
        role="resident",
        organisation="gemeente-almelo",
        activity="inzage-eigen-gegevens",
        actor_party_id=partners.party.pk,
    )
    reports = gate.read(ctx, partners.party, ["police.reports"]).values["police.reports"].value
    assert any(
        r["omschrijving"] == "Ruzie over de schutting." and "koppeling" in r for r in reports
    )


def test_no_link_leaves_the_records_for_a_later_run(
    partners: PartnerWorld, scripted: ScriptedModel, tmp_path: Path
) -> None:
    file = tmp_path / "meldingen.csv"
    file.write_text(
        f"{HEADER}\nPOL-10;Jansen;;K.;01-02-1980;7607AB;3;01-10-2026;inbraak;Inbraak.\n",
        encoding="utf-8",
    )
    call_command(
        "import_partner_file",
        "politie-meldingen",
        str(file),
        "--no-progress",
        "--no-link",
        stdout=StringIO(),
    )
    assert not Link.objects.exists() and scripted.trainings == 0


def test_an_admin_upload_links_what_it_loaded(
    partners: PartnerWorld,
    scripted: ScriptedModel,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    person = partners.person
    scripted.answer("POL-11", (person.bsn, 0.9, 7.0))
    client = Client()
    client.force_login(User.objects.create_superuser("beheer"))
    content = (
        f"{HEADER}\nPOL-11;{person.surname};;H.;19-05-1971;;;01-10-2026;inbraak;Inbraak.\n"
    ).encode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/beheer/imports/importbatch/add/",
            {
                "source": partners.police.pk,
                "file": SimpleUploadedFile("meldingen.csv", content, content_type="text/csv"),
            },
        )
    link = Link.objects.get(record__reference="POL-11")
    assert link.status == LinkStatus.REVIEW and link.party == partners.party


def test_the_link_command_reports_per_source_and_refuses_unknown_ones(
    partners: PartnerWorld, scripted: ScriptedModel
) -> None:
    record = partners.record_of(partners.person, "POL-12")
    scripted.answer(record.pk, (partners.person.bsn, 0.999, 14.0))
    out = StringIO()
    call_command("link_partner_records", "politie-meldingen", stdout=out, stderr=StringIO())
    assert "politie-meldingen: 1 records vergeleken" in out.getvalue()
    assert "1 automatisch" in out.getvalue()
    with pytest.raises(CommandError, match="Onbekende bron: nergens"):
        call_command("link_partner_records", "nergens", stdout=StringIO())
