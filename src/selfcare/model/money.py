"""Money and quantities: exact decimals with a currency or a unit, never binary floats."""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Annotated, Final

import attrs
import msgspec

from selfcare._errors import CurrencyMismatch, InvalidMoney

__all__ = ["Money", "Quantity", "Unit"]

_CURRENCY_RE: Final = re.compile(r"[A-Z]{3}")
# Symbols and minor units of the currencies selfcare prints specially; any other well-formed
# ISO 4217 code is accepted, printed with its code and two decimals.
_SYMBOLS: Final = {
    "RUB": "₽",
    "USD": "$",
    "EUR": "€",
    "GBP": "£",
    "KZT": "₸",
    "BYN": "Br",
    "UAH": "₴",
    "TRY": "₺",
    "AMD": "֏",
    "GEL": "₾",
    "UZS": "сўм",
    "KGS": "сом",
    "CNY": "¥",
    "INR": "₹",
}
_LIMIT: Final = Decimal("1e15")
_MAX_PLACES: Final = 8
_MINOR_UNITS: Final = {"JPY": 0, "KRW": 0, "CLP": 0, "BHD": 3, "KWD": 3, "OMR": 3, "TND": 3}


def _to_decimal(value: object, what: str) -> Decimal:
    """Exact conversion for ints, Decimals and numeric strings; floats are refused by design."""
    if isinstance(value, bool | float):
        raise InvalidMoney(
            f"{what} {value!r} is a {type(value).__name__}; use Decimal, int or a string "
            "such as '12.50' (binary floats cannot hold money exactly)",
            field=what,
        )
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, str):
        try:
            result = Decimal(value.strip().replace(",", "."))
        except InvalidOperation:
            raise InvalidMoney(f"{what} {value!r} is not a number", field=what) from None
    else:
        raise InvalidMoney(f"{what} {value!r} is not a number", field=what)
    if not result.is_finite():
        raise InvalidMoney(f"{what} {value!r} is not a finite number", field=what)
    if abs(result) >= _LIMIT or result.as_tuple().exponent < -_MAX_PLACES:  # type: ignore[operator]
        raise InvalidMoney(
            f"{what} {value!r} is out of range (below 10^15, at most {_MAX_PLACES} decimals)",
            field=what,
        )
    return result


def _check_currency(code: object) -> str:
    if not isinstance(code, str) or not _CURRENCY_RE.fullmatch(code):
        raise InvalidMoney(
            f"currency {code!r} is not an ISO 4217 code (three capital letters such as 'RUB')",
            field="currency",
        )
    return code


def _group(digits: str) -> str:
    """Thousands grouped with spaces: '1234567' -> '1 234 567'."""
    head = len(digits) % 3 or 3
    parts = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return " ".join(parts)


CurrencyCode = Annotated[str, msgspec.Meta(min_length=3, max_length=3)]
"""An ISO 4217 code. The constructor checks it fully; the wire decoder checks its length in C
(a regular expression there cost more than decoding the rest of an expense)."""


