"""The example portal driven in headless Chromium: every page a subscriber would use.

Each test acts through the browser only (clicks, typing, form posts) and checks both what the
page shows and what the operator recorded, reading the operation log through the portal too.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from selfcare import Money, Selfcare
from selfcare.backends.fake import FakeOperator
from selfcare.sms import plan
from tests.portal.conftest import SIGNED_IN_PAGES, Page

pytestmark = pytest.mark.browser


def _norm(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


def _sdk(operator: FakeOperator) -> Selfcare:
    return Selfcare.fake(operator=operator)


def _history(page: Page, query: str) -> list[Any]:
    page.open(f"/history?{query}")
    return page.all("#operations tr[data-operation]")


def _set_value(page: Page, selector: str, value: str) -> None:
    """Set an input's value as the user's picker would (date inputs, non-BMP text)."""
    page.driver.execute_script(
        "const e = document.querySelector(arguments[0]); e.value = arguments[1];"
        "e.dispatchEvent(new Event('input', {bubbles: true}));",
        selector,
        value,
    )


def test_sign_in_shows_balance_and_debts(page: Page, portal_operator: FakeOperator) -> None:
    sc = _sdk(portal_operator)
    page.open("/dashboard")
    assert _norm(page.text("#balance")) == _norm(sc.account.balance().amount.format("ru_RU"))
    debts = sc.account.debts().to_list()
    rows = page.all("#debts tr")[1:]
    assert len(rows) == len(debts)
    overdue = [bill.id for bill in debts if bill.is_overdue]
    assert overdue, "the seeded demo subscriber has an overdue bill"
    highlighted = [r.text.split()[0] for r in rows if "overdue" in r.get_attribute("class")]
    assert highlighted == overdue
    assert len(page.all("#months tr")) >= 12
    assert "Traceback" not in page.driver.page_source
    page.screenshot("dashboard")


def test_wrong_token_is_a_readable_error(page: Page) -> None:
    page.submit("#signout")
    page.fill("#token", "sc_not_a_token")
    page.submit("#signin")
    assert page.driver.current_url.endswith("/signin")
    assert "token is not valid" in page.text("#error")
    page.click("#use-demo")
    page.submit("#signin")
    assert page.driver.current_url.endswith("/dashboard")


def test_session_cookie_holds_no_token(page: Page, portal_operator: FakeOperator) -> None:
    cookie = page.driver.get_cookie("portal_session")
    assert cookie is not None and cookie["httpOnly"]
    token = portal_operator.token().reveal()
    assert token not in cookie["value"]
    import base64

    payload = cookie["value"].split(".")[0]
    decoded = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    assert decoded.startswith(b'{"sid":') and token.encode() not in decoded


def test_filter_expenses_by_dates_and_kind(page: Page, portal_operator: FakeOperator) -> None:
    page.open("/expenses")
    _set_value(page, "input[name=since]", "2026-09-01")
    _set_value(page, "input[name=until]", "2026-10-31")
    page.click("input[name=kind][value=sms]")
    page.click("input[name=kind][value=data]")
    page.submit("#filter")
    rows = page.all("#expenses tr[data-kind]")
    assert len(rows) == 25
    assert {r.get_attribute("data-kind") for r in rows} <= {"sms", "data"}
    expected = _sdk(portal_operator).expenses.list(
        since=date(2026, 9, 1), until=date(2026, 10, 31), kinds=["sms", "data"]
    )
    wanted = expected.first(50)
    shown = [r.find_elements("css selector", "td")[0].text for r in rows]
    zone = _sdk(portal_operator).account.get().zone
    assert shown == [e.at.astimezone(zone).strftime("%Y-%m-%d %H:%M") for e in wanted[:25]]
    page.screenshot("expenses")
    page.submit("#next-page")
    second = [r.find_elements("css selector", "td")[0].text for r in page.all("#expenses tr")[1:]]
    assert second[:25] == [e.at.astimezone(zone).strftime("%Y-%m-%d %H:%M") for e in wanted[25:50]]
    assert page.css("input[name=kind][value=sms]").is_selected()


def test_missed_calls_filter(page: Page) -> None:
    page.open("/calls")
    page.click("#missed")
    page.submit("#filter")
    rows = page.all("#calls tr")[1:]
    assert rows
    assert all("missed" in r.get_attribute("class") for r in rows)
    page.screenshot("calls")


def _rule(page: Page, condition: str) -> tuple[str, str, str]:
    row = page.css(f"#rules tr[data-condition={condition}]")
    cells = row.find_elements("css selector", "td")
    return cells[1].text, cells[2].text, cells[3].text


def test_set_and_clear_forwarding(page: Page) -> None:
    page.open("/forwarding")
    page.css("#condition option[value=busy]").click()
    page.fill("#forward-number", "8 916 123-45-67")
    page.submit("#forward")
    assert "now go to 8 916 123-45-67" in " ".join(page.flashes())
    assert _rule(page, "busy") == ("+79161234567", "", "yes")

    page.css("#condition option[value=no_reply]").click()
    page.click("#to-voicemail")
    page.css("#timer option[value='15']").click()
    page.submit("#forward")
    target, timer, state = _rule(page, "no_reply")
    assert target.startswith("voicemail") and timer == "15 s" and state == "yes"

    page.css("#condition option[value=unconditional]").click()
    page.fill("#forward-number", "+7 903 555-00-11")
    page.submit("#forward")
    assert _rule(page, "busy")[2] == "set, overridden"  # an active CFU takes every call
    page.screenshot("forwarding")

    page.submit("button.disable[data-condition=unconditional]")
    page.submit("button.disable[data-condition=busy]")
    assert _rule(page, "busy") == ("—", "", "off")
    assert _rule(page, "unconditional")[2] == "off"

    page.fill("#forward-number", "12")
    page.submit("#forward")
    assert any("12" in f for f in page.flashes())  # the SDK's error, named, on the page

    sets = _history(page, "operation=set_forwarding&since=2026-11-25")
    assert len(sets) >= 3
    assert any("condition=busy" in r.text for r in sets)
    assert len(_history(page, "operation=disable_forwarding&since=2026-11-25")) == 2


SAMPLES = [
    "Hello!",
    "Встреча в четверг в 19:00, зал 3. Возьмите доски!",
    "Price: 5€ {promo} [ok]",
    "Party tonight 🎉🎉 bring snacks",
    "x" * 161,
    "€" * 81,
    "A" * 152 + "€",
    "😀" * 34,
]


def test_sms_counter_agrees_with_plan(page: Page) -> None:
    page.open("/messages")
    counter = page.css("#sms-counter")
    minor = counter.get_attribute("data-price-minor")
    for text in SAMPLES:
        _set_value(page, "#sms-text", text)
        expected = plan(text)
        got = {
            "encoding": counter.get_attribute("data-encoding"),
            "parts": int(counter.get_attribute("data-parts")),
            "units": int(counter.get_attribute("data-units")),
            "per_part": int(counter.get_attribute("data-per-part")),
            "remaining": int(counter.get_attribute("data-remaining")),
        }
        assert got == {
            "encoding": expected.encoding.value,
            "parts": expected.count,
            "units": expected.units,
            "per_part": expected.per_part,
            "remaining": expected.remaining,
        }, text
        if minor is not None:
            scale = int(counter.get_attribute("data-price-scale"))
            price = Money(Decimal(minor).scaleb(-scale), counter.get_attribute("data-currency"))
            cost = plan(text, price=price).cost
            assert cost is not None
            assert Decimal(counter.get_attribute("data-cost")) == cost.amount, text
    _set_value(page, "#sms-text", "€" * 800)
    assert "too long" in page.text("#sms-counter")


def test_sms_counter_script_agrees_with_plan_on_random_texts(page: Page) -> None:
    """The page's own smsPlan() against selfcare.sms.plan on random texts: GSM basic only,
    with the two-septet extension table, and with characters GSM lacks (Cyrillic, astral
    emoji, and the lookalikes ` and ç), so every encoding and split rule is exercised."""
    import random

    rng = random.Random(9)
    gsm = ["a", "Z", "7", " ", "\n", "@", "é", "Ç", "¤"]
    extension = ["€", "{", "^", "\\", "|"]
    other = ["ж", "Ё", "😀", "`", "ç"]
    texts = []
    for _ in range(300):
        alphabet = gsm + rng.choice([[], extension, extension + other, other])
        texts.append("".join(rng.choice(alphabet) for _ in range(rng.randint(0, 500))))
    assert {plan(t, max_parts=255).encoding.value for t in texts} == {"gsm7", "ucs2"}
    page.open("/messages")
    got = page.driver.execute_script(
        "return arguments[0].map((t) => { const p = smsPlan(t);"
        " return [p.encoding, p.count, p.units, p.perPart, p.remaining]; });",
        texts,
    )
    for text, plan_js in zip(texts, got, strict=True):
        expected = plan(text, max_parts=255)
        assert plan_js == [
            expected.encoding.value,
            expected.count,
            expected.units,
            expected.per_part,
            expected.remaining,
        ], text


def test_contacts_add_edit_delete_and_import(page: Page, tmp_path: Any) -> None:
    page.open("/contacts")
    for name, phone in [("Ivan Petrov", "8 916 111-22-33"), ("Maria Ivanova", "+7 903 555-00-11")]:
        page.fill("#contact-name", name)
        page.fill("#contact-phones", phone)
        page.submit("#add")
        assert f"Added {name}." in page.flashes()
    page.fill("#contact-name", "Temp")
    page.fill("#contact-phones", "8 999 000 00 17")
    page.submit("#add")
    page.submit("#contacts tr[data-name=Temp] a")
    page.fill("input[name=note]", "edited in the browser")
    page.submit("#save")
    assert "edited in the browser" in page.css("#contacts tr[data-name=Temp]").text
    page.submit("#contacts tr[data-name=Temp] button.delete")
    assert not page.all("#contacts tr[data-name=Temp]")

    card = tmp_path / "olga.vcf"
    card.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Olga Sidorova\r\nTEL:+79265550101\r\nEND:VCARD\r\n"
    )
    page.css("#vcard").send_keys(str(card))
    page.submit("#import-button")
    assert "Imported 1 contact from olga.vcf." in page.flashes()
    assert page.all("#contacts tr[data-name='Olga Sidorova']")

    page.fill("#list-name", "Chess club")
    for name in ("Ivan Petrov", "Maria Ivanova", "Olga Sidorova"):
        page.click(f"#create-list input[data-name='{name}']")
    page.submit("#create-list-button")
    assert "Created the list Chess club (3 members)." in page.flashes()
    page.screenshot("contacts")


