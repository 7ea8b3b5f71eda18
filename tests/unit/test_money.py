import subprocess
import sys
from decimal import Decimal

import attrs
import pytest

from selfcare import (
    CurrencyMismatch,
    InvalidMoney,
    Money,
    Quantity,
    Selfcare,
    Unit,
    ValidationError,
)


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
        (Money("1234.5", "USD"), "1234.50 USD"),
        (Money("1234567.891", "RUB"), "1234567.891 RUB"),  # exact: str never rounds
        (Money("-12", "USD"), "-12.00 USD"),
        (Money("-0.00", "RUB"), "0.00 RUB"),
        (Money("500", "JPY"), "500 JPY"),
        (Money("1.2", "KWD"), "1.200 KWD"),
        (Money("999", "CHF"), "999.00 CHF"),
    ],
)
def test_str_is_neutral_and_exact(money: Money, text: str) -> None:
    assert str(money) == text


@pytest.mark.parametrize(
    ("money", "locale", "text"),
    [
        (Money("1234.5", "USD"), "en_US", "$1,234.50"),
        (Money("1234.5", "RUB"), "ru_RU", "1\u00a0234,50\u00a0₽"),  # Babel's no-break spaces
        (Money("1234.5", "RUB"), "ru-RU", "1\u00a0234,50\u00a0₽"),
        (Money("-1389", "RUB"), "ru_RU.UTF-8", "-1\u00a0389,00\u00a0₽"),
        (Money("1234567.891", "EUR"), "de_DE", "1.234.567,89\u00a0€"),
        (Money("0.004", "RUB"), "ru_RU", "0,00\u00a0₽"),  # rounded, and never "-0,00"
        (Money("-0.004", "RUB"), "ru_RU", "0,00\u00a0₽"),
        (Money("500", "JPY"), "ja_JP", "￥500"),
        (Money("1.2345", "KWD"), "en_US", "KWD1.235"),  # three minor units, half up
    ],
)
def test_format_writes_money_as_the_locale_does(money: Money, locale: str, text: str) -> None:
    assert money.format(locale=locale) == text


def test_format_locale_comes_from_argument_then_environment_then_default(monkeypatch) -> None:
    money = Money("1234.5", "RUB")
    monkeypatch.delenv("SELFCARE_LOCALE", raising=False)
    assert money.format() == "RUB1,234.50"  # en_US when nothing names a locale
    assert money.format(default="ru_RU") == "1\u00a0234,50\u00a0₽"  # e.g. the account's
    monkeypatch.setenv("SELFCARE_LOCALE", "de_DE")
    assert money.format(default="ru_RU") == "1.234,50\u00a0RUB"  # a person's choice wins
    assert money.format("en_US", default="ru_RU") == "RUB1,234.50"  # an argument wins over all


@pytest.mark.parametrize(
    ("locale", "named"), [("xx_YY", "'xx_YY'"), ("", "''"), ("r" * 500, "500 characters")]
)
def test_format_refuses_unknown_locales_naming_them(locale: str, named: str) -> None:
    with pytest.raises(ValidationError, match="locale") as caught:
        Money(1, "RUB").format(locale=locale)
    assert caught.value.field == "locale" and named in str(caught.value)
    assert "r" * 100 not in str(caught.value)


def test_a_bad_selfcare_locale_is_named(monkeypatch) -> None:
    monkeypatch.setenv("SELFCARE_LOCALE", "klingon_XX")
    with pytest.raises(ValidationError, match="SELFCARE_LOCALE='klingon_XX'") as caught:
        Money(1, "RUB").format()
    assert caught.value.field == "SELFCARE_LOCALE"


@pytest.mark.parametrize(
    ("currency", "places"), [("RUB", 2), ("USD", 2), ("JPY", 0), ("KWD", 3), ("CHF", 2)]
)
def test_minor_units_come_from_iso_4217_data(currency: str, places: int) -> None:
    assert Money(1, currency).minor_units == places


def test_importing_selfcare_does_not_load_babel() -> None:
    code = "import sys, selfcare; sys.exit('babel' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], check=False)
    assert done.returncode == 0


@pytest.mark.parametrize(("region", "locale"), [("RU", "ru_RU"), ("US", "en_US"), ("KZ", "ru_KZ")])
def test_the_account_locale_follows_its_region(region: str, locale: str) -> None:
    account = Selfcare.fake().account.get()
    assert attrs.evolve(account, region=region).locale == locale


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


def test_builtin_sum_of_amounts_works_and_only_zero_starts_it() -> None:
    amounts = [Money("1.50", "RUB"), Money("2", "RUB")]
    assert sum(amounts) == Money("3.50", "RUB")
    assert sum([], Money.zero("RUB")) == Money.zero("RUB")
    with pytest.raises(TypeError):
        _ = 1 + Money("1.50", "RUB")  # a number without a currency is not money


@pytest.mark.parametrize("code", ["XYZ", "ABC", "QQQ"])
def test_unknown_currency_codes_are_refused(code: str) -> None:
    with pytest.raises(InvalidMoney, match=f"currency '{code}' is not a known ISO 4217 code"):
        Money("1.00", code)


@pytest.mark.parametrize(
    ("amount", "currency", "places"), [("1.005", "RUB", 2), ("1.5", "JPY", 0), ("0.001", "USD", 2)]
)
def test_an_amount_given_with_more_decimals_than_its_currency_is_refused(
    amount: str, currency: str, places: int
) -> None:
    with pytest.raises(
        InvalidMoney, match=f"more decimals than {currency} has \\({places}\\)"
    ) as info:
        Money.parse(amount, currency, field="threshold")
    assert info.value.field == "threshold"
    assert Money.parse("1.500", "RUB") == Money("1.50", "RUB")  # trailing zeros are fine
    assert Money("1.005", "RUB").rounded() == Money("1.01", "RUB")  # finer amounts inside the SDK