@attrs.frozen(init=False, order=False, repr=False)
class Money:
    """An exact amount in an ISO 4217 currency.

    The constructor validates everything; objects decoded from the wire protocol are checked
    by the decoder (decimal strings, the currency pattern) without re-running it.

    ``Money("1234.50", "RUB")``, ``Money(100, "RUB")`` and ``Money(Decimal("9.99"), "USD")``
    all work; a float is refused. Arithmetic and comparison between different currencies raise
    :class:`~selfcare.CurrencyMismatch`. ``str()`` prints the style used across selfcare:
    digits grouped by spaces, a decimal comma, the currency's minor units and its symbol after
    the amount (``1 234,50 ₽``, ``-12,00 $``).
    """

    amount: Decimal
    currency: CurrencyCode

    def __init__(self, amount: Decimal | int | str, currency: str) -> None:
        self.__attrs_init__(_to_decimal(amount, "amount"), _check_currency(currency))

    @classmethod
    def parse(cls, amount: object, currency: str, *, field: str = "amount") -> Money:
        """Money from what a caller gave for the argument ``field`` (Decimal, int or a numeric
        string; floats refused), with errors that name ``field``."""
        return cls(_to_decimal(amount, field), currency)

    @classmethod
    def zero(cls, currency: str) -> Money:
        """Nothing, in ``currency``."""
        return cls(Decimal(0), currency)

    @classmethod
    def sum(cls, items: Iterable[Money], currency: str) -> Money:
        """The total of ``items`` (which must all be in ``currency``); zero when empty."""
        total = cls.zero(currency)
        for item in items:
            total = total + item
        return total

    def _same(self, other: Money, op: str) -> None:
        if self.currency != other.currency:
            raise CurrencyMismatch(
                f"cannot {op} {other.currency} and {self.currency} amounts ({other} vs {self})"
            )

    def __add__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other, "add")
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other, "subtract")
        return Money(self.amount - other.amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __abs__(self) -> Money:
        return Money(abs(self.amount), self.currency)

    def __mul__(self, factor: int | Decimal) -> Money:
        if isinstance(factor, bool) or not isinstance(factor, int | Decimal):
            return NotImplemented
        return Money(self.amount * factor, self.currency)

    __rmul__ = __mul__

    def _cmp(self, other: object) -> Decimal:
        if not isinstance(other, Money):
            raise TypeError(f"cannot compare Money with {type(other).__name__}")
        self._same(other, "compare")
        return self.amount - other.amount

    def __lt__(self, other: Money) -> bool:
        return self._cmp(other) < 0

    def __le__(self, other: Money) -> bool:
        return self._cmp(other) <= 0

    def __gt__(self, other: Money) -> bool:
        return self._cmp(other) > 0

    def __ge__(self, other: Money) -> bool:
        return self._cmp(other) >= 0

    def __bool__(self) -> bool:
        return bool(self.amount)

    @property
    def minor_units(self) -> int:
        """Digits after the decimal point for this currency (2 for most)."""
        return _MINOR_UNITS.get(self.currency, 2)

    def rounded(self) -> Money:
        """This amount rounded half-up to the currency's minor units."""
        quantum = Decimal(1).scaleb(-self.minor_units)
        return Money(self.amount.quantize(quantum, rounding="ROUND_HALF_UP"), self.currency)

    def __str__(self) -> str:
        text = f"{abs(self.rounded().amount):.{self.minor_units}f}"
        whole, _, frac = text.partition(".")
        sign = "-" if self.amount < 0 and self.rounded().amount != 0 else ""
        number = sign + _group(whole) + ("," + frac if frac else "")
        return f"{number} {_SYMBOLS.get(self.currency, self.currency)}"

    def __repr__(self) -> str:
        return f"Money('{self.amount}', '{self.currency}')"


class Unit(enum.StrEnum):
    """What a :class:`Quantity` counts."""

    SECOND = "s"
    MINUTE = "min"
    SMS = "sms"
    MMS = "mms"
    MEGABYTE = "MB"
    GIGABYTE = "GB"


@attrs.frozen(init=False, repr=False)
class Quantity:
    """An amount of something a tariff counts: minutes, messages, megabytes."""

    value: Decimal
    unit: Unit

    def __init__(self, value: Decimal | int | str, unit: Unit | str) -> None:
        try:
            unit = Unit(unit)
        except ValueError:
            known = ", ".join(u.value for u in Unit)
            raise InvalidMoney(
                f"unknown unit {unit!r}; expected one of {known}", field="unit"
            ) from None
        amount = _to_decimal(value, "value")
        if amount < 0:
            raise InvalidMoney(f"a quantity cannot be negative ({value!r})", field="value")
        self.__attrs_init__(amount, unit)

    def __str__(self) -> str:
        return f"{self.value.normalize():f} {self.unit.value}"

    def __repr__(self) -> str:
        return f"Quantity('{self.value}', '{self.unit.value}')"
