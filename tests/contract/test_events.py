"""sc.events (the line's event log, listed and streamed) and sc.alerts, on every configuration
that has them (TMF has no event API in selfcare's mapping: skipped there).

The clock is the fake's ManualClock: every test moves it, none sleeps."""

from __future__ import annotations

import concurrent.futures
import inspect
from datetime import datetime, timedelta

import pytest

from selfcare import (
    Alerts,
    Balance,
    Bill,
    ComplaintStatus,
    ConnectedService,
    CurrencyMismatch,
    Event,
    EventType,
    ForwardingState,
    Message,
    MessageStatus,
    Money,
    Payment,
    PaymentDeclined,
    Spending,
    TransportError,
    ValidationError,
)
from selfcare.operations import Capability
from tests.conftest import MOSCOW, NOW

pytestmark = pytest.mark.requires(Capability.EVENTS)

FRIEND = "+79161234567"
NOBODY = "+79990000001"  # unknown: undeliverable after 2 s
OFF = "+79990000100"  # switched off: expires with the validity period
CARD = "card:tok_visa_4242424242424242"


def _rub(amount: object) -> Money:
    return Money(str(amount), "RUB")


def _events(sc, **filters) -> list[Event]:  # type: ignore[no-untyped-def]
    """Every event, oldest first."""
    return list(sc.events.list(**filters))[::-1]


def _check_log(events: list[Event]) -> None:
    """Ids unique and in the order events happened."""
    ids = [e.id for e in events]
    assert len(set(ids)) == len(ids)
    assert ids == sorted(ids)
    assert [e.occurred_at for e in events] == sorted(e.occurred_at for e in events)


def test_a_new_operator_has_no_events_and_history_is_not_news(sc) -> None:
    assert _events(sc) == []


def test_messages_end_in_one_event_each_at_the_instant_of_their_fate(sc, clock) -> None:
    delivered = sc.messages.send_sms(FRIEND, "hello")
    failed = sc.messages.send_sms(NOBODY, "hello")
    expired = sc.messages.send_sms(OFF, "hello", validity=timedelta(hours=1))
    assert _events(sc) == []  # nothing has happened yet
    clock.advance(timedelta(seconds=6))
    first = _events(sc)
    assert [(e.type, e.data.id) for e in first] == [
        (EventType.MESSAGE_FAILED, failed.id),
        (EventType.MESSAGE_DELIVERED, delivered.id),
    ]
    assert [e.occurred_at for e in first] == [
        NOW + timedelta(seconds=2),
        NOW + timedelta(seconds=5),
    ]
    assert all(isinstance(e.data, Message) for e in first)
    assert first[1].data.status is MessageStatus.DELIVERED
    assert first[0].data.status is MessageStatus.UNDELIVERABLE
    assert all(e.occurred_at.tzinfo is not None for e in first)
    assert first[0].occurred_at.utcoffset() == timedelta(hours=3)  # the account's zone
    assert first[0].line == sc.account.get().number
    clock.advance(timedelta(hours=2))
    every = _events(sc)
    assert every[:2] == first  # read again: the same events, unchanged
    assert [(e.type, e.data.id) for e in every[2:]] == [(EventType.MESSAGE_EXPIRED, expired.id)]
    assert every[2].occurred_at == NOW + timedelta(hours=1)
    _check_log(every)
    clock.advance(timedelta(days=1))
    assert len(_events(sc, types="message.delivered")) == 1  # each once


def test_a_cancelled_message_makes_no_event(sc, clock) -> None:
    scheduled = sc.messages.send_sms(FRIEND, "later", deliver_at=NOW + timedelta(hours=1))
    sc.messages.cancel(scheduled.id)
    clock.advance(timedelta(hours=2))
    assert _events(sc, types=["message.delivered", "message.failed"]) == []


def test_bills_issue_fall_due_and_go_overdue_on_the_clock(sc, clock) -> None:
    sc.alerts.set(bill_due_within=3)
    clock.advance(timedelta(days=60))
    events = _events(sc, types=["bill.issued", "bill.due_soon", "bill.overdue"])
    _check_log(events)
    assert all(isinstance(e.data, Bill) for e in events)
    seen = [(e.type, e.data.id) for e in events]
    assert len(set(seen)) == len(seen)  # each once
    # the open seeded bill (issued 15 Nov, due 5 Dec): warned 3 days before, then overdue
    assert seen[:2] == [
        (EventType.BILL_DUE_SOON, "b-2026-10"),
        (EventType.BILL_OVERDUE, "b-2026-10"),
    ]
    assert events[0].occurred_at == datetime(2026, 12, 2, tzinfo=MOSCOW)
    assert events[1].occurred_at == datetime(2026, 12, 6, tzinfo=MOSCOW)
    issued = [e for e in events if e.type is EventType.BILL_ISSUED]
    assert [e.data.id for e in issued] == ["b-2026-11", "b-2026-12"]
    assert issued[0].occurred_at.date() == datetime(2026, 12, 15).date()
    assert issued[0].data.state.value == "issued"


