"""The portal speaks the reader's language: Accept-Language, then the switch, which it
remembers (over plain HTTP; the pages are the same in a browser)."""

from __future__ import annotations

import re
from contextlib import closing

import httpx
import pytest

from selfcare.backends.fake import FakeOperator

pytestmark = pytest.mark.usefixtures("fresh_operator")  # the seed's data, whatever ran before


def _signed_in(portal_url: str, operator: FakeOperator, **headers: str) -> httpx.Client:
    http = httpx.Client(
        base_url=portal_url,
        follow_redirects=True,
        timeout=30,
        headers={"Origin": portal_url, **headers},
    )
    form = http.get("/signin")
    csrf = re.findall(r'name="csrf_token" value="([^"]+)"', form.text)[0]
    signed_in = http.post("/signin", data={"csrf_token": csrf, "token": operator.token().reveal()})
    assert signed_in.url.path == "/dashboard"
    return http


@pytest.mark.parametrize(
    ("accept", "lang"),
    [
        ("ru-RU,ru;q=0.9,en;q=0.8", "ru"),
        ("de-DE, en;q=0.5, ru;q=0.7", "ru"),
        ("en-GB,ru;q=0.1", "en"),
        ("de-DE", "en"),
        ("", "en"),
        ("ru;q=0", "en"),
    ],
)
def test_accept_language_picks_the_page_language(
    portal_url: str, portal_operator: FakeOperator, accept: str, lang: str
) -> None:
    with closing(_signed_in(portal_url, portal_operator, **{"Accept-Language": accept})) as http:
        page = http.get("/dashboard")
    assert f'<html lang="{lang}">' in page.text
    assert ("Выйти" in page.text) is (lang == "ru")
    assert ("Sign out" in page.text) is (lang == "en")
    assert "Accept-Language" in page.headers["vary"]


def test_the_switch_overrides_accept_language_and_is_remembered(
    portal_url: str, portal_operator: FakeOperator
) -> None:
    with closing(_signed_in(portal_url, portal_operator, **{"Accept-Language": "en"})) as http:
        assert ">Expenses<" in http.get("/dashboard").text
        switched = http.get("/dashboard", params={"lang": "ru"})
        assert ">Расходы<" in switched.text and '<html lang="ru">' in switched.text
        assert (
            "Неоплаченные счета" in switched.text and "Здравствуйте, Anna Smirnova" in switched.text
        )
        # a bill's state in Russian (which state depends on what earlier tests paid)
        assert any(state in switched.text for state in ("просрочен", "выставлен", "оплачен"))
        assert "Open bills" not in switched.text
        assert ">Расходы<" in http.get("/calls").text  # the cookie remembers
        assert ">Calls<" in http.get("/calls", params={"lang": "en"}).text
        dashboard = http.get("/dashboard").text
        assert ">Calls<" in dashboard and "Open bills" in dashboard
        assert '<html lang="en">' in http.get("/dashboard", params={"lang": "xx"}).text
