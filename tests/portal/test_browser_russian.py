"""Every page in Russian, in headless Chromium: no English sentence the catalog translates
is left on it (text, the attributes people read, what the script writes)."""

from __future__ import annotations

import re
import sys

import pytest

from tests.portal.conftest import ROOT, SIGNED_IN_PAGES, Page

pytestmark = pytest.mark.browser

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}")

SHOWN = """
const seen = [document.title, document.body.innerText];
for (const e of document.querySelectorAll("[aria-label],[placeholder],[title],[label],[alt]")) {
  for (const name of ["aria-label", "placeholder", "title", "label", "alt"]) {
    if (e.hasAttribute(name)) seen.push(e.getAttribute(name));
  }
}
for (const o of document.querySelectorAll("option")) seen.push(o.textContent);
for (const e of document.querySelectorAll("[data-live],[data-ended],[data-failed]")) {
  seen.push(e.dataset.live, e.dataset.ended, e.dataset.failed);
}
return seen.join("\\n");
"""


def _english_sentences() -> set[str]:
    """The English of every message the Russian catalog translates otherwise: whole messages,
    or each stretch between placeholders, of two words or more."""
    sys.path.insert(0, str(ROOT / "scripts"))
    import i18n

    found: set[str] = set()
    for message in i18n.read("ru"):
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for english in ids:
            for part in PLACEHOLDER.split(english):
                part = part.strip(" .,:;()—·")
                if len(part.split()) >= 2 and not any(part in s for s in strings):
                    found.add(part)
    return found


def _norm(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


def test_every_page_in_russian_has_no_english_from_the_catalog(page: Page) -> None:
    english = _english_sentences()
    assert "Open bills" in english and "tries left" in english
    left: dict[str, list[str]] = {}
    paths = [*SIGNED_IN_PAGES, "/expenses?since=yesterday"]
    page.open(paths[0] + "?lang=ru")  # the switch; the cookie keeps it for the next pages
    for path in [*paths, "/signin"]:
        if path == "/signin":
            page.submit("#signout")
        else:
            page.open(path)
        assert page.css("html").get_attribute("lang") == "ru", path
        shown = _norm(page.driver.execute_script(SHOWN))
        found = sorted(e for e in english if e in shown)
        if found:
            left[path] = found
    assert left == {}
