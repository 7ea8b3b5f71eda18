"""The fake operator's catalogue: tariff plans and options, priced per currency.

Each account sees the offers in its own currency. Codes are unique per currency; an offer's
``incompatible_with`` may name options or tariff plans (an option not sold on a tariff).
"""

from __future__ import annotations

from decimal import Decimal

import attrs

from selfcare._errors import NotFound
from selfcare.backends.fake._seed import KZ_PLUS, KZ_STANDARD, SMART_L, SMART_M, SMART_S
from selfcare.backends.fake._state import TariffPlan
from selfcare.model import ChargePeriod, Money, Quantity, Service, ServiceKind, Unit

__all__ = ["CATALOG", "Offer", "offer", "offers"]


@attrs.frozen
class Offer:
    """One catalogue entry as the operator keeps it; :meth:`view` is what subscribers see."""

    code: str
    name: str
    currency: str
    description: str
    recurring: Decimal
    period: ChargePeriod = ChargePeriod.MONTH
    one_off: Decimal = Decimal(0)
    includes: tuple[Quantity, ...] = ()
    incompatible_with: tuple[str, ...] = ()
    removable: bool = True
    charged_on_use: bool = False
    """A daily fee charged only on the days the option is used (roaming), not every day."""
    plan: TariffPlan | None = None
    """The tariff plan behind a tariff offer (``None`` for options)."""

    @property
    def kind(self) -> ServiceKind:
        return ServiceKind.OPTION if self.plan is None else ServiceKind.TARIFF

    def money(self, amount: Decimal) -> Money:
        return Money(amount, self.currency).rounded()

    def view(self) -> Service:
        return Service(
            code=self.code,
            name=self.name,
            kind=self.kind,
            description=self.description,
            recurring_price=self.money(self.recurring),
            period=self.period,
            one_off_price=self.money(self.one_off),
            includes=self.includes,
            incompatible_with=self.incompatible_with,
            removable=self.removable,
            sms_price=None if self.plan is None else self.money(self.plan.sms_price),
            mms_price=None if self.plan is None else self.money(self.plan.mms_price),
        )


def _tariff(plan: TariffPlan, currency: str, description: str, one_off: str = "0") -> Offer:
    data = (
        Quantity(plan.data_mb // 1024, Unit.GIGABYTE)
        if plan.data_mb % 1024 == 0
        else Quantity(plan.data_mb, Unit.MEGABYTE)
    )
    return Offer(
        code=plan.code,
        name=plan.name,
        currency=currency,
        description=description,
        recurring=plan.monthly_fee,
        one_off=Decimal(one_off),
        includes=(Quantity(plan.minutes, Unit.MINUTE), Quantity(plan.sms, Unit.SMS), data),
        removable=False,
        plan=plan,
    )


def _basics(currency: str) -> tuple[Offer, ...]:
    return (
        Offer(
            "voicemail",
            "Voicemail",
            currency,
            "Callers leave a message when you do not answer or cannot be reached; part of "
            "every line, so it cannot be switched off.",
            Decimal(0),
            removable=False,
        ),
        Offer(
            "caller-id",
            "Caller ID",
            currency,
            "Shows who is calling; part of every line.",
            Decimal(0),
            removable=False,
        ),
    )


CATALOG: tuple[Offer, ...] = (
    _tariff(SMART_S, "RUB", "The essentials for light use.", one_off="100"),
    _tariff(SMART_M, "RUB", "Calls, messages and data for every day."),
    _tariff(SMART_L, "RUB", "Plenty of everything, for heavy users."),
    *_basics("RUB"),
    Offer(
        "internet-5gb",
        "+5 GB",
        "RUB",
        "Five more gigabytes of mobile internet every month.",
        Decimal("200.00"),
        includes=(Quantity(5, Unit.GIGABYTE),),
        incompatible_with=("internet-unlimited",),
    ),
    Offer(
        "internet-unlimited",
        "Unlimited internet",
        "RUB",
        "Mobile internet without a cap; not sold on Smart S.",
        Decimal("450.00"),
        one_off=Decimal("100.00"),
        incompatible_with=("internet-5gb", "smart-s"),
    ),
    Offer(
        "who-called",
        "Who called",
        "RUB",
        "An SMS about every call you missed while the phone was off.",
        Decimal("1.50"),
        period=ChargePeriod.DAY,
    ),
    Offer(
        "travel",
        "Travel abroad",
        "RUB",
        "100 minutes and 1 GB a day in roaming, charged on the days you use it.",
        Decimal("350.00"),
        period=ChargePeriod.DAY,
        charged_on_use=True,
        one_off=Decimal("50.00"),
        includes=(Quantity(100, Unit.MINUTE), Quantity(1, Unit.GIGABYTE)),
    ),
    Offer(
        "content-block",
        "Paid content block",
        "RUB",
        "Blocks subscriptions to paid content services and premium-rate short numbers.",
        Decimal(0),
    ),
    _tariff(KZ_STANDARD, "KZT", "Calls, messages and data for every day."),
    _tariff(KZ_PLUS, "KZT", "More minutes and data.", one_off="500"),
    *_basics("KZT"),
    Offer(
        "internet-10gb",
        "+10 GB",
        "KZT",
        "Ten more gigabytes of mobile internet every month.",
        Decimal("1500.00"),
        includes=(Quantity(10, Unit.GIGABYTE),),
        incompatible_with=("internet-unlimited",),
    ),
    Offer(
        "internet-unlimited",
        "Unlimited internet",
        "KZT",
        "Mobile internet without a cap.",
        Decimal("2990.00"),
        one_off=Decimal("500.00"),
        incompatible_with=("internet-10gb",),
    ),
    Offer(
        "who-called",
        "Who called",
        "KZT",
        "An SMS about every call you missed while the phone was off.",
        Decimal("20.00"),
        period=ChargePeriod.DAY,
    ),
)


def offers(currency: str) -> tuple[Offer, ...]:
    """The catalogue an account in ``currency`` sees."""
    return tuple(item for item in CATALOG if item.currency == currency)


def offer(currency: str, code: str) -> Offer:
    """The offer called ``code``; :class:`NotFound` naming it otherwise."""
    for item in offers(currency):
        if item.code == code:
            return item
    raise NotFound(f"there is no service {code!r} in the catalogue", field="code")
