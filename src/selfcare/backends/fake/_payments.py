"""Fake handlers for payments: paying by card or wallet, the history, payment cards."""

from __future__ import annotations

from datetime import datetime, timedelta

from selfcare._client.paging import Page
from selfcare._errors import (
    CardAlreadyUsed,
    CardBlocked,
    CardExpired,
    CardInvalid,
    Conflict,
    CurrencyMismatch,
    PaymentDeclined,
)
from selfcare.backends.fake._cards import LOCKOUT, CardState
from selfcare.backends.fake._handlers import Session, handles
from selfcare.backends.fake._state import Subscriber
from selfcare.model import Money, Payment, PaymentMethod, PaymentMethodKind, PaymentStatus
from selfcare.model.events import EventType
from selfcare.operations import ActivateCard, ListPayments, Pay

DECLINED_PREFIX = "tok_declined"
"""Card tokens that start with this are refused by the fake's payment processor."""

_SOURCE = {PaymentMethodKind.CARD: "bank card", PaymentMethodKind.WALLET: "wallet"}


@handles(Pay)
def pay(s: Session, op: Pay) -> Payment:
    check_currency(s.subscriber, op.amount, "amount")
    return charge(s.subscriber, s.now, op.amount, op.method)


def check_currency(sub: Subscriber, money: Money, field: str) -> None:
    """Refuse ``money`` in a currency other than the account's."""
    if money.currency != sub.currency:
        raise CurrencyMismatch(
            f"{field} {money} is in {money.currency}; this account pays in {sub.currency}",
            field=field,
        )


def charge(sub: Subscriber, at: datetime, amount: Money, method: PaymentMethod) -> Payment:
    """Take ``amount`` from a card or wallet onto the account (``pay`` and autopay alike): a
    top-up in the payment history and the ledger, paying the oldest open bills first. A
    declined card leaves a declined payment in the history and raises ``PaymentDeclined``."""
    shown = str(method)
    if method.kind is PaymentMethodKind.CARD and method.reference.reveal().startswith(
        DECLINED_PREFIX
    ):
        declined = Payment(
            id=sub.next_id("p"),
            at=at,
            amount=amount,
            method=shown,
            status=PaymentStatus.DECLINED,
        )
        sub.payments.add(declined)
        sub.events.stage(at, EventType.PAYMENT_FAILED, declined)
        raise PaymentDeclined(
            f"the bank declined the payment of {amount} from {shown}; nothing was charged",
            field="method",
        )
    return sub.top_up(at, amount.amount, shown, f"Top-up by {_SOURCE[method.kind]}")


@handles(ListPayments)
def list_payments(s: Session, op: ListPayments) -> Page[Payment]:
    return s.subscriber.payments.page(
        since=op.since, until=op.until, cursor=op.cursor, limit=op.limit
    )


@handles(ActivateCard)
def activate_card(s: Session, op: ActivateCard) -> Payment:
    sub = s.subscriber
    sub.card_attempts.check(s.now)
    card = s.operator.cards.find(op.pin)
    if card is None:
        left = sub.card_attempts.failed(s.now)
        after = (
            f"{left} more wrong PIN(s) lock card activation for {_hours(LOCKOUT)}"
            if left
            else f"card activation is now locked for {_hours(LOCKOUT)}"
        )
        raise CardInvalid(f"no payment card has the PIN ***; {after}", field="pin")
    if card.state is CardState.BLOCKED:
        raise CardBlocked(f"payment card {card.serial} is blocked by the operator", field="pin")
    if card.state is CardState.USED:
        raise CardAlreadyUsed(
            f"payment card {card.serial} was already activated on {card.used_on}", field="pin"
        )
    if card.expired_on(s.today):
        raise CardExpired(f"payment card {card.serial} expired on {card.expires_on}", field="pin")
    if card.currency != sub.currency:
        raise Conflict(
            f"payment card {card.serial} is in {card.currency}; this account pays in "
            f"{sub.currency}",
            field="pin",
        )
    card.state, card.used_on = CardState.USED, s.today
    sub.card_attempts.succeeded()
    return sub.top_up(
        s.now,
        card.value,
        f"{PaymentMethodKind.VOUCHER.value}:{card.serial}",
        f"Payment card {card.serial}",
    )


def _hours(delta: timedelta) -> str:
    minutes = int(delta.total_seconds()) // 60
    return f"{minutes} minutes"
