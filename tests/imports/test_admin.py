"""The upload page in the admin: staff with the add permission load a file and see it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from klantocratie.imports.models import BatchStatus, ImportBatch
from klantocratie.imports.services import run_queued
from klantocratie.sources.housing.models import Complaint

from .conftest import Sources, complaint, csv_bytes

ADD = "/beheer/imports/importbatch/add/"


def staff(*permissions: str) -> User:
    user = User.objects.create_user(f"beheer-{len(permissions)}", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=permissions))
    return user


def upload(client: Client, sources: Sources, content: bytes, **fields: Any) -> Any:
    return client.post(
        ADD,
        {
            "source": sources.housing.pk,
            "file": SimpleUploadedFile("klachten.csv", content, content_type="text/csv"),
            **fields,
        },
    )


def test_an_upload_loads_the_file_and_shows_its_report(
    client: Client,
    sources: Sources,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    client.force_login(staff("add_importbatch"))
    page = client.get(ADD)
    assert page.status_code == 200
    assert "huuradministratie" in page.content.decode()
    assert "<code>geboortedatum</code>" in page.content.decode()
    content = csv_bytes([complaint("K-1"), complaint("K-2", huisnummer="nul")])
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, sources, content)
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/beheer/imports/importbatch/{batch.pk}/change/"
    assert (batch.status, batch.created, batch.rejected, batch.requested_by) == (
        BatchStatus.LOADED,
        1,
        1,
        "beheer-1",
    )
    assert batch.upload == ""
    assert not list((Path(batch.rejects_file).parent.parent / "uploads").iterdir())
    assert Complaint.objects.get().reference == "K-1"
    shown = client.get(response["Location"]).content.decode()
    assert "2 regels gelezen: 1 nieuw" in shown
    assert "Huisnummer &#x27;nul&#x27; niet herkend" in shown
    download = client.get(f"/beheer/imports/importbatch/{batch.pk}/afgekeurd/")
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    assert b"K-2" in download.getvalue()


def test_all_or_nothing_from_the_upload_page(
    client: Client, sources: Sources, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    client.force_login(staff("add_importbatch"))
    content = csv_bytes([complaint("K-1"), complaint("K-2", datum="morgen")])
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, sources, content, all_or_nothing="on")
    assert ImportBatch.objects.get().status == BatchStatus.REJECTED
    assert not Complaint.objects.exists()


def test_batches_cannot_be_changed_or_deleted(client: Client, sources: Sources) -> None:
    client.force_login(User.objects.create_superuser("root"))
    batch = ImportBatch.objects.create(
        source=sources.housing, file_name="x.csv", status=BatchStatus.EMPTY, requested_by="x"
    )
    page = client.get(f"/beheer/imports/importbatch/{batch.pk}/change/").content.decode()
    assert 'name="_save"' not in page
    assert client.get(f"/beheer/imports/importbatch/{batch.pk}/delete/").status_code == 403


@pytest.mark.parametrize("permissions", [(), ("view_source",)])
def test_staff_without_the_add_permission_cannot_upload(
    client: Client, sources: Sources, permissions: tuple[str, ...]
) -> None:
    client.force_login(staff(*permissions))
    assert client.get(ADD).status_code == 403
    assert upload(client, sources, csv_bytes([complaint("K-1")])).status_code == 403
    assert not ImportBatch.objects.exists()


def test_someone_who_is_not_staff_is_sent_to_the_login(client: Client, sources: Sources) -> None:
    client.force_login(User.objects.create_user("inwoner"))
    assert client.get(ADD).status_code == 302


def test_an_upload_that_went_missing_fails_with_a_reason(sources: Sources) -> None:
    batch = ImportBatch.objects.create(
        source=sources.housing,
        file_name="x.csv",
        status=BatchStatus.QUEUED,
        upload="/nergens/x.csv",
        requested_by="x",
    )
    assert run_queued(batch.pk).status == BatchStatus.FAILED
    batch.refresh_from_db()
    assert "upload het opnieuw" in batch.summary()
    # A task delivered twice does not run the batch again.
    assert run_queued(batch.pk).finished_at == batch.finished_at
