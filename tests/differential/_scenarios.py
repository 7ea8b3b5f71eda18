"""The differential suite's seeded scenarios: what every backend is asked, in the same order.

A scenario is a function of a :class:`Steps`; each ``steps("name", call, *capabilities)``
runs ``call(sc)`` and records what it returned or raised. A step whose capability the
client lacks (``sc.capabilities``), or that raises :class:`~selfcare.NotSupported`, is
recorded as :data:`NOT_SUPPORTED` and left out of the comparison. Pagers are collected
inside the step (``.to_list()``, ``.first(n)``) so what is compared is plain data.

To add a scenario: write a function here taking ``steps``, call ``steps(...)`` for each thing
to ask (explicit idempotency keys, so nothing random reaches a result), and list it in
:data:`READS` or :data:`WRITES`. Writes run after the reads, in order, on one operator per
backend, so a later write scenario sees what the earlier ones did.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import attrs

from selfcare import Money, NotSupported
from selfcare.backends.fake import ManualClock
from selfcare.operations import Capability as C
from tests.conftest import NOW
from tests.differential._compare import Raised

__all__ = ["NOT_SUPPORTED", "READS", "WRITES", "Steps"]

NOT_SUPPORTED = "<not supported on this backend>"
MONTH_AGO = date(2026, 10, 25)
WEEK_AGO = date(2026, 11, 18)
"""Filters and summaries read a week: over TMF every record read is checked against the
specs, and a month is already compared whole."""
SOMEONE = "+79161234567"
CARD = "card:tok_4242"
VALID_PIN = "11111111111110"
WRONG_PIN = "98765432109876"
USED_PIN = "33333333333333"
VCARD = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Мария Иванова\r\nN:Иванова;Мария;;;\r\n"
    "TEL;TYPE=CELL:8 (916) 765-43-21\r\nTEL;TYPE=WORK:+7 495 123-45-67\r\n"
    "EMAIL;TYPE=INTERNET:maria@example.org\r\nEND:VCARD\r\n"
)


class Steps:
    """Runs and records the steps of the scenarios on one client."""

    def __init__(self, sc: Any, clock: ManualClock) -> None:
        self.sc = sc
        self.clock = clock
        self.recorded: dict[str, list[tuple[str, Any]]] = {}
        self._current: list[tuple[str, Any]] = []

    def scenario(self, name: str, run: Callable[[Steps], None]) -> None:
        self._current = self.recorded.setdefault(name, [])
        run(self)

    def __call__(self, name: str, call: Callable[[Any], Any], *capabilities: str) -> Any:
        """Run ``call(sc)``, record its result (or what it raised), and return the result."""
        if not set(capabilities) <= self.sc.capabilities:
            outcome: Any = NOT_SUPPORTED
        else:
            try:
                outcome = call(self.sc)
            except NotSupported:
                outcome = NOT_SUPPORTED
            except Exception as exc:  # every error is compared: its class and field
                outcome = Raised.of(exc)
        self._current.append((name, outcome))
        return outcome

    def advance(self, delta: timedelta) -> None:
        """Move this backend's clock (every backend's moves the same way)."""
        self.clock.advance(delta)


def _value(outcome: Any) -> Any:
    """A step's result for the next step to use (``None`` when it failed or is unsupported)."""
    return None if outcome == NOT_SUPPORTED or isinstance(outcome, Raised) else outcome


# ---------------------------------------------------------------- a month of reads


def account(steps: Steps) -> None:
    steps("account", lambda sc: sc.account.get(), C.ACCOUNT)
    steps("balance", lambda sc: sc.account.balance(), C.ACCOUNT)
    steps("bills", lambda sc: sc.account.bills().to_list(), C.BILLS)
    steps("debts", lambda sc: sc.account.debts().to_list(), C.BILLS)
    steps("next due", lambda sc: sc.payments.next_due(), C.BILLS)