def test_broadcast_to_mailing_list(page: Page) -> None:
    if not page.all("#lists tr[data-name='Chess club']"):
        test_contacts_add_edit_delete_and_import(page, _tmp())
    page.open("/messages")
    page.css("#list option:nth-child(2)").click()
    page.fill("#numbers", "12345")  # cannot be a number: rejected, the rest still go
    text = "Шахматный клуб: встреча в четверг в 19:00, зал 3. Возьмите доски!"
    page.fill("#sms-text", text)
    assert page.css("#sms-counter").get_attribute("data-parts") == str(plan(text).count)
    page.screenshot("messages-compose")
    page.submit("#send")
    rows = page.all("#recipient-results tr[data-status]")
    statuses = {
        r.find_elements("css selector", "td")[1].text: r.get_attribute("data-status") for r in rows
    }
    assert statuses == {
        "+79161112233": "sent",
        "+79035550011": "sent",
        "+79265550101": "sent",
        "": "rejected",
    }
    rejected = next(r for r in rows if r.get_attribute("data-status") == "rejected")
    assert "12345" in rejected.text
    history = page.all("#message-history tr[data-status]")
    assert len(history) >= 3 and text in history[0].text
    page.screenshot("messages-results")
    sent = _history(page, "operation=send_sms&status=done&since=2026-11-25")
    assert len(sent) == 3


