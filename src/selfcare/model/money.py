"""Money and quantities: exact decimals with a currency or a unit, never binary floats."""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Annotated, Final

import attrs
import msgspec

from selfcare._errors import CurrencyMismatch, InvalidMoney
from selfcare.model import _locale

__all__ = ["Money", "Quantity", "Unit"]

_CURRENCY_RE: Final = re.compile(r"[A-Z]{3}")
_LIMIT: Final = Decimal("1e15")
_MAX_PLACES: Final = 8


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
        result = _typed_decimal(value, what)
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


_AMOUNT_RE: Final = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d{1,3})?")
_AMBIGUOUS_RE: Final = re.compile(r"[+-]?\d{1,3},\d{3}")


def _typed_decimal(value: str, what: str) -> Decimal:
    """An amount as people type it: digits with one decimal point or decimal comma (``12.50``,
    ``12,50``), no grouping (``1 000``, ``1,234.50`` are refused). A comma before exactly
    three digits (``1,000``) could be a thousands separator, so it is refused as ambiguous."""
    text = value.strip()
    if len(text) > 40 or not _AMOUNT_RE.fullmatch(text):
        shown = repr(value) if len(value) <= 40 else repr(value[:40]) + "…"
        raise InvalidMoney(
            f"{what} {shown} is not a number (digits with one decimal point or comma, "
            "no thousands separators)",
            field=what,
        )
    if _AMBIGUOUS_RE.fullmatch(text):
        raise InvalidMoney(
            f"{what} {value!r} is ambiguous: a comma is read as the decimal point; "
            f"write {text.replace(',', '')} for a thousand-style number or use a point",
            field=what,
        )
    return Decimal(text.replace(",", "."))


def _check_currency(code: object) -> str:
    if not isinstance(code, str) or not _CURRENCY_RE.fullmatch(code):
        raise InvalidMoney(
            f"currency {code!r} is not an ISO 4217 code (three capital letters such as 'RUB')",
            field="currency",
        )
    if not _locale.is_currency(code):
        raise InvalidMoney(f"currency {code!r} is not a known ISO 4217 code", field="currency")
    return code


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
    :class:`~selfcare.CurrencyMismatch`. ``str()`` is neutral and exact, for logs and error
    messages (``1234.50 USD``: a decimal point, at least the currency's minor units, the code);
    :meth:`format` writes it for people in their locale (``$1,234.50``, ``1 234,50 ₽``).
    """

    amount: Decimal
    currency: CurrencyCode

    def __init__(self, amount: Decimal | int | str, currency: str) -> None:
        self.__attrs_init__(_to_decimal(amount, "amount"), _check_currency(currency))

    @classmethod
    def parse(cls, amount: object, currency: str, *, field: str = "amount") -> Money:
        """Money from what a caller gave for the argument ``field`` (Decimal, int or a numeric
        string; floats refused, and more decimals than the currency has), with errors that name
        ``field``. The constructor keeps finer amounts (prices per second, before rounding)."""
        value = _to_decimal(amount, field)
        money = cls(value, currency)
        if value != value.quantize(Decimal(1).scaleb(-money.minor_units)):
            raise InvalidMoney(
                f"{field} {value} has more decimals than {currency} has ({money.minor_units})",
                field=field,
            )
        return money

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

    def __radd__(self, other: object) -> Money:
        """``0 + money``, so the built-in ``sum()`` of amounts works (any other number is an
        error: it has no currency)."""
        if isinstance(other, int) and not isinstance(other, bool) and other == 0:
            return self
        return NotImplemented

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
        """Digits after the decimal point for this currency (2 for most; ISO 4217 as CLDR
        records it, through Babel: 0 for JPY, 3 for KWD; 2 for a code it does not know)."""
        return _locale.minor_units(self.currency)

    def rounded(self) -> Money:
        """This amount rounded half-up to the currency's minor units."""
        quantum = Decimal(1).scaleb(-self.minor_units)
        return Money(self.amount.quantize(quantum, rounding="ROUND_HALF_UP"), self.currency)

    def format(self, locale: str | None = None, *, default: str | None = None) -> str:
        """This amount as people in ``locale`` write it, rounded to the currency's minor units,
        through Babel: ``Money("1234.5", "USD").format("en_US") == "$1,234.50"``, RUB in
        ``ru_RU`` is ``1 234,50 ₽`` (with Babel's no-break spaces).

        The locale is ``locale`` if given (``ru_RU``, ``ru-RU`` and ``ru_RU.UTF-8`` all work),
        else the ``SELFCARE_LOCALE`` environment variable, else ``default`` (the CLI, the demo
        and the portal pass the account's :attr:`~selfcare.Account.locale`), else ``en_US``.
        An unknown locale raises :class:`~selfcare.ValidationError` naming where it came from.
        """
        chosen = _locale.resolve_locale(locale, default)
        amount = self.rounded().amount
        return _locale.format_money(abs(amount) if amount == 0 else amount, self.currency, chosen)

    def __str__(self) -> str:
        places = self.minor_units
        amount = self.amount
        if amount.as_tuple().exponent > -places:  # type: ignore[operator]
            amount = amount.quantize(Decimal(1).scaleb(-places))  # pads, never rounds
        if amount == 0:
            amount = abs(amount)
        return f"{amount:f} {self.currency}"

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
