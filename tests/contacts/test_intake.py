"""Intake per channel: e-mail upload, mailbox import, scanned letter, web form."""

import mailbox
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from klantocratie.contacts import intake
from klantocratie.contacts.models import Attachment, Contact
from klantocratie.privacy.models import ProcessingLogRecord
from tests.conftest import BSN_ANNA, BSN_CARLA

from .conftest import PDF, PNG, Registry, eml, login


def _upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


class TestEmail:
    def test_eml_upload_becomes_a_contact_with_the_mail_attached(
        self, client: Client, registry: Registry
    ) -> None:
        login(client, registry.world, "kim")
        response = client.post(
            reverse("contacts:email-upload"), {"bestand": _upload("vraag.eml", eml())}
        )
        contact = Contact.objects.get()
        assert response.status_code == 302 and contact.nummer in response["Location"]
        assert contact.channel.code == "email"
        assert contact.subject == "Vraag over mijn aanslag"
        assert "Ik begrijp mijn aanslag niet" in contact.content
        assert contact.involvements.get().party == registry.world.anna
        assert contact.occurred_at.isoformat().startswith("2026-11-02T08:30")
        attachment = contact.attachments.get()
        assert (attachment.original_name, attachment.content_type) == (
            "vraag.eml",
            "message/rfc822",
        )
        assert attachment.file.read() == eml()
        # One record for matching the sender, one for registering the contact.
        operations = set(ProcessingLogRecord.objects.values_list("operation", flat=True))
        assert {"match-sender", "register-contact"} <= operations

    @pytest.mark.parametrize(
        ("data", "text"),
        [
            (b"\x00\x01\x02 not a mail at all", "geen e-mail"),
            (b"Subject: geen afzender\r\n\r\nhallo\r\n", "afzender"),
        ],
    )
    def test_malformed_mail_is_refused_and_nothing_is_saved(
        self, client: Client, registry: Registry, data: bytes, text: str
    ) -> None:
        login(client, registry.world, "kim")
        response = client.post(
            reverse("contacts:email-upload"), {"bestand": _upload("kapot.eml", data)}
        )
        assert response.status_code == 200
        assert text in response.content.decode()
        assert not Contact.objects.exists() and not Attachment.objects.exists()

    def test_mail_from_an_unknown_sender_is_not_registered(
        self, client: Client, registry: Registry
    ) -> None:
        login(client, registry.world, "kim")
        response = client.post(
            reverse("contacts:email-upload"),
            {"bestand": _upload("vraag.eml", eml(sender="onbekend@example.nl"))},
        )
        assert "Geen klant bekend met e-mailadres onbekend@example.nl" in response.content.decode()
        assert not Contact.objects.exists()

    def test_oversized_mail_is_refused(
        self, client: Client, registry: Registry, settings: object
    ) -> None:
        settings.KLANTOCRATIE_ATTACHMENT_MAX_BYTES = 100  # type: ignore[attr-defined]
        login(client, registry.world, "kim")
        response = client.post(
            reverse("contacts:email-upload"), {"bestand": _upload("vraag.eml", eml())}
        )
        assert "te groot" in response.content.decode()
        assert not Contact.objects.exists()


