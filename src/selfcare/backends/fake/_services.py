"""Fake handlers for the tariff plan and options.

Rules: options that clash (with each other or with the tariff plan) are refused naming
both; connecting charges the one-off fee and the first period's recurring fee at once
(later periods are not charged by the fake), and is refused if the balance plus the credit
limit cannot cover them; basic services cannot be switched off; a tariff change charges
the new plan's one-off fee and its first monthly fee.
"""

from __future__ import annotations

from datetime import datetime

import attrs

from selfcare._errors import Conflict, ValidationError
from selfcare.backends.fake._catalog import Offer, offer, offers
from selfcare.backends.fake._handlers import Session, handles
from selfcare.backends.fake._state import Subscriber
from selfcare.model import (
    Account,
    ChargePeriod,
    ConnectedService,
    ExpenseKind,
    Service,
    ServiceKind,
    TariffRef,
)
from selfcare.model.events import EventType
from selfcare.operations import (
    ChangeTariff,
    ConnectService,
    DisconnectService,
    GetServiceCatalog,
    ListConnectedServices,
)


def _connected(sub: Subscriber, now: datetime) -> tuple[ConnectedService, ...]:
    """The tariff plan first, then the options in the order they were connected."""
    tariff = offer(sub.currency, sub.tariff.code)
    since = now if sub.tariff_since is None else sub.tariff_since
    options = sorted(
        ((offer(sub.currency, code), at) for code, at in sub.services.items()),
        key=lambda pair: (pair[1], pair[0].code),
    )
    items = [(tariff, since), *options]
    return tuple(
        ConnectedService(
            code=item.code,
            name=item.name,
            kind=item.kind,
            connected_at=at,
            recurring_price=item.money(item.recurring),
            period=item.period,
            removable=item.removable,
        )
        for item, at in items
    )


def _clash(sub: Subscriber, wanted: Offer, codes: list[str]) -> None:
    """Refuse ``wanted`` if it cannot sit next to any of ``codes``, naming both."""
    for code in codes:
        other = offer(sub.currency, code)
        if code in wanted.incompatible_with or wanted.code in other.incompatible_with:
            raise Conflict(
                f"{wanted.name} ({wanted.code}) cannot be connected together with "
                f"{other.name} ({other.code})",
                field="code",
                conflicts_with=other.code,
            )


def _charge(s: Session, wanted: Offer, fee_label: str) -> None:
    """Check the fees can be paid, then post them: the one-off fee and the first period."""
    sub = s.subscriber
    total = wanted.one_off + wanted.recurring
    available = sub.balance + sub.credit_limit
    if total > available:
        raise Conflict(
            f"connecting {wanted.name} ({wanted.code}) costs {sub.money(total)} now but only "
            f"{sub.money(available)} is available; top up first",
            field="code",
        )
    if wanted.one_off > 0:
        sub.post(s.now, ExpenseKind.ONE_OFF, wanted.one_off, f"Connection fee: {wanted.name}")
    if wanted.recurring > 0:
        sub.post(s.now, ExpenseKind.SUBSCRIPTION_FEE, wanted.recurring, fee_label)


@handles(GetServiceCatalog)
def get_catalog(s: Session, op: GetServiceCatalog) -> tuple[Service, ...]:
    found = (item.view() for item in offers(s.subscriber.currency))
    return tuple(item for item in found if op.kind is None or item.kind is op.kind)


@handles(ListConnectedServices)
def list_connected(s: Session, op: ListConnectedServices) -> tuple[ConnectedService, ...]:
    return _connected(s.subscriber, s.now)


@handles(ConnectService)
def connect(s: Session, op: ConnectService) -> ConnectedService:
    sub = s.subscriber
    wanted = offer(sub.currency, op.code)
    if wanted.kind is ServiceKind.TARIFF:
        raise ValidationError(
            f"{op.code!r} is a tariff plan; use change_tariff({op.code!r}) to move to it",
            field="code",
        )
    if op.code in sub.services:
        raise Conflict(f"{wanted.name} ({op.code}) is already connected", field="code")
    _clash(sub, wanted, [sub.tariff.code, *sub.services])
    _charge(s, wanted, f"{wanted.name}: fee for the first {wanted.period.value}")
    sub.services[op.code] = s.now
    if wanted.period is ChargePeriod.DAY and not wanted.charged_on_use:
        sub.daily_fees_through[op.code] = sub.today(s.now)
    connected = next(item for item in _connected(sub, s.now) if item.code == op.code)
    sub.events.stage(s.now, EventType.SERVICE_CONNECTED, connected)
    return connected


@handles(DisconnectService)
def disconnect(s: Session, op: DisconnectService) -> tuple[ConnectedService, ...]:
    sub = s.subscriber
    wanted = offer(sub.currency, op.code)
    if wanted.kind is ServiceKind.TARIFF:
        raise ValidationError(
            f"{op.code!r} is a tariff plan and a line always has one; use change_tariff() "
            "to move to another",
            field="code",
        )
    if op.code not in sub.services:
        raise Conflict(f"{wanted.name} ({op.code}) is not connected", field="code")
    if not wanted.removable:
        raise Conflict(f"{wanted.name} ({op.code}) cannot be switched off", field="code")
    gone = next(item for item in _connected(sub, s.now) if item.code == op.code)
    del sub.services[op.code]
    sub.daily_fees_through.pop(op.code, None)
    sub.events.stage(s.now, EventType.SERVICE_DISCONNECTED, gone)
    return _connected(sub, s.now)


@handles(ChangeTariff)
def change_tariff(s: Session, op: ChangeTariff) -> Account:
    sub = s.subscriber
    wanted = offer(sub.currency, op.code)
    if wanted.plan is None:
        raise ValidationError(
            f"{op.code!r} is an option, not a tariff plan; use connect({op.code!r})",
            field="code",
        )
    if op.code == sub.tariff.code:
        raise Conflict(f"the line is already on {wanted.name} ({op.code})", field="code")
    _clash(sub, wanted, list(sub.services))
    _charge(s, wanted, f"Monthly fee: {wanted.name}")
    sub.tariff = wanted.plan
    sub.tariff_since = s.now
    sub.account = attrs.evolve(sub.account, tariff=TariffRef(wanted.code, wanted.name))
    return sub.account
