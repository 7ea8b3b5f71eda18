"""Babel behind the model: ISO 4217 minor units, locales, formatting money for people.

Every import of Babel is inside a function, so ``import selfcare`` never loads it (its import
and locale data cost a few hundred milliseconds on a cold start); each lookup is cached, so
the hot paths (rounding every charge of the fake, :attr:`Money.minor_units` per record) pay
a dictionary lookup after the first call per currency or locale.
"""

from __future__ import annotations

import functools
import os
from decimal import Decimal
from typing import TYPE_CHECKING, Final

from selfcare._errors import ValidationError

if TYPE_CHECKING:
    from babel import Locale

__all__ = [
    "DEFAULT_LOCALE",
    "LOCALE_ENV",
    "format_money",
    "is_currency",
    "minor_units",
    "region_locale",
]

DEFAULT_LOCALE: Final = "en_US"
"""The locale money is shown in when neither the caller, ``SELFCARE_LOCALE`` nor an account
names one."""
LOCALE_ENV: Final = "SELFCARE_LOCALE"
_MAX_LOCALE: Final = 64


@functools.lru_cache(maxsize=512)
def minor_units(currency: str) -> int:
    """Digits after the decimal point of ``currency`` (CLDR's ISO 4217 data; 2 if unknown)."""
    from babel.numbers import get_currency_precision

    return int(get_currency_precision(currency))


@functools.lru_cache(maxsize=1024)
def is_currency(code: str) -> bool:
    """Whether ``code`` is an ISO 4217 currency (CLDR's list, which Babel carries)."""
    from babel.numbers import list_currencies

    return code in list_currencies()


@functools.lru_cache(maxsize=64)
def _parse(identifier: str) -> Locale:
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(identifier.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        raise LookupError(identifier) from None


def _locale(identifier: object, field: str) -> Locale:
    """A Babel locale from ``ru_RU``, ``ru-RU`` or ``ru_RU.UTF-8``; an error naming ``field``."""
    if not isinstance(identifier, str) or not identifier.strip():
        raise ValidationError(
            f"{field}={identifier!r} is not a locale (such as 'ru_RU' or 'en_US')", field=field
        )
    if len(identifier) > _MAX_LOCALE:
        raise ValidationError(
            f"{field} is {len(identifier)} characters long, not a locale (such as 'ru_RU')",
            field=field,
        )
    try:
        return _parse(identifier.strip())
    except LookupError:
        raise ValidationError(
            f"{field}={identifier!r} is not a locale Babel knows (such as 'ru_RU' or 'en_US')",
            field=field,
        ) from None


def resolve_locale(locale: str | None, default: str | None) -> Locale:
    """The caller's ``locale``, else ``SELFCARE_LOCALE``, else ``default`` (the account's),
    else :data:`DEFAULT_LOCALE`."""
    if locale is not None:
        return _locale(locale, "locale")
    env = os.environ.get(LOCALE_ENV, "").strip()
    if env:
        return _locale(env, LOCALE_ENV)
    if default is not None:
        return _locale(default, "default")
    return _parse(DEFAULT_LOCALE)


def format_money(amount: Decimal, currency: str, locale: Locale) -> str:
    """``amount`` (already rounded to the currency's minor units) as ``locale`` writes it."""
    from babel.numbers import format_currency

    return str(format_currency(amount, currency, locale=locale))


@functools.lru_cache(maxsize=256)
def region_locale(region: str) -> str:
    """The locale people in ``region`` (ISO 3166) most likely read, by CLDR's likely subtags:
    ``RU`` → ``ru_RU``, ``KZ`` → ``ru_KZ``, ``US`` → ``en_US``; :data:`DEFAULT_LOCALE` if
    CLDR does not know the region."""
    try:
        found = _parse(f"und_{region}")
    except LookupError:
        return DEFAULT_LOCALE
    if found.territory is None:
        return DEFAULT_LOCALE
    return f"{found.language}_{found.territory}"
