import pytest
from django.core.exceptions import ValidationError
from hypothesis import assume, given
from hypothesis import strategies as st

from klantocratie.parties import validators
from klantocratie.parties.models import PartyIdentifier
from klantocratie.parties.services import register_party

digits = st.text(alphabet="0123456789", min_size=8, max_size=8)


def _with_check_digit(base: str) -> str | None:
    total = sum(int(d) * w for d, w in zip(base, range(9, 1, -1), strict=True))
    check = total % 11
    return None if check == 10 else base + str(check)


@given(digits)
def test_numbers_built_with_the_eleven_test_pass(base: str) -> None:
    bsn = _with_check_digit(base)
    assume(bsn is not None and bsn != "000000000")
    validators.validate_bsn(bsn)  # type: ignore[arg-type]
    validators.validate_rsin(bsn)  # type: ignore[arg-type]


@given(digits, st.integers(min_value=0, max_value=8), st.integers(min_value=1, max_value=9))
def test_one_changed_digit_fails_the_eleven_test(base: str, position: int, delta: int) -> None:
    bsn = _with_check_digit(base)
    assume(bsn is not None)
    changed = bsn[:position] + str((int(bsn[position]) + delta) % 10) + bsn[position + 1 :]  # type: ignore[index]
    assert not validators.passes_eleven_test(changed)


@given(st.text(max_size=12))
def test_bsn_validator_never_crashes(value: str) -> None:
    try:
        validators.validate_bsn(value)
    except ValidationError as error:
        assert error.messages
    else:
        assert validators.passes_eleven_test(value)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("12345678", "bsn_length"),
        ("12345678a", "bsn_not_digits"),
        ("123456789", "bsn_eleven_test"),
        ("000000000", "bsn_eleven_test"),
    ],
)
def test_invalid_bsn_says_why(value: str, code: str) -> None:
    with pytest.raises(ValidationError) as caught:
        validators.validate_bsn(value)
    assert caught.value.code == code


@pytest.mark.parametrize("value", ["7607AB", "7607 ab", " 7607 AB "])
def test_postcode_is_normalised(value: str) -> None:
    assert validators.normalise_postcode(value) == "7607AB"


@pytest.mark.parametrize(
    "value", ["0607AB", "7607", "7607 A", "76O7AB", "7607SS", "7607SA", "7607SD", "ABCD12"]
)
def test_invalid_postcodes_are_refused(value: str) -> None:
    with pytest.raises(ValidationError):
        validators.normalise_postcode(value)


@given(st.from_regex(r"\A[1-9][0-9]{3} ?[A-Z]{2}\Z"))
def test_every_well_formed_postcode_normalises_or_names_the_letters(value: str) -> None:
    try:
        normal = validators.normalise_postcode(value)
    except ValidationError as error:
        assert error.code == "postcode_letters"
    else:
        assert len(normal) == 6 and " " not in normal


@pytest.mark.parametrize("value", ["1234567", "123456789", "1234567a"])
def test_invalid_kvk_numbers(value: str) -> None:
    with pytest.raises(ValidationError, match="8 cijfers"):
        validators.validate_kvk_number(value)


def test_establishment_number() -> None:
    validators.validate_establishment_number("000012345678")
    for value in ["12345678901", "000000000000", "12345678901a"]:
        with pytest.raises(ValidationError):
            validators.validate_establishment_number(value)


@pytest.mark.django_db
class TestRegisterParty:
    def test_registers_once(self) -> None:
        first = register_party("person", {"bsn": "999990019"})
        again = register_party("person", {"bsn": "999990019"})
        assert first == again
        assert PartyIdentifier.objects.count() == 1

    def test_errors_name_the_field_and_write_nothing(self) -> None:
        with pytest.raises(ValidationError) as caught:
            register_party("organisation", {"kvk": "1234", "rsin": "123456789"})
        assert set(caught.value.message_dict) == {"kvk", "rsin"}
        assert not PartyIdentifier.objects.exists()

    def test_identifier_must_fit_the_party_type(self) -> None:
        with pytest.raises(ValidationError) as caught:
            register_party("organisation", {"bsn": "999990019"})
        assert "bsn" in caught.value.message_dict

    def test_identifiers_of_two_parties_are_not_merged(self) -> None:
        register_party("organisation", {"kvk": "12345678"})
        register_party("organisation", {"rsin": "999990019"})
        with pytest.raises(ValidationError, match="verschillende partijen"):
            register_party("organisation", {"kvk": "12345678", "rsin": "999990019"})

    def test_unknown_identifier_type(self) -> None:
        with pytest.raises(ValidationError) as caught:
            register_party("person", {"passport": "X1"})
        assert "identifier_type" in caught.value.message_dict


# Digits of other scripts (Arabic-Indic, superscripts, fullwidth) pass str.isdigit().
_FOREIGN_DIGITS = st.characters(categories=["Nd", "No"]).filter(lambda c: c not in "0123456789")


@given(st.lists(_FOREIGN_DIGITS, min_size=1, max_size=3), st.integers(0, 8))
def test_identifiers_refuse_digits_of_other_scripts(foreign: list[str], at: int) -> None:
    for validate, valid in [
        (validators.validate_bsn, "999990019"),
        (validators.validate_rsin, "999990019"),
        (validators.validate_kvk_number, "12345678"),
        (validators.validate_establishment_number, "000012345678"),
    ]:
        value = valid[:at] + "".join(foreign) + valid[at + len(foreign) :]
        with pytest.raises(ValidationError):
            validate(value)


@pytest.mark.django_db
def test_identifier_full_clean_names_the_value() -> None:
    from klantocratie.parties.models import Party, PartyIdentifier

    party = Party.objects.create(party_type="person")
    with pytest.raises(ValidationError) as caught:
        PartyIdentifier(party=party, identifier_type="bsn", value="123456789").full_clean()
    assert caught.value.message_dict == {"value": ["Dit BSN voldoet niet aan de elfproef."]}
    PartyIdentifier(party=party, identifier_type="bsn", value="999990019").full_clean()