def _members(page: Page) -> dict[str, str]:
    """The list page's members, number -> name."""
    rows = page.all("#members tr[data-number]")
    return {r.get_attribute("data-number"): r.get_attribute("data-name") for r in rows}


def test_add_and_remove_list_members(page: Page, portal_operator: FakeOperator) -> None:
    page.open("/contacts")
    page.fill("#contact-name", "Pavel Orlov")
    page.fill("#contact-phones", "+7 926 555-02-02")
    page.submit("#add")
    page.fill("#list-name", "Yoga group")
    page.fill("#list-numbers", "+7 903 555-77-88")
    page.submit("#create-list-button")
    assert "Created the list Yoga group (1 member)." in page.flashes()
    page.submit("#lists tr[data-name='Yoga group'] a")
    assert _members(page) == {"+79035557788": ""}

    page.click("#add-members input[data-name='Pavel Orlov']")
    page.fill("#member-numbers", "8 916 444-55-66")
    page.submit("#add-members-button")
    assert "Added to Yoga group; it now has 3 members." in page.flashes()
    assert _members(page) == {
        "+79035557788": "",
        "+79265550202": "Pavel Orlov",
        "+79164445566": "",
    }
    assert not page.all("#add-members input[data-name='Pavel Orlov']")  # already on the list
    page.screenshot("mailing-list")

    page.fill("#member-numbers", "12")
    page.submit("#add-members-button")
    assert any("12" in f for f in page.flashes())  # the SDK's error, named, on the page
    assert len(_members(page)) == 3

    page.submit("#members tr[data-name='Pavel Orlov'] button.delete")
    assert "Removed Pavel Orlov from Yoga group." in page.flashes()
    assert _members(page) == {"+79035557788": "", "+79164445566": ""}
    assert page.all("#add-members input[data-name='Pavel Orlov']")
    page.submit("#members tr[data-number='+79164445566'] button.delete")
    assert _members(page) == {"+79035557788": ""}

    yoga = next(x for x in _sdk(portal_operator).contacts.lists.list() if x.name == "Yoga group")
    assert [m.number for m in yoga.members] == ["+79035557788"]
    page.open("/contacts")
    row = page.css("#lists tr[data-name='Yoga group']")
    assert "Pavel Orlov" not in row.text and "+79035557788" in row.text
    page.submit("#lists tr[data-name='Yoga group'] button.delete")
    assert not page.all("#lists tr[data-name='Yoga group']")