def expenses(steps: Steps) -> None:
    month = steps("a month", lambda sc: sc.expenses.list(since=MONTH_AGO).to_list(), C.EXPENSES)
    steps(
        "one day, both bounds",
        lambda sc: sc.expenses.list(since=date(2026, 11, 20), until=date(2026, 11, 20)).to_list(),
        C.EXPENSES,
    )
    steps(
        "kinds",
        lambda sc: sc.expenses.list(since=WEEK_AGO, kinds=["voice_out", "sms"]).to_list(),
        C.EXPENSES,
    )
    steps(
        "top-ups",
        lambda sc: sc.expenses.list(kinds="top_up").first(5),
        C.EXPENSES,
    )
    people = [e.counterpart for e in _value(month) or () if e.counterpart is not None]
    if people:
        steps(
            "counterpart",
            lambda sc: sc.expenses.list(since=WEEK_AGO, counterpart=people[0]).to_list(),
            C.EXPENSES,
        )
    steps("small pages", lambda sc: sc.expenses.list(page_size=7).first(30), C.EXPENSES)
    for by in ("kind", "month", "counterpart"):
        steps(
            f"summary by {by}",
            lambda sc, by=by: sc.expenses.summary(by, since=WEEK_AGO),
            C.EXPENSES,
        )
    steps("unknown kind", lambda sc: sc.expenses.list(kinds="nope"), C.EXPENSES)
    steps("page size 0", lambda sc: sc.expenses.list(page_size=0), C.EXPENSES)


def calls(steps: Steps) -> None:
    steps("a month", lambda sc: sc.calls.list(since=MONTH_AGO).to_list(), C.CALLS)
    steps("missed", lambda sc: sc.calls.missed(since=WEEK_AGO).to_list(), C.CALLS)
    steps(
        "outgoing, one week",
        lambda sc: sc.calls.list(
            direction="outgoing", since=date(2026, 11, 18), until=date(2026, 11, 24)
        ).to_list(),
        C.CALLS,
    )
    steps("sideways", lambda sc: sc.calls.list(direction="sideways"), C.CALLS)


def payments(steps: Steps) -> None:
    steps("a month", lambda sc: sc.payments.list(since=MONTH_AGO).to_list(), C.PAYMENTS)
    steps("everything", lambda sc: sc.payments.list().to_list(), C.PAYMENTS)


def logins(steps: Steps) -> None:
    steps("a month of sign-ins", lambda sc: sc.logins.list(since=MONTH_AGO).to_list(), C.LOGINS)
    steps("operation log", lambda sc: sc.logins.operations(since=MONTH_AGO).to_list(), C.LOGINS)


def services(steps: Steps) -> None:
    steps("catalog", lambda sc: sc.services.catalog(), C.SERVICES)
    steps("options", lambda sc: sc.services.catalog("option"), C.SERVICES)
    steps("connected", lambda sc: sc.services.connected(), C.SERVICES)
    steps("bad kind", lambda sc: sc.services.catalog("snacks"), C.SERVICES)


def contacts(steps: Steps) -> None:
    steps("phonebook", lambda sc: sc.contacts.list().to_list(), C.CONTACTS)
    steps("mailing lists", lambda sc: sc.contacts.lists.list().to_list(), C.CONTACTS)
    steps("no such contact", lambda sc: sc.contacts.get("c404"), C.CONTACTS)


def forwarding(steps: Steps) -> None:
    steps("state", lambda sc: sc.forwarding.get(), C.FORWARDING)


def complaints(steps: Steps) -> None:
    steps("all", lambda sc: sc.complaints.list().to_list(), C.COMPLAINTS)
    steps("resolved", lambda sc: sc.complaints.list(status="resolved").to_list(), C.COMPLAINTS)
    steps("no such complaint", lambda sc: sc.complaints.get("cmp404"), C.COMPLAINTS)


def messages(steps: Steps) -> None:
    steps("a month", lambda sc: sc.messages.list(since=MONTH_AGO).to_list(), C.MESSAGES)
    steps("no such message", lambda sc: sc.messages.get("msg404"), C.MESSAGES)


