import pytest
from django.core.exceptions import ValidationError

from cases.validators import (
    nhs_number_check_digit,
    upn_check_letter,
    validate_nhs_number,
    validate_upn,
)


def test_it_accepts_a_valid_nhs_number_with_spaces() -> None:
    validate_nhs_number("943 476 5919")


@pytest.mark.parametrize("number", ["9434765918", "9434765910", "1234567890"])
def test_it_refuses_an_nhs_number_failing_modulus_11(number: str) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_nhs_number(number)
    assert caught.value.code == "check_digit"


@pytest.mark.parametrize("number", ["943476591", "94347659190", "94347659A9", ""])
def test_it_refuses_an_nhs_number_of_the_wrong_shape(number: str) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_nhs_number(number)
    assert caught.value.code == "format"


def test_a_remainder_of_ten_has_no_valid_check_digit() -> None:
    # 10*1 + 9*0 + ... chosen so that 11 - (sum % 11) == 10
    digits = next(
        f"{n:09d}" for n in range(10**8, 10**8 + 1000) if nhs_number_check_digit(f"{n:09d}") is None
    )
    for last in "0123456789":
        with pytest.raises(ValidationError):
            validate_nhs_number(digits + last)


def test_it_accepts_a_upn_with_its_check_letter() -> None:
    body = "820200109001"
    validate_upn(upn_check_letter(body) + body)


def test_it_accepts_a_temporary_upn_ending_in_a_letter() -> None:
    body = "82020010900A"
    validate_upn(upn_check_letter(body) + body)


def test_it_computes_the_check_letter_by_hand_worked_weights() -> None:
    # Characters 2 to 13 carry weights 2 to 13; the sum modulo 23 indexes the letters
    # ABCDEFGHJKLMNPQRTUVWXYZ (no I, O or S).
    assert upn_check_letter("000000000001") == "P"  # 1 x 13 = 13 -> P
    assert upn_check_letter("100000000000") == "C"  # 1 x 2 = 2 -> C
    assert upn_check_letter("000000000002") == "D"  # 2 x 13 = 26, 26 mod 23 = 3 -> D


def test_it_refuses_a_upn_with_the_wrong_check_letter() -> None:
    body = "820200109001"
    wrong = next(letter for letter in "ABC" if letter != upn_check_letter(body))
    with pytest.raises(ValidationError) as caught:
        validate_upn(wrong + body)
    assert caught.value.code == "check_letter"


@pytest.mark.parametrize("upn", ["A12345678901", "1123456789012", "AA23456789012", "I123456789012"])
def test_it_refuses_a_upn_of_the_wrong_shape(upn: str) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_upn(upn)
    assert caught.value.code == "format"
