"""Seeded, realistic history for the fake operator's subscribers.

The generator replays a year (or a few months) day by day through :meth:`Subscriber.post`, so the
data obeys the same rules as anything done later: allowances reset on the billing day, usage over
them is charged at the tariff's prices, each period ends in a bill due 20 days after issue, and
bills are paid by bank-card top-ups (the second newest only in part, so it is overdue).
"""

from __future__ import annotations

import copy
import functools
import itertools
import math
import random
from bisect import bisect
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from decimal import ROUND_CEILING, Decimal
from zoneinfo import ZoneInfo

import attrs
from dateutil.relativedelta import relativedelta

from selfcare._secret import Secret
from selfcare.backends.fake._seed_line import seed_line
from selfcare.backends.fake._state import BillRecord, Subscriber, TariffPlan
from selfcare.model import (
    Account,
    AccountStatus,
    Call,
    CallDirection,
    ExpenseKind,
    PaymentMethod,
    PhoneNumber,
    Quantity,
    TariffRef,
    Unit,
)

__all__ = [
    "DEFAULT_PROFILES",
    "KZ_PLUS",
    "KZ_STANDARD",
    "PAYMENT_TERM",
    "SMART_L",
    "SMART_M",
    "SMART_S",
    "Profile",
    "generate",
    "seeded_token",
]

PAYMENT_TERM = timedelta(days=20)
"""A bill is due this long after it is issued."""


@attrs.frozen
class Profile:
    """Who a seeded subscriber is and how much history they get."""

    key: str
    number: str
    holder: str
    region: str
    time_zone: str
    currency: str
    tariff: TariffPlan
    opening_balance: Decimal
    credit_limit: Decimal
    contact_prefixes: tuple[str, ...]
    history_days: int
    calls_per_day: float
    roaming: tuple[int, int, str, str] | None = None
    """(days ago it began, length in days, ISO country, country name)."""
    sms_per_day: float = 3.0
    data_per_day: float = 4.0
    """Mobile-internet sessions a day."""
    signs_in: bool = True
    """Whether the line has a login of its own (a history of sign-ins); a company's lines
    mostly do not: their manager acts for them."""


SMART_S = TariffPlan(
    code="smart-s",
    name="Smart S",
    monthly_fee=Decimal("350.00"),
    minutes=100,
    sms=50,
    data_mb=5_120,
    minute_price=Decimal("2.90"),
    sms_price=Decimal("2.50"),
    mms_price=Decimal("6.50"),
    megabyte_price=Decimal("0.20"),
)
SMART_M = TariffPlan(
    code="smart-m",
    name="Smart M",
    monthly_fee=Decimal("550.00"),
    minutes=300,
    sms=100,
    data_mb=20_480,
    minute_price=Decimal("2.50"),
    sms_price=Decimal("2.00"),
    mms_price=Decimal("6.50"),
    megabyte_price=Decimal("0.15"),
)
SMART_L = TariffPlan(
    code="smart-l",
    name="Smart L",
    monthly_fee=Decimal("900.00"),
    minutes=1000,
    sms=300,
    data_mb=51_200,
    minute_price=Decimal("2.00"),
    sms_price=Decimal("1.50"),
    mms_price=Decimal("5.00"),
    megabyte_price=Decimal("0.10"),
)
KZ_STANDARD = TariffPlan(
    code="kz-standard",
    name="Standard",
    monthly_fee=Decimal("3990.00"),
    minutes=200,
    sms=50,
    data_mb=15_360,
    minute_price=Decimal("25.00"),
    sms_price=Decimal("15.00"),
    mms_price=Decimal("40.00"),
    megabyte_price=Decimal("1.00"),
)

KZ_PLUS = TariffPlan(
    code="kz-plus",
    name="Plus",
    monthly_fee=Decimal("5990.00"),
    minutes=500,
    sms=100,
    data_mb=40_960,
    minute_price=Decimal("20.00"),
    sms_price=Decimal("12.00"),
    mms_price=Decimal("35.00"),
    megabyte_price=Decimal("0.80"),
)

DEFAULT_PROFILES: tuple[Profile, ...] = (
    Profile(
        key="demo",
        number="+79165550123",
        holder="Anna Smirnova",
        region="RU",
        time_zone="Europe/Moscow",
        currency="RUB",
        tariff=SMART_M,
        opening_balance=Decimal("150.00"),
        credit_limit=Decimal("3000.00"),
        contact_prefixes=("+7903", "+7905", "+7915", "+7916", "+7925", "+7926", "+7977", "+7495"),
        history_days=365,
        calls_per_day=8.0,
        roaming=(150, 7, "TR", "Turkey"),
    ),
    Profile(
        key="oleg",
        number="+79035550177",
        holder="Oleg Ivanov",
        region="RU",
        time_zone="Europe/Moscow",
        currency="RUB",
        tariff=SMART_M,
        opening_balance=Decimal("500.00"),
        credit_limit=Decimal("1000.00"),
        contact_prefixes=("+7916", "+7985", "+7999"),
        history_days=90,
        calls_per_day=4.0,
    ),
    Profile(
        key="aigerim",
        number="+77015550199",
        holder="Aigerim Nurlanova",
        region="KZ",
        time_zone="Asia/Almaty",
        currency="KZT",
        tariff=KZ_STANDARD,
        opening_balance=Decimal("2000.00"),
        credit_limit=Decimal("20000.00"),
        contact_prefixes=("+7701", "+7705", "+7747", "+7727"),
        history_days=90,
        calls_per_day=5.0,
    ),
)


