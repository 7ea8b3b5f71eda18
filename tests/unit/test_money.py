from decimal import Decimal

import pytest

from selfcare import CurrencyMismatch, InvalidMoney, Money, Quantity, Unit


def test_money_accepts_exact_inputs() -> None:
    assert Money("12.50", "RUB").amount == Decimal("12.50")
    assert Money(100, "RUB").amount == Decimal(100)
    assert Money(Decimal("0.1"), "USD") + Money(Decimal("0.2"), "USD") == Money("0.3", "USD")


@pytest.mark.parametrize("bad", [1.5, 0.1, float("nan"), True])
def test_money_refuses_floats_and_bools(bad: object) -> None:
    with pytest.raises(InvalidMoney, match="float|bool") as info:
        Money(bad, "RUB")  # type: ignore[arg-type]
    assert isinstance(info.value, ValueError)
    assert repr(bad) in str(info.value)


@pytest.mark.parametrize("bad", ["rub", "RU", "RUBL", "", 643])
def test_money_refuses_bad_currency_codes(bad: object) -> None:
    with pytest.raises(InvalidMoney, match="ISO 4217") as info:
        Money(1, bad)  # type: ignore[arg-type]
    assert repr(bad) in str(info.value)


@pytest.mark.parametrize("bad", ["abc", "1e400000", "Infinity", "NaN", None])
def test_money_refuses_non_numbers(bad: object) -> None:
    with pytest.raises(InvalidMoney):
        Money(bad, "RUB")  # type: ignore[arg-type]


def test_arithmetic_refuses_mixed_currencies() -> None:
    rub, usd = Money(1, "RUB"), Money(1, "USD")
    with pytest.raises(CurrencyMismatch, match="USD and RUB"):
        rub + usd
    with pytest.raises(CurrencyMismatch):
        rub - usd
    with pytest.raises(CurrencyMismatch):
        rub < usd  # noqa: B015
    with pytest.raises(CurrencyMismatch):
        Money.sum([rub, usd], "RUB")


def test_arithmetic_and_ordering() -> None:
    a, b = Money("10.00", "RUB"), Money("2.50", "RUB")
    assert a - b == Money("7.50", "RUB")
    assert -b == Money("-2.50", "RUB")
    assert b * 3 == 3 * b == Money("7.50", "RUB")
    assert abs(Money(-5, "RUB")) == Money(5, "RUB")
    assert b < a and a >= b and sorted([a, b]) == [b, a]
    assert Money.sum([a, b], "RUB") == Money("12.50", "RUB")
    assert Money.sum([], "RUB") == Money.zero("RUB")
    with pytest.raises(TypeError):
        a * 1.5  # type: ignore[operator]


@pytest.mark.parametrize(
    ("money", "text"),
    [
        (Money("1234.5", "RUB"), "1 234,50 ₽"),
        (Money("1234567.891", "RUB"), "1 234 567,89 ₽"),
        (Money("-12", "USD"), "-12,00 $"),
        (Money("0.004", "RUB"), "0,00 ₽"),
        (Money("500", "JPY"), "500 JPY"),
        (Money("1.2345", "KWD"), "1,235 KWD"),
        (Money("999", "XYZ"), "999,00 XYZ"),
    ],
)
def test_str_uses_the_documented_style(money: Money, text: str) -> None:
    assert str(money) == text


def test_repr_round_trips() -> None:
    money = Money("1234.50", "RUB")
    assert repr(money) == "Money('1234.50', 'RUB')"
    assert eval(repr(money)) == money


def test_money_is_hashable_and_frozen() -> None:
    assert len({Money("1.0", "RUB"), Money("1.00", "RUB")}) == 1
    with pytest.raises(AttributeError):
        Money(1, "RUB").amount = Decimal(2)  # type: ignore[misc]


def test_quantity() -> None:
    assert str(Quantity(500, "min")) == "500 min"
    assert str(Quantity("1.50", Unit.GIGABYTE)) == "1.5 GB"
    with pytest.raises(InvalidMoney, match="unknown unit 'parsecs'"):
        Quantity(1, "parsecs")
    with pytest.raises(InvalidMoney):
        Quantity(1.5, "min")  # type: ignore[arg-type]
    with pytest.raises(InvalidMoney):
        Quantity(-1, "min")


def test_parse_names_the_argument_it_was_given_for() -> None:
    assert Money.parse("12,50", "RUB", field="threshold") == Money("12.50", "RUB")
    with pytest.raises(InvalidMoney, match=r"^threshold 1\.5 is a float") as caught:
        Money.parse(1.5, "RUB", field="threshold")
    assert caught.value.field == "threshold"