def test_payments_succeed_and_fail(sc) -> None:
    paid = sc.payments.pay(100, method=CARD)
    with pytest.raises(PaymentDeclined):
        sc.payments.pay(100, method="card:tok_declined_0001")
    events = _events(sc, types=["payment.succeeded", "payment.failed"])
    assert [e.type for e in events] == [EventType.PAYMENT_SUCCEEDED, EventType.PAYMENT_FAILED]
    assert all(isinstance(e.data, Payment) for e in events)
    assert events[0].data.id == paid.id and events[0].data.amount == _rub("100.00")
    assert events[1].data.status.value == "declined" and "tok_declined" not in repr(events[1])


def test_balance_low_fires_once_per_crossing(sc) -> None:
    balance = sc.account.balance().amount
    sc.alerts.set(balance_below=balance - _rub("1"))
    sc.services.connect("internet-5gb")  # a 200 fee: below the line
    mms = sc.messages.send_mms(FRIEND, subject="a", text="x")  # further below: no new event
    assert mms.cost > _rub("1")
    low = _events(sc, types="balance.low")
    assert len(low) == 1 and isinstance(low[0].data, Balance)
    assert low[0].data.amount == balance - _rub("200")
    sc.payments.pay(balance - sc.account.balance().amount, method=CARD)  # back: re-armed
    assert len(_events(sc, types="balance.low")) == 1
    sc.messages.send_mms(FRIEND, subject="b", text="y")  # below again: a second crossing
    again = _events(sc, types="balance.low")
    assert len(again) == 2 and again[1].data.amount == balance - mms.cost
    assert sc.alerts.get().balance_below == balance - _rub("1")


def test_spending_above_fires_once_per_period(sc, clock) -> None:
    sc.alerts.set(spending_above=(1, "day"))
    sc.messages.send_mms(FRIEND, subject="a", text="x")
    sc.messages.send_mms(FRIEND, subject="b", text="y")
    fired = _events(sc, types="spending.above")
    assert len(fired) == 1 and isinstance(fired[0].data, Spending)
    assert fired[0].data.limit == _rub("1.00") and fired[0].data.spent > _rub("1")
    assert fired[0].data.period_start == NOW.date()
    clock.advance(timedelta(days=1))
    sc.messages.send_mms(FRIEND, subject="c", text="z")
    assert len(_events(sc, types="spending.above")) == 2  # a new day, a new crossing


def test_services_forwarding_and_complaints(sc, clock) -> None:
    sc.services.connect("internet-5gb")
    sc.services.disconnect("internet-5gb")
    sc.forwarding.set("busy", "+79167654321")
    sc.forwarding.disable("no_reply")  # was off already: nothing changed, no event
    complaint = sc.complaints.file(subject="Slow", text="The data is slow", category="network")
    clock.advance(timedelta(days=4))
    kinds = [e.type for e in _events(sc)]
    assert kinds[:3] == [
        EventType.SERVICE_CONNECTED,
        EventType.SERVICE_DISCONNECTED,
        EventType.FORWARDING_CHANGED,
    ]
    events = _events(sc)
    assert isinstance(events[0].data, ConnectedService) and events[0].data.code == "internet-5gb"
    assert isinstance(events[2].data, ForwardingState)
    assert events[2].data.rule("busy").active
    updates = [e for e in events if e.type is EventType.COMPLAINT_UPDATED]
    mine = [e for e in updates if e.data.id == complaint.id]
    assert [e.data.status for e in mine] == [ComplaintStatus.IN_PROGRESS, ComplaintStatus.RESOLVED]
    assert [e.occurred_at for e in mine] == [
        complaint.created_at + timedelta(hours=2),
        complaint.created_at + timedelta(days=3),
    ]
    _check_log(events)


def test_listing_pages_by_keyset_and_filters(sc, clock) -> None:
    for _ in range(5):
        sc.messages.send_sms(FRIEND, "hi")
    sc.forwarding.set("busy", "+79167654321")
    clock.advance(timedelta(seconds=10))
    everything = list(sc.events.list())
    assert len(everything) == 6
    paged = [e for page in sc.events.list(page_size=2).pages() for e in page.items]
    assert paged == everything
    only = list(sc.events.list(types=EventType.FORWARDING_CHANGED))
    assert [e.type for e in only] == [EventType.FORWARDING_CHANGED]
    later = list(sc.events.list(since=NOW + timedelta(seconds=1)))
    assert [e.type for e in later] == [EventType.MESSAGE_DELIVERED] * 5


def test_the_stream_resumes_after_an_id_in_order(sc, clock) -> None:
    sc.messages.send_sms(FRIEND, "one")
    clock.advance(timedelta(seconds=6))
    (first,) = _events(sc)
    sc.forwarding.set("busy", "+79167654321")
    sc.services.connect("internet-5gb")
    stream = sc.events.stream(after=first.id)
    got = [next(stream), next(stream)]
    assert [e.type for e in got] == [EventType.FORWARDING_CHANGED, EventType.SERVICE_CONNECTED]
    filtered = sc.events.stream(after=first.id, types=["service.connected"])
    assert next(filtered).id == got[1].id


