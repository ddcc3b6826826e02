"""Connector of the municipal taxpayer accounts: the IBAN municipal taxes are paid from.

The writer validates here, in the source, so the desk, the portal and the API all get
the same clear refusal of a mistyped account number.
"""

from __future__ import annotations

import re
from typing import Any

from klantocratie.connectors.base import ChangeRejected, LocalRegistryConnector, PartyRef, register

from .models import TaxpayerAccount

_IBAN_RE = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}")
# A Dutch IBAN: NL, two check digits, four letters of the bank, ten digits.
_DUTCH_IBAN_RE = re.compile(r"NL[0-9]{2}[A-Z]{4}[0-9]{10}")


def iban_checksum_ok(iban: str) -> bool:
    """ISO 13616: move the first four characters to the end, letters to 10..35, mod 97 is 1."""
    rearranged = iban[4:] + iban[:4]
    return int("".join(str(int(char, 36)) for char in rearranged)) % 97 == 1


def clean_iban(value: Any) -> str:
    """The IBAN in its electronic form (capitals, no spaces), or a Dutch refusal."""
    if value is None or value == "":
        raise ChangeRejected(
            "Vul een IBAN in; gemeentelijke belastingen hebben een rekening nodig."
        )
    if not isinstance(value, str):
        raise ChangeRejected("Een IBAN moet tekst zijn.")
    iban = "".join(value.split()).upper()
    if not _IBAN_RE.fullmatch(iban):
        raise ChangeRejected(
            "Dit is geen IBAN. Een Nederlands IBAN is NL, 2 cijfers, 4 letters van de bank en "
            "10 cijfers, zoals NL91 ABNA 0417 1643 00."
        )
    if iban.startswith("NL") and not _DUTCH_IBAN_RE.fullmatch(iban):
        raise ChangeRejected(
            "Een Nederlands IBAN heeft 18 tekens: NL, 2 cijfers, 4 letters en 10 cijfers."
        )
    if not iban_checksum_ok(iban):
        raise ChangeRejected(
            "Dit IBAN klopt niet: de controlecijfers passen niet bij het rekeningnummer. "
            "Controleer het op een tikfout."
        )
    return iban


def read_iban(party: PartyRef) -> str | None:
    rows = list(TaxpayerAccount.objects.filter(bsn=party.value).values_list("iban", flat=True)[:1])
    return rows[0] or None if rows else None


def write_iban(party: PartyRef, value: Any) -> None:
    TaxpayerAccount.objects.update_or_create(bsn=party.value, defaults={"iban": clean_iban(value)})


@register("local.municipaltax")
class MunicipalTaxConnector(LocalRegistryConnector):
    health_model = TaxpayerAccount
    readers = {"person.iban_municipal_taxes": read_iban}
    writers = {"person.iban_municipal_taxes": write_iban}