READS: dict[str, Callable[[Steps], None]] = {
    "account": account,
    "expenses": expenses,
    "calls": calls,
    "payments": payments,
    "logins": logins,
    "services": services,
    "contacts": contacts,
    "forwarding": forwarding,
    "complaints": complaints,
    "messages": messages,
}

# ---------------------------------------------------------------- writes, in order


def send_sms(steps: Steps) -> None:
    now = steps(
        "now",
        lambda sc: sc.messages.send_sms(SOMEONE, "Hello there", idempotency_key="diff-sms-0001"),
        C.MESSAGES,
    )
    later = steps(
        "scheduled",
        lambda sc: sc.messages.send_sms(
            [SOMEONE, "8 903 555-00-11"],
            "See you at 7",
            deliver_at=NOW + timedelta(hours=2),
            idempotency_key="diff-sms-0002",
        ),
        C.MESSAGES,
    )
    steps("empty text", lambda sc: sc.messages.send_sms(SOMEONE, ""), C.MESSAGES)
    steps("bad number", lambda sc: sc.messages.send_sms("12", "Hi"), C.MESSAGES)
    steps(
        "naive deliver_at",
        lambda sc: sc.messages.send_sms(SOMEONE, "Hi", deliver_at=NOW.replace(tzinfo=None)),
        C.MESSAGES,
    )
    steps.advance(timedelta(hours=3))
    for name, sent in (("now", now), ("scheduled", later)):
        steps(f"{name}, 3 h later", lambda sc, m=sent: sc.messages.get(_value(m).id), C.MESSAGES)
    steps("listed", lambda sc: sc.messages.list(since=NOW).to_list(), C.MESSAGES)


def pay(steps: Steps) -> None:
    steps(
        "by card",
        lambda sc: sc.payments.pay("150.50", method=CARD, idempotency_key="diff-pay-0001"),
        C.PAYMENTS,
    )
    steps(
        "by wallet",
        lambda sc: sc.payments.pay(
            Money("99", "RUB"), method="wallet:ym-100500", idempotency_key="diff-pay-0002"
        ),
        C.PAYMENTS,
    )
    steps("float", lambda sc: sc.payments.pay(1.5, method=CARD), C.PAYMENTS)
    steps("zero", lambda sc: sc.payments.pay("0", method=CARD), C.PAYMENTS)
    steps("bad method", lambda sc: sc.payments.pay("10", method="cash"), C.PAYMENTS)
    steps("other currency", lambda sc: sc.payments.pay(Money("10", "USD"), method=CARD), C.PAYMENTS)
    steps("balance after", lambda sc: sc.account.balance(), C.ACCOUNT)
    steps("listed", lambda sc: sc.payments.list(since=NOW).to_list(), C.PAYMENTS)


def cards(steps: Steps) -> None:
    steps(
        "valid",
        lambda sc: sc.payments.activate_card(VALID_PIN, idempotency_key="diff-card-0001"),
        C.PAYMENT_CARDS,
    )
    steps("wrong PIN", lambda sc: sc.payments.activate_card(WRONG_PIN), C.PAYMENT_CARDS)
    steps("used", lambda sc: sc.payments.activate_card(USED_PIN), C.PAYMENT_CARDS)
    steps("short PIN", lambda sc: sc.payments.activate_card("123"), C.PAYMENT_CARDS)
    steps("balance after", lambda sc: sc.account.balance(), C.ACCOUNT)


def forward(steps: Steps) -> None:
    steps(
        "busy to a number",
        lambda sc: sc.forwarding.set("busy", SOMEONE, idempotency_key="diff-fwd-0001"),
        C.FORWARDING,
    )
    steps(
        "no reply to voicemail",
        lambda sc: sc.forwarding.to_voicemail("no_reply", timer=15, idempotency_key="diff-fwd-2"),
        C.FORWARDING,
    )
    steps("timer 7 s", lambda sc: sc.forwarding.set("no_reply", SOMEONE, timer=7), C.FORWARDING)
    steps("bad condition", lambda sc: sc.forwarding.set("sometimes", SOMEONE), C.FORWARDING)
    steps(
        "disable busy",
        lambda sc: sc.forwarding.disable("busy", idempotency_key="diff-fwd-0003"),
        C.FORWARDING,
    )
    steps("state", lambda sc: sc.forwarding.get(), C.FORWARDING)


