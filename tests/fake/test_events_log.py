"""The fake's event log against its own records: however the clock jumps, every payment, bill
and finished message has exactly one event, at its own instant, in order; each balance alert
fires once per crossing of the ledger; and each operator (copied from the seed cache) and each
subscriber has a log of its own."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from selfcare import EventType, Selfcare
from selfcare.backends.fake import FakeOperator, ManualClock
from selfcare.backends.fake._signin import demo_password
from tests.conftest import NOW

JUMPS = st.lists(st.integers(min_value=1, max_value=24 * 25), min_size=1, max_size=5)


@settings(max_examples=8, deadline=None)
@given(JUMPS, st.integers(min_value=-300, max_value=300))
def test_each_record_has_one_event_in_order_however_the_clock_jumps(
    jumps: list[int], offset: int
) -> None:
    clock = ManualClock(NOW)
    operator = FakeOperator(seed=42, clock=clock)
    sc = Selfcare.fake(operator=operator)
    sub = operator.subscriber()
    line = sub.balance + offset
    sc.alerts.set(balance_below=line, bill_due_within=2)
    armed = len(sub.expenses)  # entries after this one can cross
    sc.payments.set_autopay(
        threshold=sub.balance + 200, amount=150, method="card:tok_visa_4242", schedule="FREQ=DAILY"
    )
    sent = [sc.messages.send_sms(to, "hi").id for to in ("+79161234567", "+79990000001")]
    for hours in jumps:
        clock.advance(timedelta(hours=hours))
        sc.account.balance()
    events = list(sub.events.by_seq)
    assert [e.id for e in events] == [f"evt_{n:010d}" for n in range(1, len(events) + 1)]
    assert [e.occurred_at for e in events] == sorted(e.occurred_at for e in events)
    payments = [p for p in sub.payments if p.at > NOW]
    paid = [e for e in events if e.type is EventType.PAYMENT_SUCCEEDED]
    assert [(e.data.id, e.occurred_at) for e in paid] == [(p.id, p.at) for p in payments]
    issued = [e.data.id for e in events if e.type is EventType.BILL_ISSUED]
    assert issued == [b.id for b in sub.bills if b.issued_on > NOW.date()]
    finished = [e.data.id for e in events if e.type.value.startswith("message.")]
    assert sorted(finished) == sorted(sent)
    # balance.low: once per downward crossing of the line in the ledger since it was set
    balances = [sub.opening_balance] + [e.balance_after.amount for e in sub.expenses]
    times = [NOW] + [e.at for e in sub.expenses]
    crossings = [
        times[i] for i in range(armed + 1, len(balances)) if balances[i] < line <= balances[i - 1]
    ]
    assert [e.occurred_at for e in events if e.type is EventType.BALANCE_LOW] == crossings
    kinds = [(e.type, getattr(e.data, "id", None)) for e in events]
    one_each = [k for k in kinds if k[0] in (EventType.BILL_OVERDUE, EventType.BILL_DUE_SOON)]
    assert len(one_each) == len(set(one_each))


def test_operators_copied_from_the_seed_cache_keep_their_own_logs_and_alerts() -> None:
    first = FakeOperator(seed=42, clock=ManualClock(NOW))
    second = FakeOperator(seed=42, clock=ManualClock(NOW))
    one = Selfcare.fake(operator=first)
    one.alerts.set(balance_below=10_000, spending_above=(1, "day"))
    one.forwarding.set("busy", "+79167654321")
    assert [e.type for e in one.events.list()] == [EventType.FORWARDING_CHANGED]
    other = Selfcare.fake(operator=second)
    assert list(other.events.list()) == []
    assert other.alerts.get().balance_below is None
    assert second.subscriber().events is not first.subscriber().events
    assert second.subscriber().alerts is not first.subscriber().alerts


def test_events_of_one_subscriber_stay_on_their_line() -> None:
    operator = FakeOperator(seed=42, clock=ManualClock(NOW))
    demo = Selfcare.fake(operator=operator)
    oleg = Selfcare.fake(operator=operator, subscriber="oleg")
    demo.forwarding.set("busy", "+79167654321")
    assert list(oleg.events.list()) == []
    (event,) = demo.events.list()
    assert event.line == operator.subscriber().account.number


def test_a_sign_in_is_an_event_and_a_refresh_is_not() -> None:
    clock = ManualClock(NOW)
    operator = FakeOperator(seed=42, clock=clock)
    number = operator.subscriber().account.number
    sc = Selfcare.login(number=number, password=demo_password("demo"), operator=operator)
    clock.advance(timedelta(hours=2))  # the access token expires: the next call refreshes it
    events = list(sc.events.list())
    assert [e.type for e in events] == [EventType.SIGN_IN_SUCCEEDED]
    assert events[0].data.method.value == "password"
    assert events[0].occurred_at == NOW


def test_an_autopay_top_up_is_an_event_at_its_occurrence() -> None:
    clock = ManualClock(NOW)
    operator = FakeOperator(seed=42, clock=clock)
    sc = Selfcare.fake(operator=operator)
    sub = operator.subscriber()
    sc.payments.set_autopay(
        threshold=sub.balance + 1, amount=100, method="card:tok_visa_4242", schedule="FREQ=DAILY"
    )
    clock.advance(timedelta(days=1, hours=1))
    (paid,) = sc.events.list(types="payment.succeeded")
    midnight = (NOW + timedelta(days=1)).replace(hour=0)
    assert paid.occurred_at == midnight and paid.data.amount.amount == Decimal("100.00")
