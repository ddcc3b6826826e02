"""Recognising attachments by their content: a file's name and declared type are claims.

Photos are stored without what they carry besides their pixels: a phone photo's EXIF
holds where it was taken (GPS), when, and with which device; XMP, IPTC, comments and
colour profiles can name people and software. Only the pixels are re-encoded.
"""

from __future__ import annotations

import io
import warnings
from email import message_from_bytes, policy
from email.message import EmailMessage

from django.conf import settings
from PIL import Image, ImageCms, ImageOps

EMAIL_CONTENT_TYPE = "message/rfc822"

# Leading bytes ("magic numbers") of the file types a scan can arrive in.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)
# A WebP file is a RIFF container whose form type sits at bytes 8-11.
_RIFF, _WEBP = b"RIFF", b"WEBP"

# The image types whose metadata is removed before storage, with Pillow's format name.
IMAGE_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}
SUFFIXES = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}
# Pixel modes each format stores as they are; other modes are converted first.
_STORABLE_MODES = {
    "JPEG": {"L", "RGB", "CMYK"},
    "PNG": {"1", "L", "LA", "I", "I;16", "RGB", "RGBA"},
    "WEBP": {"RGB", "RGBA"},
}

_TYPE_NAMES = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/webp": "WebP",
    EMAIL_CONTENT_TYPE: "e-mail (.eml)",
}


class MalformedEmail(ValueError):
    """The bytes are not an e-mail message with a sender."""


class UnreadableImage(ValueError):
    """The bytes start like an image but do not decode as one (or are too large to)."""


def sniff_content_type(data: bytes) -> str | None:
    """The content type the bytes themselves show, or None when none is recognised."""
    for signature, content_type in _SIGNATURES:
        if data.startswith(signature):
            return content_type
    if data[:4] == _RIFF and data[8:12] == _WEBP:
        return "image/webp"
    return None


def without_metadata(data: bytes, content_type: str) -> bytes:
    """The image re-encoded from its pixels alone, turned the way it was meant to be seen.

    Everything else is left behind: EXIF (GPS, time, device), XMP, IPTC, comments, PNG
    text chunks and the colour profile (the pixels are converted to sRGB first, so the
    photo looks the same). Other content types are returned as they are.
    """
    image_format = IMAGE_FORMATS.get(content_type)
    if image_format is None:
        return data
    try:
        with warnings.catch_warnings():
            # A "decompression bomb" (a small file of enormous dimensions) is refused.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[image_format]) as opened:
                opened.load()
                upright = ImageOps.exif_transpose(opened)
                pixels = _in_srgb(upright, opened.info.get("icc_profile"))
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise UnreadableImage(
            f"Het bestand lijkt een {_TYPE_NAMES[content_type]}-afbeelding, maar is "
            "beschadigd of onleesbaar."
        ) from error
    if pixels.mode not in _STORABLE_MODES[image_format]:
        has_alpha = "A" in pixels.getbands() or "transparency" in pixels.info
        keeps_alpha = image_format != "JPEG" and has_alpha
        pixels = pixels.convert("RGBA" if keeps_alpha else "RGB")
    # A fresh image from the raw pixels carries no info dictionary at all, so no writer
    # can copy a comment, profile or text chunk across by default.
    clean = Image.frombytes(pixels.mode, pixels.size, pixels.tobytes())
    out = io.BytesIO()
    if image_format == "JPEG":
        clean.save(out, format="JPEG", quality=90, optimize=True)
    elif image_format == "WEBP":
        clean.save(out, format="WEBP", quality=90)
    else:
        clean.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _in_srgb(image: Image.Image, icc_profile: bytes | None) -> Image.Image:
    """The pixels converted from their embedded colour profile to sRGB, if they have one."""
    if not icc_profile or image.mode not in {"RGB", "RGBA", "CMYK"}:
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
    except (OSError, ImageCms.PyCMSError):
        # A profile that cannot be read cannot be applied; the pixels stay as they are.
        return image
    target = ImageCms.createProfile("sRGB")
    mode = "RGBA" if image.mode == "RGBA" else "RGB"
    converted = ImageCms.profileToProfile(image, source, target, outputMode=mode)
    return converted if converted is not None else image


def suffix_for(content_type: str) -> str:
    """The file-name extension stored files of this (accepted) type get."""
    return SUFFIXES[content_type]


def parse_email(data: bytes) -> EmailMessage:
    """Parse an RFC 5322 message; refuse what has no header block or no sender."""
    message = message_from_bytes(data, policy=policy.default)
    if not isinstance(message, EmailMessage) or not message.keys():
        raise MalformedEmail("Het bestand bevat geen e-mailkoppen; het is geen e-mail.")
    try:
        sender = message.get("From")
        addresses = getattr(sender, "addresses", ()) if sender else ()
    except (ValueError, IndexError, TypeError) as error:
        raise MalformedEmail("De afzender (From) van de e-mail is onleesbaar.") from error
    if not addresses or not addresses[0].addr_spec or "@" not in addresses[0].addr_spec:
        raise MalformedEmail("De e-mail heeft geen geldige afzender (From).")
    return message


def max_bytes() -> int:
    return int(settings.KLANTOCRATIE_ATTACHMENT_MAX_BYTES)


def allowed_types() -> list[str]:
    return [t.strip() for t in settings.KLANTOCRATIE_ATTACHMENT_TYPES if t.strip()]


def describe_types(types: list[str]) -> str:
    return ", ".join(_TYPE_NAMES.get(t, t) for t in types)


def human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")
    return f"{max(size // 1024, 1)} kB"
