"""Sending documents and photos to a case from the personal page: the limits, types
recognised by their content, and photos stored without their metadata (GPS above all)."""

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image, ImageCms, PngImagePlugin

from klantocratie.cases import services
from klantocratie.cases.models import Case, CaseDocument
from klantocratie.contacts import uploads
from klantocratie.privacy.models import ProcessingLogRecord
from tests.cases.conftest import worker
from tests.cases.test_services import permit, wmo
from tests.support.portal import PortalWorld

from .test_cases import acting_for_riky, case_url, with_case_types

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# EXIF tag numbers: Orientation, Make, Model, the GPS IFD pointer; GPS latitude fields.
ORIENTATION, MAKE, MODEL, GPS_IFD = 0x0112, 0x010F, 0x0110, 0x8825
GPS_LATITUDE_REF, GPS_LATITUDE = 1, 2


@pytest.fixture
def world(portal_world: PortalWorld) -> PortalWorld:
    return with_case_types(portal_world)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media"


def photo_with_gps(width: int = 40, height: int = 20, orientation: int = 1) -> bytes:
    """A JPEG as a phone makes it: EXIF with camera, GPS position and orientation."""
    image = Image.new("RGB", (width, height), (200, 30, 30))
    exif = Image.Exif()
    exif[MAKE] = "Fonecam"
    exif[MODEL] = "X1"
    exif[ORIENTATION] = orientation
    gps = exif.get_ifd(GPS_IFD)
    gps[GPS_LATITUDE_REF] = "N"
    gps[GPS_LATITUDE] = (52.0, 21.0, 24.0)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif, comment=b"Thuis, Almelo")
    return out.getvalue()


def send(client: Client, case: Case, data: bytes, name: str, doc_type: str = "tekening"):  # type: ignore[no-untyped-def]
    return client.post(
        case_url(case, "upload"),
        {"documenttype": doc_type, "titel": "", "bestand": SimpleUploadedFile(name, data)},
    )


def stored(document: CaseDocument) -> bytes:
    with document.file.open("rb") as handle:
        return handle.read()


def test_the_limits_are_stated_before_choosing_a_file(
    world: PortalWorld,
    riky_client: Client,
) -> None:
    page = riky_client.get(case_url(permit(world.riky))).content.decode()
    assert "hoogstens 10,0 MB" in page and "PDF, JPEG, PNG" in page
    assert 'accept="application/pdf,image/jpeg,image/png"' in page
    assert "plaats waar de foto is gemaakt (GPS)" in page


def test_a_pdf_is_added_through_the_gate(world: PortalWorld, riky_client: Client) -> None:
    case = permit(world.riky)
    before = ProcessingLogRecord.objects.filter(operation="zaakdocument toevoegen").count()
    response = send(riky_client, case, PDF, "gevel.pdf")
    assert response.status_code == 302 and response["Location"].endswith("#documenten")
    document = case.documents.get()
    assert document.title == "gevel.pdf" and stored(document) == PDF
    assert document.added_by == "demo-inwoner"
    assert (
        ProcessingLogRecord.objects.filter(operation="zaakdocument toevoegen").count() == before + 1
    )
    page = riky_client.get(case_url(case)).content.decode()
    assert "gevel.pdf" in page and '<td data-label="Van">U</td>' in page
    download = riky_client.get(f"{case_url(case)}documenten/{document.uuid}/")
    assert b"".join(download.streaming_content) == PDF


def test_a_file_over_the_limit_is_refused_before_it_is_read(
    world: PortalWorld,
    riky_client: Client,
    settings,  # type: ignore[no-untyped-def]
) -> None:
    settings.KLANTOCRATIE_ATTACHMENT_MAX_BYTES = 1024
    case = permit(world.riky)
    response = send(riky_client, case, PDF + b"0" * 2048, "groot.pdf")
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="upload-bestand-fout">Het bestand is te groot (2 kB); de grens is 1 kB.' in page
    assert 'aria-describedby="upload-bestand-uitleg upload-bestand-fout"' in page
    assert not case.documents.exists()


def test_a_forbidden_type_is_refused_whatever_its_name(
    world: PortalWorld,
    riky_client: Client,
) -> None:
    case = permit(world.riky)
    response = send(riky_client, case, b"MZ\x90\x00 a program", "tekening.pdf")
    assert response.status_code == 400
    assert "Dit soort bestand wordt niet aanvaard. Toegestaan: PDF, JPEG, PNG." in (
        response.content.decode()
    )
    webp = io.BytesIO()
    Image.new("RGB", (4, 4)).save(webp, format="WEBP")
    assert send(riky_client, case, webp.getvalue(), "foto.webp").status_code == 400
    assert not case.documents.exists()


def test_a_fake_image_is_refused(world: PortalWorld, riky_client: Client) -> None:
    case = permit(world.riky)
    response = send(riky_client, case, b"\xff\xd8\xff\xe0 not really a photo", "foto.jpg")
    assert response.status_code == 400
    assert "lijkt een JPEG-afbeelding, maar is beschadigd of onleesbaar" in (
        response.content.decode()
    )
    assert not case.documents.exists()


