"""Words for people in their language: gettext catalogs managed with Babel.

The edges that talk to people (the CLI's human output, ``selfcare demo``, the example portal)
translate through here; the model, the wire, exceptions, ``--json`` and ``--csv`` stay English
and stable. The catalogs are ``selfcare/locale/<lang>/LC_MESSAGES/selfcare.po`` (the source,
edited by translators) and the compiled ``selfcare.mo`` beside it, shipped in the wheel.

Nothing is loaded at import: Babel and a catalog load on the first translation into a language
other than English (English is the source language, so it needs no catalog), once per
language. ``import selfcare`` does not import this module at all.

Messages are marked for extraction (``babel.cfg``; ``pybabel extract``) with :func:`gettext`
(imported as ``_``), :func:`ngettext`, and :func:`N_` for a message translated later, where it
is shown (a column header, say, whose English text is also its CSV name).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from gettext import NullTranslations

__all__ = [
    "DEFAULT_LANGUAGE",
    "DOMAIN",
    "LANGUAGES",
    "LANGUAGE_ENV",
    "LOCALE_DIR",
    "NC_",
    "N_",
    "gettext",
    "language",
    "language_locale",
    "ngettext",
    "pgettext",
    "translations",
]

DOMAIN: Final = "selfcare"
LOCALE_DIR: Final = Path(__file__).parent / "locale"
DEFAULT_LANGUAGE: Final = "en"
LANGUAGES: Final = ("en", "ru")
"""The languages with a catalog (English is the source language of every message)."""
LANGUAGE_ENV: Final = "SELFCARE_LANG"
_ENV_ORDER: Final = (LANGUAGE_ENV, "LC_ALL", "LC_MESSAGES", "LANG")
"""Where the language comes from: selfcare's own variable, then POSIX's order."""


def _language_of(value: str) -> str | None:
    """``ru`` from ``ru``, ``ru_RU``, ``ru-RU`` or ``ru_RU.UTF-8@euro``; ``None`` for ``C``,
    ``POSIX`` or a value naming no language."""
    code = value.strip().split(".")[0].split("@")[0].replace("-", "_").split("_")[0].lower()
    if not code or code in {"c", "posix"} or not code.isalpha() or len(code) > 8:
        return None
    return code


def _chosen(environ: Mapping[str, str]) -> str:
    """The first non-empty variable of :data:`_ENV_ORDER` (``""`` when none is set)."""
    for name in _ENV_ORDER:
        value = environ.get(name, "").strip()
        if value:
            return value
    return ""


def language(environ: Mapping[str, str] | None = None) -> str:
    """The language to speak: ``SELFCARE_LANG``, else ``LC_ALL``, ``LC_MESSAGES``, ``LANG``
    (``ru_RU.UTF-8`` means Russian); one of :data:`LANGUAGES`, English when the variable
    names none of them (a language without a catalog falls back to English, not an error)."""
    found = _language_of(_chosen(os.environ if environ is None else environ))
    return found if found in LANGUAGES else DEFAULT_LANGUAGE


def language_locale(environ: Mapping[str, str] | None = None) -> str:
    """The locale the language variable names when it names a territory of the chosen
    language (``ru_RU.UTF-8`` → ``ru_RU``), else the language alone (``ru``)."""
    env = os.environ if environ is None else environ
    lang = language(env)
    value = _chosen(env).split(".")[0].split("@")[0].replace("-", "_")
    parts = value.split("_")
    if len(parts) == 2 and parts[0].lower() == lang and parts[1].isalpha() and len(parts[1]) == 2:
        return f"{lang}_{parts[1].upper()}"
    return lang


@functools.lru_cache(maxsize=len(LANGUAGES))
def translations(lang: str) -> NullTranslations:
    """The compiled catalog of ``lang`` (loaded once); English, or a language without a
    catalog, translates every message to itself."""
    from gettext import NullTranslations

    if lang == DEFAULT_LANGUAGE or lang not in LANGUAGES:
        return NullTranslations()
    from babel.support import Translations

    found = Translations.load(str(LOCALE_DIR), [lang], DOMAIN)
    return found


def gettext(message: str, lang: str | None = None) -> str:
    """``message`` in ``lang`` (default: :func:`language`)."""
    return translations(lang or language()).gettext(message)


def ngettext(singular: str, plural: str, n: int, lang: str | None = None) -> str:
    """The form for ``n`` in ``lang`` by its plural rules (Russian has three:
    ``1 минута``, ``2 минуты``, ``5 минут``); format ``n`` in yourself
    (``ngettext("%(n)s minute", "%(n)s minutes", n) % {"n": n}``)."""
    return translations(lang or language()).ngettext(singular, plural, n)


def pgettext(context: str, message: str, lang: str | None = None) -> str:
    """``message`` in ``lang``, in ``context`` (the same English word may need two
    translations: a *failed* sign-in, a *failed* message)."""
    return translations(lang or language()).pgettext(context, message)


def NC_(context: str, message: str) -> str:
    """Marks ``message`` in ``context`` for extraction without translating it."""
    return message


def N_(message: str) -> str:
    """Marks ``message`` for extraction without translating it (that happens later)."""
    return message
