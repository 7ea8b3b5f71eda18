"""sc.services, on every configuration of the contract suite: catalogue and the fake's rules."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from selfcare import (
    ChargePeriod,
    Conflict,
    ExpenseKind,
    Money,
    NotFound,
    Quantity,
    ServiceKind,
    TariffRef,
    Unit,
    ValidationError,
)
from selfcare.operations import Capability
from tests.conftest import NOW

pytestmark = pytest.mark.requires(Capability.SERVICES)


def rub(amount: str) -> Money:
    return Money(amount, "RUB")


def test_catalogue_has_tariffs_and_options_with_prices_and_contents(sc) -> None:
    catalog = {s.code: s for s in sc.services.catalog()}
    smart_m = catalog["smart-m"]  # the fake's tariff is on offer, described from its plan
    assert smart_m.kind is ServiceKind.TARIFF and smart_m.name == "Smart M"
    assert smart_m.recurring_price == rub("550") and smart_m.period is ChargePeriod.MONTH
    assert smart_m.includes == (
        Quantity(300, Unit.MINUTE),
        Quantity(100, Unit.SMS),
        Quantity(20, Unit.GIGABYTE),
    )
    five = catalog["internet-5gb"]
    assert five.kind is ServiceKind.OPTION and five.includes == (Quantity(5, Unit.GIGABYTE),)
    assert catalog["who-called"].period is ChargePeriod.DAY
    assert catalog["internet-unlimited"].one_off_price == rub("100")
    assert {s.code for s in sc.services.catalog("tariff")} == {"smart-s", "smart-m", "smart-l"}
    assert all(s.kind is ServiceKind.OPTION for s in sc.services.catalog(ServiceKind.OPTION))
    with pytest.raises(ValidationError, match="kind='bundle'.*'tariff'"):
        sc.services.catalog("bundle")


def test_connected_lists_the_tariff_first_then_the_options(sc) -> None:
    connected = sc.services.connected()
    assert connected[0].code == "smart-m" and connected[0].kind is ServiceKind.TARIFF
    assert {s.code for s in connected[1:]} == {"voicemail", "caller-id"}
    assert all(not s.removable for s in connected)


def test_connect_charges_the_one_off_fee_and_the_first_period(sc) -> None:
    before = sc.account.balance().amount
    service = sc.services.connect("internet-unlimited")
    assert service.code == "internet-unlimited" and service.connected_at == NOW
    assert service.removable and service.recurring_price == rub("450")
    assert "internet-unlimited" in {s.code for s in sc.services.connected()}
    fee, one_off = sc.expenses.list().first(2)
    assert (one_off.kind, one_off.cost) == (ExpenseKind.ONE_OFF, rub("100"))
    assert (fee.kind, fee.cost) == (ExpenseKind.SUBSCRIPTION_FEE, rub("450"))
    assert "Unlimited internet" in fee.description and fee.at == one_off.at == NOW
    assert sc.account.balance().amount == before - rub("550")


def test_a_daily_option_charges_one_day_and_free_ones_charge_nothing(sc) -> None:
    before = sc.account.balance().amount
    sc.services.connect("who-called")
    (fee,) = sc.expenses.list(since=NOW).first(5)
    assert fee.cost == rub("1.50") and "first day" in fee.description
    sc.services.connect("content-block")
    assert sc.account.balance().amount == before - rub("1.50")
    assert len(sc.expenses.list(since=NOW).first(5)) == 1


def test_monthly_options_are_charged_every_billing_period_until_disconnected(sc, clock) -> None:
    sc.services.connect("internet-5gb")  # 200 a month; its first month is charged now
    clock.advance(timedelta(days=26))  # past the billing day, 15 December
    fees = [
        (e.description, e.cost)
        for e in sc.expenses.list(since=NOW + timedelta(days=1), kinds="subscription_fee")
    ]
    assert sorted(fees) == [
        ("+5 GB: monthly fee", rub("200")),
        ("Monthly fee: Smart M", rub("550")),
    ]
    bill = max(sc.account.bills().to_list(), key=lambda b: b.issued_on)
    assert bill.period_end == date(2026, 12, 14)
    assert bill.amount_due >= rub("201.50")  # the month's charges include both first fees
    sc.services.disconnect("internet-5gb")
    clock.advance(timedelta(days=31))
    fees = [
        e.description
        for e in sc.expenses.list(since=NOW + timedelta(days=27), kinds="subscription_fee")
    ]
    assert fees == ["Monthly fee: Smart M"]


def test_daily_options_are_charged_every_day_until_disconnected(sc, clock) -> None:
    sc.services.connect("who-called")  # 1.50 a day; its first day is charged now
    sc.services.connect("travel")  # charged only on days abroad: its first day, then none
    clock.advance(timedelta(days=3))
    daily = [
        (e.at.astimezone(sc.account.get().zone).date(), e.description, e.cost)
        for e in sc.expenses.list(since=NOW + timedelta(seconds=1), kinds="subscription_fee")
    ]
    today = (NOW + timedelta(days=3)).astimezone(sc.account.get().zone).date()
    assert sorted(daily) == [
        (today - timedelta(days=n), "Who called: daily fee", rub("1.50")) for n in (2, 1, 0)
    ]
    sc.services.disconnect("who-called")
    clock.advance(timedelta(days=2))
    assert not sc.expenses.list(since=NOW + timedelta(days=4), kinds="subscription_fee").first(1)


def test_incompatible_options_are_refused_naming_both(sc) -> None:
    sc.services.connect("internet-5gb")
    before = sc.account.balance()
    with pytest.raises(
        Conflict, match=r"Unlimited internet \(internet-unlimited\).*\(internet-5gb\)"
    ):
        sc.services.connect("internet-unlimited")
    assert sc.account.balance() == before  # nothing charged
    assert "internet-unlimited" not in {s.code for s in sc.services.connected()}


def test_an_option_not_sold_on_the_tariff_is_refused_both_ways(sc) -> None:
    sc.services.change_tariff("smart-s")
    with pytest.raises(Conflict, match=r"internet-unlimited.*Smart S \(smart-s\)"):
        sc.services.connect("internet-unlimited")
    sc.services.change_tariff("smart-m")
    sc.services.connect("internet-unlimited")
    with pytest.raises(Conflict, match=r"smart-s.*internet-unlimited"):
        sc.services.change_tariff("smart-s")
    assert sc.account.get().tariff.code == "smart-m"


def test_basic_services_cannot_be_switched_off(sc) -> None:
    with pytest.raises(Conflict, match=r"Voicemail \(voicemail\) cannot be switched off"):
        sc.services.disconnect("voicemail")
    assert "voicemail" in {s.code for s in sc.services.connected()}


def test_disconnect_removes_the_option_without_refund(sc) -> None:
    sc.services.connect("internet-5gb")
    balance = sc.account.balance().amount
    remaining = sc.services.disconnect("internet-5gb")
    assert "internet-5gb" not in {s.code for s in remaining}
    assert remaining == sc.services.connected()
    assert sc.account.balance().amount == balance


def test_state_errors(sc) -> None:
    sc.services.connect("travel")
    with pytest.raises(Conflict, match="already connected"):
        sc.services.connect("travel")
    with pytest.raises(Conflict, match=r"\(internet-5gb\) is not connected"):
        sc.services.disconnect("internet-5gb")
    with pytest.raises(NotFound, match="'no-such-thing'"):
        sc.services.connect("no-such-thing")
    with pytest.raises(ValidationError, match="'smart-l' is a tariff plan"):
        sc.services.connect("smart-l")
    with pytest.raises(ValidationError, match="'smart-m' is a tariff plan"):
        sc.services.disconnect("smart-m")
    with pytest.raises(ValidationError, match="'travel' is an option"):
        sc.services.change_tariff("travel")
    with pytest.raises(Conflict, match="already on Smart M"):
        sc.services.change_tariff("smart-m")
    with pytest.raises(ValidationError, match="code='Internet 5GB'"):
        sc.services.connect("Internet 5GB")


def test_change_tariff_updates_the_account_and_charges_the_new_plan(sc) -> None:
    account = sc.services.change_tariff("smart-s")
    assert account.tariff == TariffRef("smart-s", "Smart S")
    assert sc.account.get().tariff == account.tariff
    connected = sc.services.connected()
    assert connected[0].code == "smart-s" and connected[0].connected_at == NOW
    fee, one_off = sc.expenses.list().first(2)
    assert (fee.kind, fee.cost, fee.description) == (
        ExpenseKind.SUBSCRIPTION_FEE,
        rub("350"),
        "Monthly fee: Smart S",
    )
    assert (one_off.kind, one_off.cost) == (ExpenseKind.ONE_OFF, rub("100"))


def test_fees_that_cannot_be_paid_are_refused(sc, operator) -> None:
    sub = operator.subscriber()
    sub.credit_limit = -sub.balance + Decimal("100")  # 100 ₽ available
    with pytest.raises(Conflict, match=r"costs 550\.00 RUB now but only 100\.00 RUB is available"):
        sc.services.connect("internet-unlimited")
    assert "internet-unlimited" not in {s.code for s in sc.services.connected()}
    with pytest.raises(Conflict, match="available"):
        sc.services.change_tariff("smart-l")
    assert sc.account.get().tariff.code == "smart-m"


def test_connect_is_idempotent(sc) -> None:
    first = sc.services.connect("internet-5gb", idempotency_key="svc-key-0001")
    balance = sc.account.balance().amount
    assert sc.services.connect("internet-5gb", idempotency_key="svc-key-0001") == first
    assert sc.account.balance().amount == balance  # charged once