def test_an_outgoing_document_type_cannot_be_sent_by_the_resident(
    world: PortalWorld,
    riky_client: Client,
) -> None:
    case = permit(world.riky)
    response = send(riky_client, case, PDF, "besluit.pdf", doc_type="besluit")
    assert response.status_code == 400 and 'id="upload-documenttype-fout"' in (
        response.content.decode()
    )
    assert not case.documents.exists()


def test_a_case_type_without_incoming_documents_offers_no_upload(
    world: PortalWorld,
    riky_client: Client,
) -> None:
    case = wmo(world.riky)
    assert 'id="upload-bestand"' not in riky_client.get(case_url(case)).content.decode()
    response = send(riky_client, case, PDF, "verslag.pdf", doc_type="gespreksverslag")
    assert response.status_code == 302 and not case.documents.exists()


def test_gps_and_other_exif_are_removed_from_a_photo_and_its_orientation_kept(
    world: PortalWorld,
    riky_client: Client,
) -> None:
    original = photo_with_gps(40, 20, orientation=6)  # shown turned a quarter clockwise
    with Image.open(io.BytesIO(original)) as check:
        assert check.getexif().get_ifd(GPS_IFD)  # the test photo does carry a position
    case = permit(world.riky)
    assert send(riky_client, case, original, "IMG_0042.jpg").status_code == 302
    document = case.documents.get()
    data = stored(document)
    assert document.content_type == "image/jpeg" and document.size == len(data)
    assert b"Exif" not in data and b"Fonecam" not in data and b"Thuis" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert not image.getexif()
        assert "comment" not in image.info and "icc_profile" not in image.info
        assert image.size == (20, 40)  # the turn is applied to the pixels


def test_png_text_chunks_and_colour_profile_are_removed(
    world: PortalWorld,
    riky_client: Client,
) -> None:
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Riky ter Horst")
    info.add_itxt("Location", "Almelo, thuis")
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    out = io.BytesIO()
    Image.new("RGBA", (8, 8), (0, 128, 0, 200)).save(
        out, format="PNG", pnginfo=info, icc_profile=profile
    )
    case = permit(world.riky)
    assert send(riky_client, case, out.getvalue(), "schets.png").status_code == 302
    data = stored(case.documents.get())
    assert b"tEXt" not in data and b"iTXt" not in data and b"iCCP" not in data
    assert b"Riky" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert image.mode == "RGBA" and image.getpixel((0, 0)) == (0, 128, 0, 200)
        assert not image.info.get("icc_profile")


def test_webp_metadata_is_removed_too() -> None:
    exif = Image.Exif()
    exif[MAKE] = "Fonecam"
    out = io.BytesIO()
    Image.new("RGB", (6, 6), (10, 20, 30)).save(out, format="WEBP", exif=exif, lossless=True)
    assert uploads.sniff_content_type(out.getvalue()) == "image/webp"
    clean = uploads.without_metadata(out.getvalue(), "image/webp")
    assert b"Fonecam" not in clean and b"EXIF" not in clean
    with Image.open(io.BytesIO(clean)) as image:
        assert image.format == "WEBP" and not image.getexif()


def test_an_image_of_enormous_dimensions_is_refused(settings) -> None:  # type: ignore[no-untyped-def]
    out = io.BytesIO()
    Image.new("L", (400, 400)).save(out, format="PNG")
    original = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = 1000
    try:
        with pytest.raises(uploads.UnreadableImage):
            uploads.without_metadata(out.getvalue(), "image/png")
    finally:
        Image.MAX_IMAGE_PIXELS = original


def test_another_resident_cannot_send_or_fetch_documents_of_rikys_case(
    world: PortalWorld,
    riky_client: Client,
    other_client: Client,
) -> None:
    case = permit(world.riky)
    send(riky_client, case, PDF, "gevel.pdf")
    document = case.documents.get()
    assert send(other_client, case, PDF, "ander.pdf").status_code == 404
    assert case.documents.count() == 1
    assert other_client.get(f"{case_url(case)}documenten/{document.uuid}/").status_code == 404


def test_daan_sends_a_photo_for_riky(
    world: PortalWorld,
    login_as: Callable[[str], Client],
) -> None:
    case = permit(world.riky)
    daan = acting_for_riky(login_as, world)
    assert send(daan, case, photo_with_gps(), "foto.jpg").status_code == 302
    document = case.documents.get()
    assert document.added_by == "demo-inwoner-daan" and b"Exif" not in stored(document)


def test_a_resident_sends_a_document_to_a_case_shared_with_a_partner(
    world: PortalWorld, riky_client: Client
) -> None:
    # Her own grant does not cover the partner; sending her bank statements is her act.
    case = services.start_case(
        worker(),
        case_type="bijstand-levensonderhoud",
        clients=[services.Client(world.riky), services.Client(world.other, "partner")],
        description="Bijstand voor het huishouden",
    )
    response = send(riky_client, case, PDF, "afschrift.pdf", doc_type="bankafschriften")
    assert response.status_code == 302
    assert case.documents.get().title == "afschrift.pdf"
