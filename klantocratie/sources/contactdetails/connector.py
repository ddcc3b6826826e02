"""Connector of the client register: phone, e-mail and correspondence preference.

All three elements can be changed by the resident or an agent through the gate; the
writers validate here, in the source, so every channel gets the same clear refusal.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db.models.functions import Upper

from klantocratie.connectors.base import (
    ChangeRejected,
    LocalRegistryConnector,
    PartyRef,
    SearchCriteria,
    register,
    row_once,
)

from .models import ContactDetails, CorrespondencePreference

# A Dutch number is 0 or +31 followed by 9 digits, the first not 0.
_PHONE_RE = re.compile(r"^(?:0|\+31)[1-9][0-9]{8}$")
_PHONE_SEPARATORS_RE = re.compile(r"[\s\-]")
# No allowlist: Django allows "user@localhost" by default, never a resident's address.
_validate_email = EmailValidator(allowlist=[])


def _field(party: PartyRef, name: str) -> Any:
    def fetch() -> dict[str, Any] | None:
        rows = ContactDetails.objects.filter(bsn=party.value)
        found = list(rows.values("phone", "email", "correspondence_preference")[:1])
        return dict(found[0]) if found else None

    row = row_once(("contactdetails", party.value), fetch)
    return None if row is None else row[name]


def read_phone(party: PartyRef) -> str | None:
    return _field(party, "phone") or None


def read_email(party: PartyRef) -> str | None:
    return _field(party, "email") or None


def read_correspondence_preference(party: PartyRef) -> str | None:
    return _field(party, "correspondence_preference")


def _text_or_empty(value: Any, what: str) -> str:
    """None or '' clears the value; anything else must be text."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ChangeRejected(f"{what} moet tekst zijn.")
    return value.strip()


def clean_phone(value: Any) -> str:
    phone = _PHONE_SEPARATORS_RE.sub("", _text_or_empty(value, "Een telefoonnummer"))
    if phone and not _PHONE_RE.match(phone):
        raise ChangeRejected(
            "Dit is geen geldig Nederlands telefoonnummer. Gebruik 10 cijfers die met 0 "
            "beginnen (zoals 06 12345678) of +31 gevolgd door 9 cijfers."
        )
    return phone


def clean_email(value: Any) -> str:
    email = _text_or_empty(value, "Een e-mailadres")
    if email:
        try:
            _validate_email(email)
        except ValidationError:
            raise ChangeRejected(
                "Dit is geen geldig e-mailadres. Een e-mailadres ziet eruit als naam@voorbeeld.nl."
            ) from None
    return email


def clean_correspondence_preference(value: Any) -> str:
    if value not in CorrespondencePreference.values:
        choices = ", ".join(CorrespondencePreference.values)
        raise ChangeRejected(f"Kies als voorkeur voor correspondentie één van: {choices}.")
    return str(value)


def write_phone(party: PartyRef, value: Any) -> None:
    ContactDetails.objects.update_or_create(bsn=party.value, defaults={"phone": clean_phone(value)})


def write_email(party: PartyRef, value: Any) -> None:
    ContactDetails.objects.update_or_create(bsn=party.value, defaults={"email": clean_email(value)})


def write_correspondence_preference(party: PartyRef, value: Any) -> None:
    ContactDetails.objects.update_or_create(
        bsn=party.value,
        defaults={"correspondence_preference": clean_correspondence_preference(value)},
    )


def _phone_forms(phone: str) -> list[str]:
    """A number is stored as the resident gave it: 06… or +316…; search both."""
    if phone.startswith("+31"):
        return [phone, "0" + phone[3:]]
    if phone.startswith("0"):
        return [phone, "+31" + phone[1:]]
    return [phone]


def find_by_contact_details(criteria: SearchCriteria) -> list[PartyRef]:
    rows = ContactDetails.objects.all()
    if "person.phone" in criteria:
        rows = rows.filter(phone__in=_phone_forms(criteria["person.phone"]))
    if "person.email" in criteria:
        # Compared upper-cased, which the functional index on UPPER(email) serves.
        rows = rows.annotate(email_upper=Upper("email")).filter(
            email_upper=criteria["person.email"].upper()
        )
    return [PartyRef("bsn", bsn) for bsn in rows.order_by("bsn").values_list("bsn", flat=True)]


@register("local.contactdetails")
class ContactDetailsConnector(LocalRegistryConnector):
    health_model = ContactDetails
    search_elements = frozenset({"person.phone", "person.email"})
    finder = find_by_contact_details
    readers = {
        "person.phone": read_phone,
        "person.email": read_email,
        "person.correspondence_preference": read_correspondence_preference,
    }
    writers = {
        "person.phone": write_phone,
        "person.email": write_email,
        "person.correspondence_preference": write_correspondence_preference,
    }