def _billing_day(now_local: date) -> int:
    """A billing day about ten days back, so the newest bill is open and the one before overdue."""
    return min((now_local - timedelta(days=10)).day, 28)


def generate(profile: Profile, *, seed: int, now: datetime, cached: bool = True) -> Subscriber:
    """A subscriber with ``profile.history_days`` of history ending at ``now``.

    Replaying a history takes most of a second; the same profile, seed and ``now`` give the
    same subscriber, so each is replayed once per process and copied (the frozen records are
    shared: a test suite builds thousands of operators on one clock). ``cached=False``
    replays without keeping it (a company's thousand lines, each read now and then)."""
    if not cached:
        return _replay(profile, seed, now)
    return copy.deepcopy(_replayed(profile, seed, now))


@functools.lru_cache(maxsize=16)
def _replayed(profile: Profile, seed: int, now: datetime) -> Subscriber:
    return _replay(profile, seed, now)


def seeded_token(profile: Profile, seed: int) -> Secret:
    """The API token :func:`generate` gives ``profile``'s subscriber, without replaying its
    history (the same first draws of the same random stream)."""
    rng = random.Random(f"{seed}:{profile.key}")  # noqa: S311  (a simulation, not crypto)
    _personal_account(rng)
    return _token(profile, rng)


def _personal_account(rng: random.Random) -> str:
    return f"{rng.randrange(10**11, 10**12)}"


def _token(profile: Profile, rng: random.Random) -> Secret:
    return Secret(f"sc_{profile.key}_{rng.getrandbits(96):024x}")


def _replay(profile: Profile, seed: int, now: datetime) -> Subscriber:
    rng = random.Random(f"{seed}:{profile.key}")  # noqa: S311  (a simulation, not crypto)
    zone = ZoneInfo(profile.time_zone)
    today = now.astimezone(zone).date()
    billing_day = _billing_day(today)
    account = Account(
        number=PhoneNumber(profile.number),
        holder=profile.holder,
        tariff=TariffRef(profile.tariff.code, profile.tariff.name),
        status=AccountStatus.ACTIVE,
        currency=profile.currency,
        region=profile.region,
        time_zone=profile.time_zone,
        billing_day=billing_day,
        personal_account=_personal_account(rng),
    )
    subscriber = Subscriber(
        account=account,
        token=_token(profile, rng),
        tariff=profile.tariff,
        opening_balance=profile.opening_balance,
        credit_limit=profile.credit_limit,
    )
    _History(subscriber, profile, rng, zone, now).replay(
        today - timedelta(days=profile.history_days)
    )
    seed_line(
        subscriber,
        profile.key,
        seed=seed,
        now=now,
        history_days=profile.history_days,
        logins=profile.signs_in,
    )
    return subscriber


_ONE_SMS, _ONE_MMS = Quantity(1, Unit.SMS), Quantity(1, Unit.MMS)


def _megabytes(value: Decimal) -> Quantity:
    """``Quantity(value, Unit.MEGABYTE)`` for a whole, positive ``value`` the generator drew,
    without the checks of people's input (a third of replaying a data session)."""
    quantity: Quantity = object.__new__(Quantity)
    quantity.__attrs_init__(value, Unit.MEGABYTE)
    return quantity


def _first(event: tuple[datetime, Callable[[], None]]) -> datetime:
    return event[0]


