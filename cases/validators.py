"""Validators for national identifiers: NHS number (Modulus 11) and UPN (check letter)."""

from django.core.exceptions import ValidationError

# The UPN check letter alphabet leaves out I, O and S, which are easily misread.
UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


def nhs_number_check_digit(first_nine: str) -> int | None:
    """The Modulus 11 check digit for nine digits, or None where no valid digit exists."""
    total = sum(
        int(digit) * weight for digit, weight in zip(first_nine, range(10, 1, -1), strict=True)
    )
    check = 11 - (total % 11)
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def normalise_nhs_number(value: str) -> str:
    return "".join(value.split())


def validate_nhs_number(value: str) -> None:
    digits = normalise_nhs_number(value)
    if len(digits) != 10 or not digits.isdigit():
        raise ValidationError(
            "Enter an NHS number with 10 digits, like 943 476 5919", code="format"
        )
    if nhs_number_check_digit(digits[:9]) != int(digits[9]):
        raise ValidationError(
            "Enter a valid NHS number: this one fails the check digit, so a digit may be mistyped",
            code="check_digit",
        )


def upn_check_letter(last_twelve: str) -> str:
    """The check letter for the 12 characters after it (a temporary UPN ends in a letter)."""
    total = 0
    for weight, char in zip(range(2, 14), last_twelve, strict=True):
        value = int(char) if char.isdigit() else UPN_LETTERS.index(char)
        total += value * weight
    return UPN_LETTERS[total % 23]


def validate_upn(value: str) -> None:
    upn = value.strip().upper()
    body = upn[1:]
    well_formed = (
        len(upn) == 13
        and upn[0] in UPN_LETTERS
        and body[:11].isdigit()
        and (body[11].isdigit() or body[11] in UPN_LETTERS)
    )
    if not well_formed:
        raise ValidationError(
            "Enter a unique pupil number: a letter followed by 12 characters, like A123456789012",
            code="format",
        )
    if upn_check_letter(body) != upn[0]:
        raise ValidationError(
            "Enter a valid unique pupil number: the check letter does not match",
            code="check_letter",
        )
