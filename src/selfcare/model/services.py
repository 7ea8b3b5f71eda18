"""Tariff plans and the options a line can have: the catalogue and what is connected."""

from __future__ import annotations

import enum

import attrs

from selfcare._time import Instant
from selfcare.model._repr import compact_repr
from selfcare.model.money import Money, Quantity

__all__ = ["Allowance", "ChargePeriod", "ConnectedService", "Service", "ServiceKind"]


class ServiceKind(enum.StrEnum):
    """A tariff plan (a line has exactly one) or an option on top of it."""

    TARIFF = "tariff"
    OPTION = "option"


class ChargePeriod(enum.StrEnum):
    """How often a recurring fee is charged."""

    DAY = "day"
    MONTH = "month"


@attrs.frozen(repr=False)
class Service:
    """An entry of the catalogue (TMF620 product offering, flattened).

    ``recurring_price`` is charged every ``period``; ``one_off_price`` once, on connection.
    ``includes`` is what the fee buys (minutes, messages, data). ``incompatible_with`` names
    the codes that cannot be connected together with this one, and a service that is not
    ``removable`` cannot be switched off.
    """

    __repr__ = compact_repr

    code: str
    name: str
    kind: ServiceKind
    description: str
    recurring_price: Money
    period: ChargePeriod
    one_off_price: Money
    includes: tuple[Quantity, ...] = ()
    incompatible_with: tuple[str, ...] = ()
    removable: bool = True
    sms_price: Money | None = None
    """Price of one SMS part beyond the allowance (tariff plans only)."""
    mms_price: Money | None = None
    """Price of one MMS beyond the allowance (tariff plans only)."""


@attrs.frozen(repr=False)
class Allowance:
    """What is left of what the tariff and options include this billing period, in one unit
    (minutes, SMS, megabytes): a TMF654 non-monetary bucket. ``included`` is ``None`` where
    the operator does not say it."""

    __repr__ = compact_repr

    remaining: Quantity
    included: Quantity | None
    period_start: Instant
    period_end: Instant


@attrs.frozen(repr=False)
class ConnectedService:
    """A service on the line now, and since when."""

    __repr__ = compact_repr

    code: str
    name: str
    kind: ServiceKind
    connected_at: Instant
    recurring_price: Money
    period: ChargePeriod
    removable: bool = True
