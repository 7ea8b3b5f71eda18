"""The fake operator's per-subscriber state: the ledger of expenses, calls and bills.

Every change of balance goes through :meth:`Subscriber.post`, which keeps the operator's
invariant: balance = opening balance + credits − charges, entry by entry.
"""

from __future__ import annotations

import enum
import functools
from datetime import date, datetime, timedelta, tzinfo
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

import attrs

from selfcare._secret import Secret
from selfcare.backends.fake._alerts import AlertState
from selfcare.backends.fake._cards import CardAttempts
from selfcare.backends.fake._documents import TmfDocuments
from selfcare.backends.fake._eventlog import EventLog
from selfcare.backends.fake._idempotency import IdempotencyCache
from selfcare.backends.fake._ledger import Ledger
from selfcare.backends.fake._limits import Limiter, RateLimits
from selfcare.backends.fake._mailbox import Mailbox
from selfcare.backends.fake._phonebook import Phonebook
from selfcare.backends.fake._tickets import ComplaintRecord
from selfcare.backends.fake._webhooks import WebhookStore
from selfcare.forwarding import ForwardingCondition
from selfcare.model import (
    Account,
    Bill,
    BillState,
    Call,
    Expense,
    ExpenseKind,
    LoginMethod,
    LoginRecord,
    LoginStatus,
    Money,
    OperationParameter,
    OperationRecord,
    OperationStatus,
    Payment,
    PaymentStatus,
    PhoneNumber,
    Quantity,
)
from selfcare.model.events import EventType
from selfcare.operations import MutatingOperation

if TYPE_CHECKING:
    from selfcare.backends.fake._autopay import AutopaySetting

__all__ = [
    "BillRecord",
    "Subscriber",
    "TariffPlan",
    "log_parameters",
    "voicemail_number",
]

_LOGGED_TEXT = 60


def _log_value(value: Any, zone: tzinfo) -> str:
    if isinstance(value, Secret):
        return value.masked()
    if isinstance(value, PhoneNumber):
        return value.e164
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, datetime):
        return value.astimezone(zone).isoformat()  # as given in process or over a wire
    if isinstance(value, tuple | list | frozenset):
        return ",".join(_log_value(item, zone) for item in value)
    text = str(value)
    return text if len(text) <= _LOGGED_TEXT else text[: _LOGGED_TEXT - 1] + "…"


def log_parameters(op: MutatingOperation[Any], zone: tzinfo) -> tuple[OperationParameter, ...]:
    """An operation's parameters as the operation log shows them: secrets masked, long text
    cut, times in the account's ``zone`` (whatever zone the caller wrote them in)."""
    return tuple(
        OperationParameter(field.name, _log_value(getattr(op, field.name), zone))
        for field in attrs.fields(type(op))
        if field.name != "idempotency_key" and getattr(op, field.name) is not None
    )


@attrs.frozen
class TariffPlan:
    """A tariff's allowances and the prices beyond them."""

    code: str
    name: str
    monthly_fee: Decimal
    minutes: int
    sms: int
    data_mb: int
    minute_price: Decimal
    sms_price: Decimal
    mms_price: Decimal
    megabyte_price: Decimal


@attrs.define
class BillRecord:
    """A bill as the operator stores it; :meth:`view` is what the subscriber sees on a day."""

    id: str
    period_start: date
    period_end: date
    issued_on: date
    due_date: date
    amount_due: Decimal
    paid: Decimal = Decimal(0)

    @property
    def remaining(self) -> Decimal:
        return self.amount_due - self.paid

    def state_on(self, today: date) -> BillState:
        if self.remaining <= 0:
            return BillState.PAID
        if today > self.due_date:
            return BillState.OVERDUE
        return BillState.PARTIALLY_PAID if self.paid > 0 else BillState.ISSUED

    def view(self, today: date, currency: str) -> Bill:
        return Bill(
            id=self.id,
            period_start=self.period_start,
            period_end=self.period_end,
            issued_on=self.issued_on,
            due_date=self.due_date,
            amount_due=Money(self.amount_due, currency),
            remaining=Money(self.remaining, currency),
            state=self.state_on(today),
        )


@functools.lru_cache(maxsize=8192)
def _money(amount: Decimal, signed: bool, currency: str) -> Money:
    """Money is frozen, so equal amounts share one instance: replaying a history posts the
    same few costs and balances thousands of times, and building each anew was most of it.
    (``signed`` keeps ``-0`` apart from ``0``, which compare equal.)"""
    return Money(amount, currency).rounded()


