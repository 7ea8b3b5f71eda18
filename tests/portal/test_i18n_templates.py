"""Every word the portal's templates show goes through the gettext catalog: babel.cfg extracts
every template, no template has English text outside ``_()``/``ngettext``/``pgettext``, and a
message missing from the Russian catalog fails the catalog check (``scripts/i18n.py``)."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from types import ModuleType

import pytest
from jinja2 import Environment

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "examples" / "portal" / "templates"
GETTEXT = {"_", "gettext", "ngettext", "pgettext"}
WORDS = re.compile(r"[A-Za-z]{2,}")
SHOWN_ATTRIBUTES = re.compile(r'\b(?:aria-label|placeholder|title|alt|label)="([^"]*)"')
NOT_WORDS = {"selfcare"}  # the brand, the same in every language
"""Text that is no sentence to translate."""


@pytest.fixture(scope="module")
def catalogs() -> ModuleType:
    sys.path.insert(0, str(ROOT / "scripts"))
    import i18n

    return i18n


def untranslated(source: str) -> list[str]:
    """English a template shows without the catalog: text between tags, the attributes
    people read (``aria-label``, ``placeholder``…), and string constants in expressions
    that are not a gettext call's message."""
    found: list[str] = []
    page: list[str] = []  # the template's own text, each tag's output a placeholder
    depth = 0  # how deep inside parentheses
    calls: list[int] = []  # the depth each open gettext call started at
    previous = ""
    for _, kind, value in Environment(extensions=["jinja2.ext.i18n"]).lex(source):
        if kind == "data":
            page.append(value)
        elif kind in {"variable_begin", "block_begin"}:
            page.append("\x00")
        elif kind == "operator" and value == "(":
            depth += 1
            if previous in GETTEXT:
                calls.append(depth)
        elif kind == "operator" and value == ")":
            if calls and calls[-1] == depth:
                calls.pop()
            depth -= 1
        elif kind == "string" and not calls and " " in value.strip() and WORDS.search(value):
            found.append(value[1:-1])
        if kind != "whitespace":
            previous = value if kind == "name" else ""
    text = "".join(page)
    found += [shown for shown in SHOWN_ATTRIBUTES.findall(text) if WORDS.search(shown)]
    text = re.sub(r"<[^>]*>", " ", text)
    text = re.sub(r'[\w-]+="[^"]*"', " ", text)  # attributes a macro writes outside a tag
    text = re.sub(r"&\w+;", " ", text)
    return found + [word for word in WORDS.findall(text) if word not in NOT_WORDS]


def test_the_check_finds_english_outside_the_catalog() -> None:
    assert untranslated("<p>Hello there</p>") == ["Hello", "there"]
    assert untranslated('<input placeholder="your number">') == ["your number"]
    assert untranslated('{{ "no calls" if x else _("Calls") }}') == ["no calls"]
    assert untranslated('<p>{{ _("Hello, %(n)s", n=user.name) }} · {{ x|local(zone) }}</p>') == []
    assert untranslated("{{ ngettext('%(num)s try', '%(num)s tries', n) }}") == []


@pytest.mark.parametrize("template", sorted(p.name for p in TEMPLATES.glob("*.html")))
def test_no_template_shows_english_outside_the_catalog(template: str) -> None:
    assert untranslated((TEMPLATES / template).read_text(encoding="utf-8")) == []


def test_babel_extracts_every_template(catalogs: ModuleType) -> None:
    sources = {
        Path(filename).name
        for message in catalogs.extract()
        for filename, _ in message.locations
        if "examples/portal/templates" in filename
    }
    assert {p.name for p in TEMPLATES.glob("*.html")} <= sources


def test_a_portal_message_missing_from_the_catalog_fails_the_check(
    catalogs: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = catalogs.read

    def without(lang: str):  # type: ignore[no-untyped-def]
        catalog = real(lang)
        catalog.delete("Live updates stopped. Reload the page to see new events.")
        return catalog

    monkeypatch.setattr(catalogs, "read", without)
    assert any("Live updates stopped" in p for p in catalogs.problems())
