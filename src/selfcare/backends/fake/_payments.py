"""Fake handlers for payments: paying by card or wallet, the history, payment cards."""

from __future__ import annotations

from datetime import timedelta

from selfcare._errors import (
    CardAlreadyUsed,
    CardBlocked,
    CardExpired,
    CardInvalid,
    Conflict,
    CurrencyMismatch,
    PaymentDeclined,
)
from selfcare._paging import Page
from selfcare.backends.fake._cards import LOCKOUT, CardState
from selfcare.backends.fake._handlers import Session, handles
from selfcare.model import Payment, PaymentMethodKind, PaymentStatus
from selfcare.operations import ActivateCard, ListPayments, Pay

DECLINED_PREFIX = "tok_declined"
"""Card tokens that start with this are refused by the fake's payment processor."""

_SOURCE = {PaymentMethodKind.CARD: "bank card", PaymentMethodKind.WALLET: "wallet"}


@handles(Pay)
def pay(s: Session, op: Pay) -> Payment:
    sub = s.subscriber
    if op.amount.currency != sub.currency:
        raise CurrencyMismatch(
            f"amount {op.amount} is in {op.amount.currency}; this account pays in {sub.currency}",
            field="amount",
        )
    method = str(op.method)
    if op.method.kind is PaymentMethodKind.CARD and op.method.reference.reveal().startswith(
        DECLINED_PREFIX
    ):
        sub.payments.add(
            Payment(
                id=sub.next_id("p"),
                at=s.now,
                amount=op.amount,
                method=method,
                status=PaymentStatus.DECLINED,
            )
        )
        raise PaymentDeclined(
            f"the bank declined the payment of {op.amount} from {method}; nothing was charged",
            field="method",
        )
    return sub.top_up(s.now, op.amount.amount, method, f"Top-up by {_SOURCE[op.method.kind]}")


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