def test_the_stream_wakes_when_the_clock_brings_an_event(sc, clock) -> None:
    sc.forwarding.set("busy", "+79167654321")
    (start,) = _events(sc)
    stream = sc.events.stream(after=start.id)
    sent = sc.messages.send_sms(FRIEND, "ping")
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        waiting = pool.submit(next, stream)
        clock.advance(timedelta(seconds=6))  # the delivery happens on the clock
        event = waiting.result(timeout=30)
    assert event.type is EventType.MESSAGE_DELIVERED and event.data.id == sent.id


def test_alerts_read_back_and_turn_off(sc) -> None:
    assert sc.alerts.get() == Alerts()
    got = sc.alerts.set(balance_below=50, bill_due_within=timedelta(days=5))
    assert got.balance_below == _rub("50.00") and got.bill_due_within == timedelta(days=5)
    assert got.spending_above is None
    got = sc.alerts.set(spending_above=(1500, "month"))
    assert got.balance_below == _rub("50.00")  # the others stay
    assert got.spending_above.amount == _rub("1500.00")
    assert got.spending_above.period.value == "month"
    assert sc.alerts.get() == got
    left = sc.alerts.disable("balance_below")
    assert left.balance_below is None and left.spending_above is not None
    assert sc.alerts.disable() == Alerts()


@pytest.mark.parametrize(
    ("kwargs", "error", "named"),
    [
        ({"bill_due_within": 0}, ValidationError, "bill_due_within=0"),
        ({"bill_due_within": 61}, ValidationError, "bill_due_within=61"),
        ({"bill_due_within": timedelta(hours=5)}, ValidationError, "bill_due_within"),
        ({"spending_above": (0, "month")}, ValidationError, "spending_above"),
        ({"spending_above": (10, "week")}, ValidationError, "'week'"),
        ({"spending_above": 10}, ValidationError, "spending_above=10"),
        ({"balance_below": 1.5}, ValidationError, "balance_below 1.5"),
        ({"balance_below": Money("1", "USD")}, CurrencyMismatch, "balance_below"),
        ({}, ValidationError, "at least one alert"),
    ],
)
def test_alerts_refuse_bad_values_naming_them(sc, kwargs, error, named) -> None:
    with pytest.raises(error) as caught:
        sc.alerts.set(**kwargs)
    assert named in str(caught.value)
    assert sc.alerts.get() == Alerts()


def test_bad_filters_and_ids_are_refused_naming_them(sc) -> None:
    with pytest.raises(ValidationError, match="'bill.paid'"):
        sc.events.list(types="bill.paid")
    with pytest.raises(ValidationError, match="'often'"):
        sc.alerts.disable("often")
    with pytest.raises(ValidationError, match="evt_9999999999") as caught:
        next(sc.events.stream(after="evt_9999999999"))
    assert caught.value.field == "after"


def _flaky(original, drops: int):  # type: ignore[no-untyped-def]
    """``original`` (a backend's stream_events) whose first ``drops`` connections die with a
    TransportError right after delivering one event."""
    left = [drops]
    if inspect.isasyncgenfunction(original):

        async def async_stream(**kwargs):  # type: ignore[no-untyped-def]
            events = original(**kwargs)
            try:
                async for event in events:
                    yield event
                    if left[0]:
                        left[0] -= 1
                        raise TransportError("the connection dropped")
            finally:
                await events.aclose()

        return async_stream

    def stream(**kwargs):  # type: ignore[no-untyped-def]
        events = original(**kwargs)
        try:
            for event in events:
                yield event
                if left[0]:
                    left[0] -= 1
                    raise TransportError("the connection dropped")
        finally:
            events.close()

    return stream


def _six_events(sc, clock) -> str:  # type: ignore[no-untyped-def]
    """Six events after the returned id: five deliveries and a forwarding change."""
    sc.forwarding.set("busy", "+79167654321")
    (start,) = _events(sc)
    for n in range(5):
        sc.messages.send_sms(FRIEND, f"message {n}")
    sc.forwarding.set("busy", "+79161111111")
    clock.advance(timedelta(seconds=10))
    return start.id


def test_the_stream_resumes_after_dropped_connections_losing_and_repeating_nothing(
    sc, clock, monkeypatch
) -> None:
    start = _six_events(sc, clock)
    expected = [e.id for e in _events(sc)][1:]
    backend = sc.backend
    monkeypatch.setattr(backend, "stream_events", _flaky(backend.stream_events, drops=4))
    stream = sc.events.stream(after=start)
    assert [next(stream).id for _ in expected] == expected


def test_the_stream_resumes_when_the_server_ends_it(sc, clock, configuration, request) -> None:
    if not configuration.startswith("http"):
        pytest.skip("the server's stream limit")
    server, _ = request.getfixturevalue("live_server")
    start = _six_events(sc, clock)
    expected = [e.id for e in _events(sc)][1:]
    server.app.state.event_stream_limit = 1  # every connection ends after one event
    try:
        stream = sc.events.stream(after=start)
        assert [next(stream).id for _ in expected] == expected
    finally:
        server.app.state.event_stream_limit = None
