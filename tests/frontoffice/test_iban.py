"""The IBAN for municipal taxes: mod-97 check digits, clear Dutch refusals."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from klantocratie.connectors.base import ChangeRejected
from klantocratie.sources.municipaltax.connector import clean_iban, iban_checksum_ok


def _with_check_digits(country: str, bban: str) -> str:
    numeric = "".join(str(int(char, 36)) for char in f"{bban}{country}00")
    return f"{country}{98 - int(numeric) % 97:02d}{bban}"


banks = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=4, max_size=4)
accounts = st.integers(min_value=0, max_value=10**10 - 1)


@given(banks, accounts)
def test_every_iban_with_computed_check_digits_is_accepted(bank: str, account: int) -> None:
    iban = _with_check_digits("NL", f"{bank}{account:010d}")
    spaced = " ".join(iban[i : i + 4] for i in range(0, len(iban), 4)).lower()
    assert clean_iban(spaced) == iban


@given(banks, accounts, st.integers(min_value=4, max_value=17), st.integers(1, 9))
def test_a_single_mistyped_digit_is_refused(
    bank: str, account: int, position: int, delta: int
) -> None:
    iban = _with_check_digits("NL", f"{bank}{account:010d}")
    if not iban[position].isdigit():
        return
    typo = iban[:position] + str((int(iban[position]) + delta) % 10) + iban[position + 1 :]
    # mod 97 catches every single-character substitution.
    assert not iban_checksum_ok(typo)
    with pytest.raises(ChangeRejected, match="klopt niet"):
        clean_iban(typo)


def test_known_valid_iban() -> None:
    assert clean_iban("NL91 ABNA 0417 1643 00") == "NL91ABNA0417164300"
    assert clean_iban("DE89370400440532013000") == "DE89370400440532013000"


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("", "Vul een IBAN in"),
        (None, "Vul een IBAN in"),
        (12, "tekst"),
        ("0417164300", "Dit is geen IBAN"),
        ("NL91ABNA041716430", "18 tekens"),
        ("NL92ABNA0417164300", "klopt niet"),
    ],
)
def test_refusals_name_the_problem(value: object, fragment: str) -> None:
    with pytest.raises(ChangeRejected, match=fragment):
        clean_iban(value)