def _tmp() -> Any:
    import tempfile
    from pathlib import Path

    return Path(tempfile.mkdtemp())


def _enter_pin(page: Page, pin: str) -> None:
    keys = {k.text: k for k in page.all("#keypad button.key")}
    assert sorted(keys) == list("0123456789")
    for digit in pin:
        keys[digit].click()


def test_activate_card_with_the_keypad(page: Page, portal_operator: FakeOperator) -> None:
    sc = _sdk(portal_operator)
    before = sc.account.balance().amount
    page.open("/payments")
    first_keypad = page.css("input[name=keypad_id]").get_attribute("value")
    _enter_pin(page, "11111111111110")
    assert page.css("#pin-dots").get_attribute("data-entered") == "14"
    posted = page.css("#positions").get_attribute("value")
    assert "11111111111110" not in page.driver.page_source.replace(posted, "")
    page.screenshot("payments")
    page.submit("#activate")
    assert any("Card activated" in f and "500,00" in f for f in page.flashes())
    assert sc.account.balance().amount == before + Money("500", "RUB")
    assert page.css("input[name=keypad_id]").get_attribute("value") != first_keypad

    _enter_pin(page, "33333333333333")
    page.submit("#activate")
    assert any("already" in f.lower() for f in page.flashes()), page.flashes()

    page.driver.execute_script("document.getElementById('positions').value = '1,2,x'")
    page.submit("#activate")
    assert any("positions" in f for f in page.flashes())

    done = _history(page, "operation=activate_card&status=done")
    failed = _history(page, "operation=activate_card&status=failed")
    assert len(done) == 1 and len(failed) == 1
    assert "11111111111110" not in page.driver.page_source
    page.screenshot("history")


def test_history_filters_by_date_type_and_status(page: Page) -> None:
    rows = _history(page, "since=2026-11-25&until=2026-11-25")
    assert rows and all(r.text.startswith("2026-11-25") for r in rows)
    failed = _history(page, "status=failed")
    assert failed and all(r.get_attribute("data-status") == "failed" for r in failed)
    assert page.all("#operation-names option")


def test_file_and_follow_a_complaint(page: Page) -> None:
    page.open("/complaints")
    page.fill("#complaint-subject", "SMS to the chess club")
    page.fill("#complaint-text", "One of the messages was charged twice.")
    page.submit("#file")
    assert page.text("#complaint-status") == "acknowledged"
    page.fill("#add-note textarea", "It was the message to Olga.")
    page.submit("#add-note button")
    assert "It was the message to Olga." in page.text("#notes")
    page.screenshot("complaint")
    page.open("/complaints")
    assert "SMS to the chess club" in page.text("#complaints")
    assert _history(page, "operation=file_complaint&since=2026-11-25")


def test_bad_input_is_a_message_not_a_traceback(page: Page) -> None:
    page.open("/expenses?since=yesterday")
    assert "since='yesterday' is not a date" in page.text("#error")
    page.open("/complaints/cmp-nope")
    assert "cmp-nope" in page.text("#error")
    assert "Traceback" not in page.driver.page_source


def test_no_page_breaks_the_content_security_policy(page: Page) -> None:
    """The portal forbids inline script and style (see test_security.py); every page, its
    script included, must work within that: Chromium reports each thing it blocked on the
    console. The other tests show the script still runs (keypad, SMS counter, demo token)."""
    page.driver.get_log("browser")  # forget what came before
    for path in (*SIGNED_IN_PAGES, "/signin"):
        page.open(path)
    blocked = [
        entry["message"]
        for entry in page.driver.get_log("browser")
        if "Content Security Policy" in entry["message"]
    ]
    assert blocked == []
    page.open("/dashboard")
    bars = page.all("#months progress")
    assert bars and max(int(b.get_attribute("value")) for b in bars) == 100
    assert page.css("#months progress").size["width"] > 100  # styled by style.css
