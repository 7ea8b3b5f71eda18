# Generated from selfcare/_async/payments.py by scripts/unasync.py. Do not edit.
"""Payments: what is owed and by when, paying it, payment cards, the payment history, autopay."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from datetime import timedelta
from decimal import Decimal
from typing import Any

from selfcare._sync._area import Area
from selfcare._sync._paging import Pager
from selfcare._client.context import Context
from selfcare._client.paging import check_chosen_page_size
from selfcare._errors import CurrencyMismatch, NotFound, ValidationError
from selfcare._secret import Secret
from selfcare._time import When, check_when, day_start
from selfcare.keypad import VirtualKeypad
from selfcare.model import AutopayRule, Bill, Expense, ExpenseKind, Money, Payment, PaymentMethod
from selfcare.model.payment import (
    AUTOPAY_SCHEDULE,
    check_autopay_schedule,
    check_card_pin,
    check_payment_amount,
)
from selfcare.operations import (
    ActivateCard,
    DisableAutopay,
    GetAutopay,
    ListBills,
    ListExpenses,
    ListPayments,
    Pay,
    SetAutopay,
)
from selfcare.operations.payments import check_threshold

__all__ = ["Payments"]

_CHARGE_KINDS = tuple(kind for kind in ExpenseKind if not kind.is_credit)
_PIN_SEPARATORS = str.maketrans("", "", " -")


class Payments(Area):
    """``sc.payments``: debts and due dates, paying, payment cards and the payment history."""

    def debts(self) -> list[Bill]:
        """Deprecated: debts are read in one place, :meth:`sc.account.debts()
        <selfcare.areas.AccountArea.debts>`."""
        warnings.warn(
            "sc.payments.debts() is deprecated; use sc.account.debts()",
            DeprecationWarning,
            stacklevel=2,
        )
        return self._client.account.debts().to_list()

    def next_due(self) -> Bill | None:
        """The open bill due soonest (an overdue one first), or ``None`` when nothing is owed."""
        debts = self._client.account.debts().first(1)
        return debts[0] if debts else None

    def bill_expenses(
        self, bill: Bill | str, *, page_size: int | None = None
    ) -> Pager[Expense]:
        """The charges a bill covers, newest first: every charge of its billing period.

        ``bill`` is a :class:`~selfcare.Bill` or a bill id; an unknown id raises
        :class:`~selfcare.NotFound` here, before any paging. The period runs from midnight of
        ``period_start`` to midnight after ``period_end`` in the account's zone, and credits
        are left out, so the costs add up to the bill's ``amount_due``.
        """
        check_chosen_page_size(page_size)
        found = bill if isinstance(bill, Bill) else self._bill(bill)

        def build(ctx: Context) -> ListExpenses:
            return ListExpenses(
                since=day_start(found.period_start, ctx.zone),
                until=day_start(found.period_end + timedelta(days=1), ctx.zone),
                kinds=_CHARGE_KINDS,
            )

        return Pager(self._client, Expense, build, page_size=page_size)

    def _bill(self, bill_id: object) -> Bill:
        if not isinstance(bill_id, str):
            raise ValidationError(
                f"bill must be a Bill or a bill id, not {bill_id!r}", field="bill"
            )
        for bill in self._client._execute(ListBills()):
            if bill.id == bill_id:
                return bill
        raise NotFound(f"there is no bill {bill_id!r} on this account", field="bill")

    def pay(
        self,
        amount: Money | Decimal | int | str,
        *,
        method: PaymentMethod | str,
        idempotency_key: str | None = None,
    ) -> Payment:
        """Pay ``amount`` from a bank card or wallet; open bills are paid oldest first.

        ``amount`` is :class:`~selfcare.Money` in the account's currency, or a Decimal, int or
        numeric string in it (floats are refused). It must be positive, in the currency's
        minor units and at most :func:`~selfcare.model.payment.max_payment` (100 000 ₽).
        ``method`` is a :class:`~selfcare.PaymentMethod` or ``"card:<token>"`` /
        ``"wallet:<id>"``. The same ``idempotency_key`` never pays twice.
        """
        chosen = PaymentMethod.parse(method)
        ctx = self._client._context()
        money = _money(amount, ctx.currency)
        return self._client._execute(
            Pay(amount=money, method=chosen, idempotency_key=idempotency_key)
        )

    def history(self, **filters: Any) -> Pager[Payment]:
        """Deprecated old name of :meth:`list`."""
        warnings.warn(
            "sc.payments.history() is deprecated; use sc.payments.list()",
            DeprecationWarning,
            stacklevel=2,
        )
        return self.list(**filters)

    def list(
        self,
        *,
        since: When | None = None,
        until: When | None = None,
        page_size: int | None = None,
    ) -> Pager[Payment]:
        """Payments newest first (declined ones too), fetched lazily page by page.

        ``since``/``until`` take aware datetimes or dates (a whole day in the account's zone).
        """
        start, end = check_when(since, "since"), check_when(until, "until")
        check_chosen_page_size(page_size)

        def build(ctx: Context) -> ListPayments:
            return ListPayments(since=ctx.since(start), until=ctx.until(end))

        return Pager(self._client, Payment, build, page_size=page_size)

    def activate_card(
        self,
        pin: Secret | str | None = None,
        *,
        keypad: VirtualKeypad | None = None,
        positions: Sequence[int] | None = None,
        idempotency_key: str | None = None,
    ) -> Payment:
        """Credit a prepaid payment card by its PIN; returns the payment it made.

        Give the PIN either as ``pin`` (a :class:`~selfcare.Secret` — such as the one
        ``KeypadRegistry.decode`` returns — or a string; spaces and dashes are ignored), or as
        a ``keypad`` with the clicked ``positions`` (or its pressed digits when ``positions``
        is omitted); a keypad is used up by this call. The PIN must be
        :data:`~selfcare.model.payment.CARD_PIN_LENGTH` digits; it is checked before anything
        is sent and never appears in reprs, errors or the operation log.
        """
        secret = _pin(pin, keypad, positions)
        return self._client._execute(
            ActivateCard(pin=secret, idempotency_key=idempotency_key)
        )

    def autopay(self) -> AutopayRule | None:
        """The autopay rule, or ``None`` when autopay is off."""
        return self._client._execute(GetAutopay())

    def set_autopay(
        self,
        *,
        threshold: Money | Decimal | int | str,
        amount: Money | Decimal | int | str,
        method: PaymentMethod | str,
        schedule: str = AUTOPAY_SCHEDULE,
        idempotency_key: str | None = None,
    ) -> AutopayRule:
        """Top up by ``amount`` from ``method`` whenever the balance is below ``threshold`` at
        one of the ``schedule``'s occurrences; replaces any rule already set.

        ``threshold`` and ``amount`` are in the account's currency, as for :meth:`pay`
        (floats refused); ``amount`` is within :meth:`pay`'s limits, ``threshold`` may be zero
        or negative on an account with a credit limit. ``schedule`` is an RFC 5545 RRULE
        value read in the account's zone, at most hourly (default every day at 09:00; see
        :func:`~selfcare.model.payment.check_autopay_schedule`). Everything is checked before
        anything is sent. Each top-up is an ordinary payment in :meth:`history`.
        """
        chosen = PaymentMethod.parse(method)
        checked = check_autopay_schedule(schedule)
        ctx = self._client._context()
        limit = check_threshold(_as_money(threshold, ctx.currency, "threshold"))
        money = _money(amount, ctx.currency)
        return self._client._execute(
            SetAutopay(
                threshold=limit,
                amount=money,
                method=chosen,
                schedule=checked,
                idempotency_key=idempotency_key,
            )
        )

    def disable_autopay(self, *, idempotency_key: str | None = None) -> AutopayRule | None:
        """Turn autopay off; returns the rule that was removed (``None`` if it was off)."""
        return self._client._execute(DisableAutopay(idempotency_key=idempotency_key))


def _money(amount: object, currency: str) -> Money:
    return check_payment_amount(_as_money(amount, currency, "amount"))


def _as_money(amount: object, currency: str, field: str) -> Money:
    if isinstance(amount, Money):
        if amount.currency != currency:
            raise CurrencyMismatch(
                f"{field} {amount} is in {amount.currency}; this account pays in {currency}",
                field=field,
            )
        return amount
    if isinstance(amount, Decimal | int | str | float):
        # Money refuses floats and bools itself, with a message that says why.
        return Money.parse(amount, currency, field=field)
    raise ValidationError(
        f"{field} {amount!r} must be Money, Decimal, int or a numeric string, "
        f"not a {type(amount).__name__}",
        field=field,
    )


def _pin(
    pin: Secret | str | None, keypad: VirtualKeypad | None, positions: Sequence[int] | None
) -> Secret:
    if (pin is None) == (keypad is None):
        raise ValidationError(
            "give the card's PIN either as pin=... or as keypad=... (not both, not neither)",
            field="pin",
        )
    if keypad is not None:
        if not isinstance(keypad, VirtualKeypad):
            raise ValidationError(
                f"keypad must be a VirtualKeypad, not a {type(keypad).__name__}", field="keypad"
            )
        return check_card_pin(keypad.decode(positions))
    if positions is not None:
        raise ValidationError("positions need a keypad=...", field="positions")
    if not isinstance(pin, str | Secret):
        raise ValidationError(
            f"pin must be a str or Secret, not a {type(pin).__name__}", field="pin"
        )
    return check_card_pin(Secret(Secret(pin).reveal().translate(_PIN_SEPARATORS)))
