"""Registering contacts and tasks through the gate; reads for warm transfer and work lists."""

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from klantocratie.contacts import selectors, services
from klantocratie.contacts.models import (
    Attachment,
    Contact,
    InternalTask,
    NumberSeries,
    SubjectObject,
    TaskKind,
    TaskStatus,
)
from klantocratie.events.models import Event
from klantocratie.privacy import gate, log
from klantocratie.privacy.errors import AccessDenied
from klantocratie.privacy.models import AuditEntry, AuditOutcome, ProcessingLogRecord
from tests.conftest import BSN_ANNA, BSN_BERT

from .conftest import PDF, Registry


def _register(registry: Registry, **overrides: object) -> Contact:
    values: dict[str, object] = {
        "channel": "telefoon",
        "subject": "Vraag over afvalpas",
        "content": "Mevrouw is haar afvalpas kwijt.",
        "answer": "Nieuwe pas aangevraagd.",
        "succeeded": True,
    }
    values.update(overrides)
    party = values.pop("party", registry.world.anna)
    return services.register_contact(registry.agent(), party, **values)  # type: ignore[arg-type]


def test_registration_writes_contact_log_record_and_event_in_one_go(registry: Registry) -> None:
    contact = _register(
        registry,
        subject_objects=[services.SubjectObjectInput("product", "afvalpas")],
        attachments=[services.Upload("brief.pdf", PDF)],
    )
    assert contact.nummer.startswith("KC-") and contact.nummer.endswith("-000001")
    assert contact.organisation == registry.world.municipality
    assert contact.involvements.get().party == registry.world.anna
    assert SubjectObject.objects.get(contact=contact).object_id == "afvalpas"
    attachment = contact.attachments.get()
    assert attachment.content_type == "application/pdf" and attachment.size == len(PDF)
    record = ProcessingLogRecord.objects.get(operation="register-contact")
    assert record.data_subject_id == log.pseudonymise("bsn", BSN_ANNA)
    assert record.trace_id == contact.trace_id
    event = Event.objects.get(type="nl.klantocratie.contact.registered")
    assert event.subject == str(contact.uuid) and event.trace_id == contact.trace_id
    assert event.data["kanaal"] == "telefoon"
    assert _register(registry).nummer.endswith("-000002")


def test_anonymous_caller_gets_no_registered_contact(registry: Registry) -> None:
    with pytest.raises(ValidationError) as raised:
        _register(registry, party=None)
    assert "anonieme" in raised.value.message_dict["partij"][0]
    assert not Contact.objects.exists()
    assert not ProcessingLogRecord.objects.filter(operation="register-contact").exists()