@functools.lru_cache(maxsize=64)
def _quantum(currency: str) -> Decimal:
    return Decimal(1).scaleb(-Money.zero(currency).minor_units)


def _balance_money(amount: Decimal, currency: str) -> Money:
    """``Money(amount, currency).rounded()`` for a balance the ledger computed, built
    without re-validating it: running balances rarely repeat, so the cache of
    :func:`_money` would only churn, and the checks were most of posting an entry."""
    money: Money = object.__new__(Money)
    money.__attrs_init__(amount.quantize(_quantum(currency), ROUND_HALF_UP), currency)
    return money


def voicemail_number(number: PhoneNumber) -> PhoneNumber:
    """The fake's voicemail number for a line: its number with the three digits after the
    operator prefix replaced by ``000`` (``+7 916 555-01-23`` → ``+7 916 000-01-23``)."""
    digits = number.e164
    return PhoneNumber.parse(digits[:-7] + "000" + digits[-4:], number.region or "ZZ")


def _voicemail(sub: Subscriber) -> PhoneNumber:
    return voicemail_number(sub.account.number)


@attrs.define(eq=False)
class Subscriber:
    """One subscriber of the fake operator and everything the operator knows about them."""

    account: Account
    token: Secret = attrs.field(repr=False)
    tariff: TariffPlan
    opening_balance: Decimal
    credit_limit: Decimal
    expenses: Ledger[Expense] = attrs.field(factory=Ledger, repr=False)
    calls: Ledger[Call] = attrs.field(factory=Ledger, repr=False)
    bills: list[BillRecord] = attrs.field(factory=list, repr=False)
    operations: Ledger[OperationRecord] = attrs.field(factory=Ledger, repr=False)
    payments: Ledger[Payment] = attrs.field(factory=Ledger, repr=False)
    card_attempts: CardAttempts = attrs.field(factory=CardAttempts, repr=False)
    idempotency: IdempotencyCache = attrs.field(factory=IdempotencyCache, repr=False)
    """What each idempotency key led to (digests and outcomes, bounded)."""
    pending: dict[str, tuple[OperationRecord, str]] = attrs.field(factory=dict, repr=False)
    """Pending log entries (a scheduled send) by record id, with the message they wait on."""
    _limiter: Limiter | None = attrs.field(default=None, repr=False)
    mailbox: Mailbox = attrs.field(factory=Mailbox, repr=False)
    phonebook: Phonebook = attrs.field(factory=Phonebook, repr=False)
    logins: Ledger[LoginRecord] = attrs.field(factory=Ledger, repr=False)
    complaints: Ledger[ComplaintRecord] = attrs.field(factory=Ledger, repr=False)
    voicemail: PhoneNumber = attrs.field(
        default=attrs.Factory(_voicemail, takes_self=True), repr=False
    )
    forwarding: dict[ForwardingCondition, tuple[PhoneNumber, int | None]] = attrs.field(
        factory=dict, repr=False
    )
    """Active forwarding per basic condition: the forwarded-to number and no-reply timer."""
    services: dict[str, datetime] = attrs.field(factory=dict, repr=False)
    """Connected options (catalogue codes) and when each was connected."""
    daily_fees_through: dict[str, date] = attrs.field(factory=dict, repr=False)
    """Each connected option charged every day, and the last day its fee was posted."""
    tariff_since: datetime | None = attrs.field(default=None, repr=False)
    autopay: AutopaySetting | None = attrs.field(default=None, repr=False)
    """The autopay rule, when one is set (see ``_autopay``)."""
    tmf_documents: TmfDocuments = attrs.field(factory=TmfDocuments, repr=False)
    """What the TMF face created and changed for this subscriber (see ``_documents``)."""
    events: EventLog = attrs.field(factory=EventLog, repr=False)
    """What happened on the line, in order (see ``_eventlog``)."""
    alerts: AlertState = attrs.field(factory=AlertState, repr=False)
    """The alerts the subscriber set (see ``_alerts``)."""
    webhooks: WebhookStore = attrs.field(factory=WebhookStore, repr=False)
    """The line's webhook endpoints and their outboxes (see ``_webhooks``)."""
    _last_id: int = attrs.field(default=0, repr=False)

    @property
    def currency(self) -> str:
        return self.account.currency

    def money(self, amount: Decimal) -> Money:
        """``amount`` in the account's currency, to its minor units."""
        return _money(amount, amount.is_signed(), self.currency)

    def next_id(self, prefix: str) -> str:
        """Ids that sort in creation order (the ledger's tie-break within an instant)."""
        self._last_id += 1
        return f"{prefix}{self._last_id:08d}"

    @property
    def balance(self) -> Decimal:
        last = self.expenses.last()
        return self.opening_balance if last is None else last.balance_after.amount

    def entry_time(self, at: datetime) -> datetime:
        """``at``, or the ledger's last entry's time when that is later: entries are only
        appended, so balances chain entry by entry."""
        last = self.expenses.last()
        return at if last is None or last.at <= at else last.at

    def post(
        self,
        at: datetime,
        kind: ExpenseKind,
        cost: Decimal,
        description: str,
        *,
        counterpart: PhoneNumber | None = None,
        duration: timedelta | None = None,
        volume: Quantity | None = None,
        roaming_country: str | None = None,
    ) -> Expense:
        """Record an entry of the detailed bill; ``cost`` is positive for a charge, negative
        for a credit. Credits are applied to the oldest open bills."""
        expense = Expense(
            id=self.next_id("e"),
            at=at,
            kind=kind,
            cost=self.money(cost),
            balance_after=_balance_money(self.balance - cost, self.currency),
            description=description,
            counterpart=counterpart,
            duration=duration,
            volume=volume,
            roaming_country=roaming_country,
        )
        self.expenses.add(expense)
        if cost < 0:
            self._apply_credit(-cost, at.astimezone(self.account.zone).date())
        self.alerts.after_post(self, expense)
        return expense

    def top_up(self, at: datetime, amount: Decimal, method: str, description: str) -> Payment:
        """Credit ``amount`` through :meth:`post` and record it in the payment history, with
        the bills it went to (oldest open first)."""
        before = [bill.paid for bill in self.bills]
        expense = self.post(at, ExpenseKind.TOP_UP, -amount, description)
        paid = tuple(
            bill.id for bill, was in zip(self.bills, before, strict=True) if bill.paid != was
        )
        payment = Payment(
            id="p" + expense.id[1:],
            at=at,
            amount=self.money(amount),
            method=method,
            status=PaymentStatus.SUCCEEDED,
            bills=paid,
            expense_id=expense.id,
        )
        self.payments.add(payment)
        self.events.stage(at, EventType.PAYMENT_SUCCEEDED, payment)
        return payment

    def _apply_credit(self, amount: Decimal, on: date) -> None:
        for bill in self.bills:
            if amount <= 0:
                return
            if bill.issued_on <= on and bill.remaining > 0:
                paid = min(amount, bill.remaining)
                bill.paid += paid
                amount -= paid

    def today(self, now: datetime) -> date:
        return now.astimezone(self.account.zone).date()

    def limiter(self, limits: RateLimits) -> Limiter:
        """This subscriber's rate-limit buckets under ``limits``."""
        if self._limiter is None or self._limiter.limits is not limits:
            self._limiter = Limiter(limits)
        return self._limiter

    def log_operation(
        self,
        at: datetime,
        channel: str,
        op: MutatingOperation[Any],
        status: OperationStatus,
        reason: str | None = None,
    ) -> OperationRecord:
        """Add an entry to the subscriber's operation log."""
        record = OperationRecord(
            id=self.next_id("o"),
            at=at,
            channel=channel,
            operation=op.operation_name(),
            parameters=log_parameters(op, self.account.zone),
            status=status,
            reason=reason,
        )
        self.operations.add(record)
        return record

    def record_login(
        self,
        at: datetime,
        channel: str,
        method: LoginMethod,
        status: LoginStatus,
        reason: str | None = None,
        *,
        ip: str | None = None,
        client: str | None = None,
    ) -> LoginRecord:
        """Add a sign-in attempt to the subscriber's login history."""
        record = LoginRecord(
            id=self.next_id("l"),
            at=at,
            channel=channel,
            method=method,
            status=status,
            reason=reason,
            ip=ip,
            client=client,
        )
        self.logins.add(record)
        if status is LoginStatus.SUCCESS and method is not LoginMethod.TOKEN:
            self.events.stage(at, EventType.SIGN_IN_SUCCEEDED, record)
        return record
