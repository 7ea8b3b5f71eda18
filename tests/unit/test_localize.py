"""selfcare._client.localize: results' times put into the account's zone, in place or by copy."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from selfcare import Expense, ExpenseKind, Money
from selfcare._client.localize import localizer
from selfcare._client.paging import Page
from selfcare.model import Account, Message
from selfcare.operations import GetAccount, ListExpenses, SendSms

MOSCOW = ZoneInfo("Europe/Moscow")
NEW_YORK = ZoneInfo("America/New_York")


def expense(at: datetime) -> Expense:
    return Expense(
        id="e1",
        at=at,
        kind=ExpenseKind.SMS,
        cost=Money(Decimal("-2"), "RUB"),
        balance_after=Money(Decimal("10"), "RUB"),
        description="SMS",
    )


def test_results_without_times_need_nothing() -> None:
    assert localizer(GetAccount.result) is None
    assert localizer(Account) is None


def test_a_page_fresh_from_the_wire_is_changed_in_place() -> None:
    record = expense(datetime(2026, 11, 24, 21, 30, tzinfo=UTC))
    page = Page((record,), "next")
    localize = localizer(ListExpenses.result)
    assert localize is not None
    assert localize(page, MOSCOW, True) is page
    assert record.at.tzinfo is MOSCOW and record.at.date().isoformat() == "2026-11-25"
    assert record.at == datetime(2026, 11, 24, 21, 30, tzinfo=UTC)


def test_records_a_backend_keeps_are_copied_never_changed() -> None:
    record = expense(datetime(2026, 11, 24, 21, 30, tzinfo=UTC))
    page = Page((record,), None)
    localized = localizer(ListExpenses.result)(page, MOSCOW, False)  # type: ignore[misc]
    assert record.at.tzinfo is UTC  # the backend's own record is untouched
    assert localized.items[0].at.tzinfo is MOSCOW and localized.items[0] == attrs_evolve(record)
    already = Page((expense(datetime(2026, 11, 25, tzinfo=MOSCOW)),), None)
    assert localizer(ListExpenses.result)(already, MOSCOW, False) is already  # type: ignore[misc]


def attrs_evolve(record: Expense) -> Expense:
    import attrs

    return attrs.evolve(record, at=record.at.astimezone(MOSCOW))


def test_the_instant_is_kept_across_a_dst_fold() -> None:
    # 2026-11-01 01:30 happens twice in New York: 05:30 UTC (EDT) and 06:30 UTC (EST)
    first, second = (datetime(2026, 11, 1, h, 30, tzinfo=UTC) for h in (5, 6))
    localize = localizer(ListExpenses.result)
    assert localize is not None
    for instant, offset in ((first, -4), (second, -5)):
        page = localize(Page((expense(instant),)), NEW_YORK, True)
        at = page.items[0].at
        assert at.timestamp() == instant.timestamp() and at.utcoffset() == timedelta(hours=offset)
        assert at.tzinfo is NEW_YORK and (at.hour, at.minute) == (1, 30)


def test_nested_times_are_localized_too() -> None:
    localize = localizer(SendSms.result)
    assert localize is not None
    from selfcare import Selfcare

    with Selfcare.fake() as sc:
        sent = sc.messages.send_sms("+79161234567", "Hi")
    as_utc = _to_utc(sent)
    assert as_utc.at.tzinfo is UTC and as_utc.deliveries[0].history[0].at.tzinfo is UTC
    back = localize(as_utc, MOSCOW, False)
    assert back == sent and back.at.tzinfo is MOSCOW and back.valid_until.tzinfo is MOSCOW
    assert all(c.at.tzinfo is MOSCOW for d in back.deliveries for c in d.history)


def _to_utc(message: Message) -> Message:
    import attrs

    deliveries = tuple(
        attrs.evolve(d, history=tuple(attrs.evolve(c, at=c.at.astimezone(UTC)) for c in d.history))
        for d in message.deliveries
    )
    return attrs.evolve(
        message,
        at=message.at.astimezone(UTC),
        valid_until=message.valid_until.astimezone(UTC),
        deliveries=deliveries,
    )