@pytest.mark.parametrize(
    ("overrides", "field", "text"),
    [
        ({"channel": None}, "kanaal", "Kanaal ontbreekt"),
        ({"channel": ""}, "kanaal", "Kanaal ontbreekt"),
        ({"channel": "postduif"}, "kanaal", "Onbekend kanaal 'postduif'"),
        ({"subject": "  "}, "onderwerp", "Onderwerp ontbreekt"),
        ({"content": ""}, "inhoud", "Inhoud ontbreekt"),
        ({"subject": "x" * 201}, "onderwerp", "te lang"),
        ({"language": "nederlands"}, "taal", "drie letters"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(
    registry: Registry, overrides: dict[str, object], field: str, text: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        _register(registry, **overrides)
    assert text in " ".join(raised.value.message_dict[field])
    assert not Contact.objects.exists()
    assert not Event.objects.filter(type="nl.klantocratie.contact.registered").exists()


def test_oversized_attachment_is_refused_and_nothing_is_kept(
    registry: Registry, settings: object, _media: Path
) -> None:
    settings.KLANTOCRATIE_ATTACHMENT_MAX_BYTES = 20  # type: ignore[attr-defined]
    with pytest.raises(ValidationError) as raised:
        _register(registry, attachments=[services.Upload("scan.pdf", PDF)])
    assert "te groot" in raised.value.message_dict["bijlagen"][0]
    assert not Contact.objects.exists() and not Attachment.objects.exists()
    assert not [p for p in _media.rglob("*") if p.is_file()]


@pytest.mark.parametrize(
    "upload",
    [
        services.Upload("brief.pdf", b"just text, named like a PDF"),
        services.Upload("leeg.pdf", b""),
        services.Upload("programma.png", b"MZ\x90\x00 a windows executable"),
    ],
)
def test_wrong_type_attachment_is_refused_by_content(
    registry: Registry, upload: services.Upload
) -> None:
    with pytest.raises(ValidationError) as raised:
        _register(registry, attachments=[upload])
    assert upload.name in raised.value.message_dict["bijlagen"][0]
    assert not Contact.objects.exists()


def test_attachment_type_list_is_configurable(registry: Registry, settings: object) -> None:
    settings.KLANTOCRATIE_ATTACHMENT_TYPES = ["image/png"]  # type: ignore[attr-defined]
    with pytest.raises(ValidationError, match="Toegestaan: PNG"):
        _register(registry, attachments=[services.Upload("brief.pdf", PDF)])


def test_a_failure_after_the_files_were_written_removes_them(
    registry: Registry, _media: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("outbox down")

    monkeypatch.setattr(services, "emit", broken)
    with pytest.raises(RuntimeError):
        _register(registry, attachments=[services.Upload("brief.pdf", PDF)])
    assert not Contact.objects.exists() and not Attachment.objects.exists()
    assert not [p for p in _media.rglob("*") if p.is_file()]
    assert not ProcessingLogRecord.objects.filter(operation="register-contact").exists()


def test_registration_is_denied_without_a_grant(registry: Registry) -> None:
    with pytest.raises(AccessDenied):
        services.register_contact(
            registry.agent(role="case_worker"),
            registry.world.anna,
            channel="balie",
            subject="Vraag",
            content="Inhoud",
        )
    assert not Contact.objects.exists()
    assert not NumberSeries.objects.filter(last__gt=0).exists()
    denied = AuditEntry.objects.get(outcome=AuditOutcome.DENIED, operation="register-contact")
    assert denied.actor == "kim"


def test_warm_transfer_colleague_opens_the_contact_by_number(registry: Registry) -> None:
    contact = _register(registry, subject="Bezwaar WOZ", content="Vindt de WOZ-waarde te hoog.")
    task = services.handover(
        registry.agent(), contact, assign_to=[registry.colleague], explanation="Graag terugbellen"
    )
    assert task.kind == TaskKind.HANDOVER and contact.nummer in task.requested_action

    colleague = registry.agent(actor="karel")
    before = ProcessingLogRecord.objects.filter(operation="read").count()
    found = selectors.contact_by_number(colleague, f" {contact.nummer.lower()} ")
    assert found is not None
    assert (found.subject, found.content) == ("Bezwaar WOZ", "Vindt de WOZ-waarde te hoog.")
    assert ProcessingLogRecord.objects.filter(operation="read").count() == before + 1
    assert AuditEntry.objects.filter(actor="karel", operation="read").exists()
    assert selectors.contact_by_number(colleague, "KC-1999-000001") is None


def test_callback_request_is_picked_up_by_a_colleague_of_the_team(registry: Registry) -> None:
    contact = _register(registry, subject="Aanslag onduidelijk", content="Wil uitleg over aanslag.")
    task = services.request_callback(
        registry.agent(), contact, assign_to=[registry.team], phone="06 1234 5678"
    )
    assert task.requested_action == "Terugbellen op 0612345678"

    colleague = registry.agent(actor="karel")
    work = selectors.open_tasks_for_actor(colleague, registry.colleague)
    assert [t.nummer for t in work.tasks] == [task.nummer]
    detail = selectors.task_detail(colleague, str(task.uuid))
    assert detail is not None and detail.contact.content == "Wil uitleg over aanslag."

    services.complete_task(colleague, detail, note="Uitgelegd, klant tevreden.")
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.done_by == "karel" and task.done_at
    assert "klant tevreden" in task.explanation
    assert selectors.open_tasks_for_actor(colleague, registry.colleague).tasks == []
    with pytest.raises(ValidationError, match="al verwerkt"):
        services.complete_task(colleague, task)


def test_task_needs_an_action_and_an_active_assignee(registry: Registry) -> None:
    contact = _register(registry)
    registry.colleague.active = False
    registry.colleague.save()
    with pytest.raises(ValidationError) as raised:
        services.create_internal_task(
            registry.agent(), contact, requested_action="", assign_to=[registry.colleague]
        )
    assert set(raised.value.message_dict) == {"gevraagdeHandeling", "toegewezenAanActoren"}
    assert not InternalTask.objects.exists()


def test_work_list_logs_one_record_per_data_subject_on_the_page(registry: Registry) -> None:
    for party in (registry.world.anna, registry.world.bert, registry.world.anna):
        contact = _register(registry, party=party)
        services.request_callback(registry.agent(), contact, assign_to=[registry.team])
    trace_before = set(ProcessingLogRecord.objects.values_list("trace_id", flat=True))
    work = selectors.open_tasks_for_actor(registry.agent(actor="karel"), registry.team)
    assert work.total == 3
    records = ProcessingLogRecord.objects.exclude(trace_id__in=trace_before)
    assert sorted(records.values_list("data_subject_id", flat=True)) == sorted(
        [log.pseudonymise("bsn", BSN_ANNA), log.pseudonymise("bsn", BSN_BERT)]
    )


def test_confidential_contact_stays_with_its_organisation(registry: Registry) -> None:
    contact = _register(registry, confidential=True, subject="Huiselijk geweld")
    other = registry.agent(organisation=registry.world.housing.code)
    with pytest.raises(AccessDenied, match="vertrouwelijk"):
        selectors.contact_by_number(other, contact.nummer)
    assert selectors.contacts_for_party(other, registry.world.anna) == []
    assert selectors.contacts_for_party(registry.agent(), registry.world.anna) == [contact]


def test_client_view_shows_recent_contacts_of_every_organisation(registry: Registry) -> None:
    _register(registry, subject="Afvalpas kwijt")
    services.register_contact(
        registry.agent(organisation=registry.world.housing.code),
        registry.world.anna,
        channel="balie",
        subject="Lekkage badkamer",
        content="Meldt lekkage.",
    )
    result = gate.read(registry.agent(), registry.world.anna, ["contact.history"])
    history = result.values["contact.history"].value
    assert [(c["onderwerp"], c["organisatie"]) for c in history] == [
        ("Lekkage badkamer", "Woonstichting Test"),
        ("Afvalpas kwijt", "Gemeente Test"),
    ]


def test_digital_addresses_are_validated(registry: Registry) -> None:
    with pytest.raises(ValidationError) as raised:
        services.add_digital_address(
            registry.agent(), registry.world.bert, kind="email", address="geen-adres"
        )
    assert "e-mailadres" in raised.value.message_dict["adres"][0]
    phone = services.add_digital_address(
        registry.agent(), registry.world.bert, kind="telefoonnummer", address="06-12345678"
    )
    assert phone.address == "0612345678"