class TestMailbox:
    def _fill(self, box: mailbox.Mailbox) -> None:
        box.add(eml(subject="Eerste vraag"))
        box.add(eml(sender="vreemde@example.nl", subject="Spam?"))
        box.add(eml(subject="Tweede vraag"))
        box.flush()

    @pytest.mark.parametrize("kind", ["maildir", "mbox"])
    def test_import_registers_known_senders_reports_the_rest_and_can_run_again(
        self, registry: Registry, tmp_path: Path, kind: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        path = tmp_path / "inbox"
        box: mailbox.Mailbox = mailbox.Maildir(path) if kind == "maildir" else mailbox.mbox(path)
        self._fill(box)
        box.close()
        arguments = [str(path), "--organisation", registry.world.municipality.code]
        arguments += ["--activity", "kcc"]
        call_command("import_mailbox", *arguments)
        output = capsys.readouterr().out
        assert "2 geregistreerd, 1 niet gekoppeld" in output
        assert "vreemde@example.nl" in output
        assert sorted(Contact.objects.values_list("subject", flat=True)) == [
            "Eerste vraag",
            "Tweede vraag",
        ]
        call_command("import_mailbox", *arguments)
        assert "0 geregistreerd, 1 niet gekoppeld, 0 geweigerd, 2 al eerder" in (
            capsys.readouterr().out
        )
        assert Contact.objects.count() == 2

    def test_a_missing_mailbox_is_a_clear_error(self, registry: Registry, tmp_path: Path) -> None:
        with pytest.raises(CommandError, match="bestaat niet"):
            call_command("import_mailbox", str(tmp_path / "nergens"), "--organisation", "gemeente")

    def test_a_folder_that_is_no_maildir_is_refused(
        self, registry: Registry, tmp_path: Path
    ) -> None:
        with pytest.raises(CommandError, match="geen Maildir"):
            call_command("import_mailbox", str(tmp_path), "--organisation", "gemeente")

    def test_an_unreadable_mail_is_reported_not_fatal(
        self, registry: Registry, tmp_path: Path
    ) -> None:
        box = mailbox.Maildir(tmp_path / "inbox")
        box.add(b"Subject: zonder afzender\n\nhallo\n")
        box.add(eml())
        box.close()
        report = intake.import_mailbox(registry.agent(), tmp_path / "inbox")
        assert len(report.registered) == 1 and len(report.failed) == 1
        assert "afzender" in report.failed[0][2]


class TestScan:
    @pytest.mark.parametrize(
        ("name", "data", "kind"),
        [("brief.pdf", PDF, "application/pdf"), ("foto.png", PNG, "image/png")],
    )
    def test_scan_upload_becomes_a_letter_contact(
        self, client: Client, registry: Registry, name: str, data: bytes, kind: str
    ) -> None:
        login(client, registry.world, "kim")
        response = client.post(
            reverse("contacts:scan-upload"),
            {"klant": BSN_ANNA, "onderwerp": "Bezwaarschrift", "bestand": _upload(name, data)},
        )
        assert response.status_code == 302
        contact = Contact.objects.get()
        assert contact.channel.code == "brief" and contact.content == f"Ingescande brief: {name}"
        assert contact.attachments.get().content_type == kind

    def test_a_scan_is_recognised_by_content_not_by_name(
        self, client: Client, registry: Registry
    ) -> None:
        login(client, registry.world, "kim")
        response = client.post(
            reverse("contacts:scan-upload"),
            {
                "klant": BSN_ANNA,
                "onderwerp": "Bezwaarschrift",
                "bestand": _upload("brief.pdf", b"<html>geen pdf</html>"),
            },
        )
        assert "herkend aan de inhoud" in response.content.decode()
        assert not Contact.objects.exists()

    def test_unknown_client_and_missing_subject_are_named(
        self, client: Client, registry: Registry
    ) -> None:
        login(client, registry.world, "kim")
        url = reverse("contacts:scan-upload")
        missing = client.post(
            url, {"klant": BSN_ANNA, "onderwerp": "", "bestand": _upload("brief.pdf", PDF)}
        )
        assert "Dit veld is vereist" in missing.content.decode()
        unknown = client.post(
            url, {"klant": BSN_CARLA, "onderwerp": "Brief", "bestand": _upload("brief.pdf", PDF)}
        )
        assert "Er is geen klant bekend met dit nummer" in unknown.content.decode()
        assert not Contact.objects.exists()


class TestWebForm:
    def test_resident_posts_a_question_as_a_contact_of_their_own(
        self, client: Client, registry: Registry
    ) -> None:
        world = registry.world
        world.grant_for(
            world.activity,
            ["contact.history"],
            may_change=True,
            role="resident",
            subject_scope="self",
        )
        login(client, world, "anna", role="resident", party=world.anna)
        response = client.post(
            reverse("portal:question"),
            {"onderwerp": "Parkeervergunning", "inhoud": "Hoe vraag ik een vergunning aan?"},
        )
        assert response.status_code == 302
        contact = Contact.objects.get()
        assert contact.channel.code == "webformulier"
        assert contact.involvements.get().party == world.anna
        assert contact.nummer in client.get(response["Location"]).content.decode()

    def test_web_form_without_content_names_the_field(
        self, client: Client, registry: Registry
    ) -> None:
        login(client, registry.world, "anna", role="resident", party=registry.world.anna)
        response = client.post(reverse("portal:question"), {"onderwerp": "Vraag"})
        assert response.status_code == 400
        assert "Dit veld is vereist" in response.content.decode()
        assert not Contact.objects.exists()

    def test_web_form_is_for_logged_in_residents(self, client: Client, registry: Registry) -> None:
        response = client.get(reverse("portal:question"))
        assert response.status_code == 302 and "/mijn/inloggen/" in response["Location"]
        login(client, registry.world, "kim")
        assert client.get(reverse("portal:question")).status_code == 403
