"""Alerts the subscriber sets with the operator: low balance, a bill falling due, spending."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from selfcare._async._area import AsyncArea
from selfcare._async.payments import _as_money
from selfcare._errors import ValidationError
from selfcare.model import Money
from selfcare.model.events import AlertName, Alerts, SpendingLimit, SpendingPeriod
from selfcare.operations import DisableAlerts, GetAlerts, SetAlerts
from selfcare.operations.events import check_alert_names, check_bill_due_within

__all__ = ["AsyncAlertsArea"]

Amount = Money | Decimal | int | str


class AsyncAlertsArea(AsyncArea):
    """``sc.alerts``: the operator's alerts on the line, each a new event when it fires."""

    async def get(self) -> Alerts:
        """The alerts set on the line."""
        return await self._client._execute(GetAlerts())

    async def set(
        self,
        *,
        balance_below: Amount | None = None,
        bill_due_within: int | timedelta | None = None,
        spending_above: tuple[Amount, SpendingPeriod | str] | SpendingLimit | None = None,
        idempotency_key: str | None = None,
    ) -> Alerts:
        """Turn on (or change) the alerts given; the others stay as they are.

        * ``balance_below=100``: a ``balance.low`` event when the balance falls below 100
          (the account's currency), once per crossing;
        * ``bill_due_within=3``: a ``bill.due_soon`` event 3 days (1 to 60, or a
          ``timedelta`` of whole days) before an unpaid bill is due, once per bill;
        * ``spending_above=(1500, "month")``: a ``spending.above`` event when the charges of
          the billing period (``"month"``) or the calendar day (``"day"``) go above 1500,
          once per period.

        Each alert fires on crossings after it is set. Returns every alert now set.
        """
        ctx = await self._client._context()
        below = None
        if balance_below is not None:
            below = _as_money(balance_below, ctx.currency, "balance_below")
        within = None if bill_due_within is None else check_bill_due_within(bill_due_within)
        spending = None
        if spending_above is not None:
            spending = _spending(spending_above, ctx.currency)
        return await self._client._execute(
            SetAlerts(
                balance_below=below,
                bill_due_within=within,
                spending_above=spending,
                idempotency_key=idempotency_key,
            )
        )

    async def disable(self, *names: AlertName | str, idempotency_key: str | None = None) -> Alerts:
        """Turn off the alerts named (``"balance_below"``, ``"bill_due_within"``,
        ``"spending_above"``), or every alert when none is named; returns what stays on."""
        chosen = check_alert_names(names)
        return await self._client._execute(
            DisableAlerts(alerts=chosen, idempotency_key=idempotency_key)
        )


def _spending(value: Any, currency: str) -> SpendingLimit:
    if isinstance(value, SpendingLimit):
        amount, period = value.amount, value.period
    elif isinstance(value, tuple) and len(value) == 2:
        amount, period = value
    else:
        raise ValidationError(
            f"spending_above={value!r} must be (amount, period), e.g. (1500, 'month')",
            field="spending_above",
        )
    money = _as_money(amount, currency, "spending_above")
    if money.amount <= 0:
        raise ValidationError(
            f"spending_above={money} must be more than zero", field="spending_above"
        )
    try:
        chosen = SpendingPeriod(period)
    except ValueError:
        raise ValidationError(
            f"spending_above: period {period!r} must be 'month' or 'day'", field="spending_above"
        ) from None
    return SpendingLimit(money, chosen)