class _History:
    """Replays the days of one subscriber's history in order."""

    def __init__(
        self, sub: Subscriber, profile: Profile, rng: random.Random, zone: ZoneInfo, now: datetime
    ) -> None:
        self.sub, self.profile, self.rng, self.zone, self.now = sub, profile, rng, zone, now
        self.tariff = profile.tariff
        self.contacts = self._contacts()
        weights = [1.0 / (rank + 1) for rank in range(len(self.contacts))]
        # what rng.choices(contacts, weights=weights) accumulates on every call, once
        self.cum_weights = list(itertools.accumulate(weights))
        self.total_weight = self.cum_weights[-1] + 0.0
        self.hi = len(self.contacts) - 1
        self.day, self.midnight = date.min, datetime.min
        self.minutes_left = self.sms_left = self.mb_left = 0
        self.period_start = date.min
        self.period_charges = Decimal(0)
        self.payments: list[tuple[datetime, Decimal]] = []
        self.card = str(PaymentMethod.card(f"tok_{sub.account.personal_account}"))

    def _contacts(self) -> list[PhoneNumber]:
        numbers: list[PhoneNumber] = []
        for prefix in self.profile.contact_prefixes * 4:
            digits = 11 - (len(prefix) - 1)
            numbers.append(
                PhoneNumber(prefix + "".join(str(self.rng.randrange(10)) for _ in range(digits)))
            )
        self.rng.shuffle(numbers)
        return numbers

    def at(self, day: date, seconds: float) -> datetime:
        if day != self.day:  # most calls are for the day being played: its midnight, once
            self.day, self.midnight = day, datetime.combine(day, time(), tzinfo=self.zone)
        return self.midnight + timedelta(seconds=int(seconds))

    def replay(self, first_day: date) -> None:
        """Play every day from the first billing day on or after ``first_day`` until now."""
        last_day = self.now.astimezone(self.zone).date()
        billing_days = self._billing_days(first_day, last_day)
        day, bills = billing_days[0], len(billing_days) - 1
        periods = set(billing_days)
        issued = 0
        while day <= last_day:
            if day in periods:
                if day != billing_days[0]:
                    issued += 1
                    self._issue_bill(day, partial=issued == bills - 1)
                self._new_period(day)
            events = self._usage(day)
            events.extend(
                (when, self._pay(when, amount))
                for when, amount in self.payments
                if when.date() == day
            )
            events.sort(key=_first)  # stable, as sorted() was: same-instant events keep order
            # a day before today ends before now; only today's events can lie ahead of it
            today = day == last_day
            for when, action in events:
                if not today or when <= self.now:
                    action()
            day += timedelta(days=1)

    def _billing_days(self, first: date, last: date) -> list[date]:
        start = date(first.year, first.month, self.sub.account.billing_day)
        if start < first:
            start += relativedelta(months=1)
        days: list[date] = []
        while start <= last:
            days.append(start)
            start += relativedelta(months=1)
        return days

    def _new_period(self, day: date) -> None:
        self.period_start = day
        self.period_charges = Decimal(0)
        self.minutes_left, self.sms_left, self.mb_left = (
            self.tariff.minutes,
            self.tariff.sms,
            self.tariff.data_mb,
        )
        self._charge(
            self.at(day, 5),
            ExpenseKind.SUBSCRIPTION_FEE,
            self.tariff.monthly_fee,
            f"Monthly fee: {self.tariff.name}",
        )

    def _issue_bill(self, day: date, *, partial: bool) -> None:
        bill = BillRecord(
            id=f"b-{self.period_start:%Y-%m}",
            period_start=self.period_start,
            period_end=day - timedelta(days=1),
            issued_on=day,
            due_date=day + PAYMENT_TERM,
            amount_due=self.period_charges,
        )
        self.sub.bills.append(bill)
        pay_day = day + timedelta(days=self.rng.randint(10, 18))
        amount = (bill.amount_due / 2).quantize(Decimal("1")) if partial else bill.amount_due
        self.payments.append((self.at(pay_day, self.rng.uniform(9, 21) * 3600), amount))

    def _pay(self, when: datetime, amount: Decimal) -> Callable[[], None]:
        return lambda: self._credit(when, amount)

    def _credit(self, when: datetime, amount: Decimal) -> None:
        self.sub.top_up(when, amount, self.card, "Top-up by bank card")

    def _charge(
        self, at: datetime, kind: ExpenseKind, cost: Decimal, description: str, **extra: object
    ) -> None:
        self.period_charges += cost
        self.sub.post(at, kind, cost, description, **extra)  # type: ignore[arg-type]

    def _usage(self, day: date) -> list[tuple[datetime, Callable[[], None]]]:
        rng = self.rng
        roaming = self._roaming_country(day)
        events: list[tuple[datetime, Callable[[], None]]] = []
        for _ in range(self._poisson(self.profile.calls_per_day)):
            when = self.at(day, rng.triangular(8 * 3600, 23.5 * 3600, 19 * 3600))
            events.append((when, self._call(when, roaming)))
        for _ in range(self._poisson(self.profile.sms_per_day)):
            when = self.at(day, rng.uniform(8 * 3600, 24 * 3600 - 1))
            events.append((when, self._sms(when, roaming)))
        if rng.random() < 0.02:
            when = self.at(day, rng.uniform(10 * 3600, 22 * 3600))
            events.append((when, self._mms(when)))
        for _ in range(self._poisson(self.profile.data_per_day)):
            when = self.at(day, rng.uniform(0, 24 * 3600 - 1))
            events.append((when, self._data(when, roaming)))
        return events

    def _roaming_country(self, day: date) -> tuple[str, str] | None:
        if self.profile.roaming is None:
            return None
        ago, length, code, name = self.profile.roaming
        start = self.now.astimezone(self.zone).date() - timedelta(days=ago)
        return (code, name) if start <= day < start + timedelta(days=length) else None

    def _poisson(self, mean: float) -> int:
        # rng.expovariate(1.0) inlined: the same draws, without two calls per draw
        random, log = self.rng.random, math.log
        count, total = 0, -log(1.0 - random())
        while total < mean:
            count += 1
            total += -log(1.0 - random())
        return count

    def _counterpart(self) -> PhoneNumber:
        # rng.choices(contacts, weights=...)[0] with the weights accumulated once: one draw
        index = bisect(self.cum_weights, self.rng.random() * self.total_weight, 0, self.hi)
        return self.contacts[index]

    def _call(self, when: datetime, roaming: tuple[str, str] | None) -> Callable[[], None]:
        rng = self.rng
        direction = CallDirection.OUTGOING if rng.random() < 0.55 else CallDirection.INCOMING
        answered = rng.random() > (0.10 if direction is CallDirection.OUTGOING else 0.16)
        seconds = int(rng.lognormvariate(4.5, 1.0)) + 5 if answered else 0
        counterpart = self._counterpart()

        def call() -> None:
            cost = Decimal(0)
            duration = timedelta(seconds=seconds)
            minutes = -(-seconds // 60)
            if answered and roaming:
                code, name = roaming
                cost = Decimal("49.00") * minutes
                label = "Outgoing" if direction is CallDirection.OUTGOING else "Incoming"
                self._charge(
                    when,
                    ExpenseKind.ROAMING,
                    cost,
                    f"{label} call in roaming ({name})",
                    counterpart=counterpart,
                    duration=duration,
                    roaming_country=code,
                )
            elif answered and direction is CallDirection.OUTGOING:
                over = max(0, minutes - self.minutes_left)
                self.minutes_left = max(0, self.minutes_left - minutes)
                cost = self.tariff.minute_price * over
                self._charge(
                    when,
                    ExpenseKind.VOICE_OUT,
                    cost,
                    "Outgoing call",
                    counterpart=counterpart,
                    duration=duration,
                )
            elif answered:
                self._charge(
                    when,
                    ExpenseKind.VOICE_IN,
                    Decimal(0),
                    "Incoming call",
                    counterpart=counterpart,
                    duration=duration,
                )
            self.sub.calls.add(
                Call(
                    id=self.sub.next_id("c"),
                    at=when,
                    direction=direction,
                    counterpart=counterpart,
                    answered=answered,
                    duration=duration,
                    cost=self.sub.money(cost),
                )
            )

        return call

    def _sms(self, when: datetime, roaming: tuple[str, str] | None) -> Callable[[], None]:
        counterpart = self._counterpart()

        def sms() -> None:
            if roaming:
                self._charge(
                    when,
                    ExpenseKind.ROAMING,
                    Decimal("19.00"),
                    f"SMS in roaming ({roaming[1]})",
                    counterpart=counterpart,
                    volume=_ONE_SMS,
                    roaming_country=roaming[0],
                )
                return
            cost = Decimal(0) if self.sms_left > 0 else self.tariff.sms_price
            self.sms_left = max(0, self.sms_left - 1)
            self._charge(
                when,
                ExpenseKind.SMS,
                cost,
                "Outgoing SMS",
                counterpart=counterpart,
                volume=_ONE_SMS,
            )

        return sms

    def _mms(self, when: datetime) -> Callable[[], None]:
        counterpart = self._counterpart()

        def mms() -> None:
            self._charge(
                when,
                ExpenseKind.MMS,
                self.tariff.mms_price,
                "Outgoing MMS",
                counterpart=counterpart,
                volume=_ONE_MMS,
            )

        return mms

    def _data(self, when: datetime, roaming: tuple[str, str] | None) -> Callable[[], None]:
        megabytes = Decimal(int(self.rng.lognormvariate(3.5, 1.2)) + 1)

        def data() -> None:
            volume = _megabytes(megabytes)
            if roaming:
                cost = (megabytes * Decimal("3.00")).quantize(Decimal("0.01"))
                self._charge(
                    when,
                    ExpenseKind.ROAMING,
                    cost,
                    f"Mobile internet in roaming ({roaming[1]})",
                    volume=volume,
                    roaming_country=roaming[0],
                )
                return
            over = max(Decimal(0), megabytes - self.mb_left)
            self.mb_left = max(0, self.mb_left - int(megabytes))
            cost = (over * self.tariff.megabyte_price).quantize(Decimal("0.01"), ROUND_CEILING)
            self._charge(when, ExpenseKind.DATA, cost, "Mobile internet", volume=volume)

        return data
