import pytest
from hypothesis import given
from hypothesis import strategies as st

from selfcare import InvalidPhoneNumber, PhoneNumber, ValidationError


@pytest.mark.parametrize(
    "typed",
    [
        "8 916 123-45-67",
        "+7 (916) 123-45-67",
        "89161234567",
        "+79161234567",
        "9161234567",
        "8(916)1234567",
        "+7 916 123 45 67",
    ],
)
def test_parse_reads_what_people_type(typed: str) -> None:
    assert PhoneNumber.parse(typed, "RU").e164 == "+79161234567"


def test_formats() -> None:
    number = PhoneNumber("+79161234567")
    assert str(number) == number == "+79161234567"
    assert number.international == "+7 916 123-45-67"
    assert number.national == "8 (916) 123-45-67"
    assert number.region == "RU"
    assert repr(number) == "PhoneNumber('+79161234567')"


def test_region_decides_national_numbers() -> None:
    assert PhoneNumber.parse("020 7946 0018", "GB").e164 == "+442079460018"
    assert PhoneNumber.parse("+7 701 555 01 99", "RU").region == "KZ"


@pytest.mark.parametrize(
    "bad", ["", "hello", "123", "+7 916 123", "8 800 000-00-00-00", "+0123456789"]
)
def test_parse_refuses_invalid_numbers_naming_them(bad: str) -> None:
    with pytest.raises(InvalidPhoneNumber) as info:
        PhoneNumber.parse(bad, "RU")
    assert isinstance(info.value, ValueError) and isinstance(info.value, ValidationError)
    assert repr(bad) in str(info.value)


@pytest.mark.parametrize("bad", ["89161234567", "+7 916 123 45 67", "+0916", 79161234567])
def test_constructor_takes_e164_only(bad: object) -> None:
    with pytest.raises(InvalidPhoneNumber, match="E.164"):
        PhoneNumber(bad)  # type: ignore[arg-type]


def test_parse_refuses_non_text() -> None:
    with pytest.raises(InvalidPhoneNumber, match="must be text"):
        PhoneNumber.parse(79161234567)  # type: ignore[arg-type]


@given(
    operator=st.sampled_from(["903", "905", "915", "916", "925", "926", "977", "985"]),
    rest=st.text("0123456789", min_size=7, max_size=7),
    style=st.sampled_from(
        [
            "+7 {o} {a}-{b}-{c}",
            "8 ({o}) {a}-{b}-{c}",
            "8{o}{a}{b}{c}",
            "+7({o}){a} {b} {c}",
            "{o}-{a}-{b}-{c}",
        ]
    ),
)
def test_every_typed_form_normalises_to_one_e164(operator: str, rest: str, style: str) -> None:
    typed = style.format(o=operator, a=rest[:3], b=rest[3:5], c=rest[5:])
    number = PhoneNumber.parse(typed, "RU")
    assert number.e164 == f"+7{operator}{rest}"
    assert PhoneNumber.parse(number.international, "RU") == number
    assert PhoneNumber.parse(number.national, "RU") == number