def _imported(added: Any) -> tuple[list[Any], int]:
    return list(added), added.skipped


def phonebook(steps: Steps) -> None:
    ivan = steps(
        "add",
        lambda sc: sc.contacts.add(
            " Ivan Petrov ", ["8 916 111-22-33", "84951112233"], idempotency_key="diff-ct-0001"
        ),
        C.CONTACTS,
    )
    steps("bad phone", lambda sc: sc.contacts.add("Nobody", "12"), C.CONTACTS)
    steps(
        "import vCard",
        lambda sc: sc.contacts.import_vcard(VCARD.encode(), idempotency_key="diff-ct-0002"),
        C.CONTACTS,
    )
    steps(
        "import it again",  # another key: a new import, which finds them all there
        lambda sc: _imported(sc.contacts.import_vcard(VCARD, idempotency_key="diff-ct-0003")),
        C.CONTACTS,
    )
    steps(
        "a list",
        lambda sc: sc.contacts.lists.create(
            "Friends", [_value(ivan), "8 916 999-00-00"], idempotency_key="diff-ml-0001"
        ),
        C.CONTACTS,
    )
    steps("phonebook", lambda sc: sc.contacts.list().to_list(), C.CONTACTS)


def complain(steps: Steps) -> None:
    filed = steps(
        "file",
        lambda sc: sc.complaints.file(
            "Slow data", "Pages load slowly.", category="network", idempotency_key="diff-cmp-01"
        ),
        C.COMPLAINTS,
    )
    steps("bad category", lambda sc: sc.complaints.file("S", "T", category="x"), C.COMPLAINTS)
    steps.advance(timedelta(hours=1))
    steps(
        "note",
        lambda sc: sc.complaints.add_note(
            _value(filed), "Still slow.", idempotency_key="diff-note-1"
        ),
        C.COMPLAINTS,
    )
    steps.advance(timedelta(days=2))
    steps("two days on", lambda sc: sc.complaints.get(_value(filed).id), C.COMPLAINTS)


def services_change(steps: Steps) -> None:
    steps(
        "connect",
        lambda sc: sc.services.connect("internet-5gb", idempotency_key="diff-svc-0001"),
        C.SERVICES,
    )
    steps("connect unknown", lambda sc: sc.services.connect("no-such-thing"), C.SERVICES)
    steps(
        "disconnect",
        lambda sc: sc.services.disconnect("internet-5gb", idempotency_key="diff-svc-0002"),
        C.SERVICES,
    )
    steps("connected", lambda sc: sc.services.connected(), C.SERVICES)


def expenses_after(steps: Steps) -> None:
    steps("today", lambda sc: sc.expenses.list(since=NOW).to_list(), C.EXPENSES)
    steps("balance", lambda sc: sc.account.balance(), C.ACCOUNT)


def operation_log(steps: Steps) -> None:
    log = steps("since the start", lambda sc: sc.logins.operations(since=NOW).to_list(), C.LOGINS)
    # The channel is where an operation came from, so it differs by design ("sdk" in
    # process, "api" through a server: docs/history.md); compared in DELIBERATE instead.
    if isinstance(log, list):
        steps._current[-1] = ("since the start", [attrs.evolve(r, channel="*") for r in log])
    steps("channels", lambda sc: sorted({r.channel for r in _value(log) or []}), C.LOGINS)


WRITES: dict[str, Callable[[Steps], None]] = {
    "send sms": send_sms,
    "pay": pay,
    "payment cards": cards,
    "complaints": complain,
    "services": services_change,
    "expenses after": expenses_after,
    # Areas some backend lacks go last: the fake numbers every record from one counter, so a
    # write a backend skips would shift the ids of everything after it.
    "forwarding": forward,
    "contacts": phonebook,
    "operation log": operation_log,
}
