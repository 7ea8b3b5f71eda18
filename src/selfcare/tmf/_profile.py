"""How one operator's TM Forum APIs are laid out: API roots and the names it gives to things.

TM Forum fixes the resources and their fields, not the vocabulary inside them: which
``usageType`` a voice call has, or what a usage characteristic holding the other party's
number is called, differ from one BSS to the next. A :class:`TmfProfile` writes those
choices down, so the mapping code stays one set of pure functions.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import attrs

from selfcare._errors import ValidationError
from selfcare.model import CallDirection, ExpenseKind

__all__ = [
    "API_NAMES",
    "DEFAULT_PROFILE",
    "EXAMPLE_PROFILE_UPPER",
    "MESSAGE_CHARACTERISTICS",
    "SERVICE_CHARACTERISTICS",
    "STANDARD_ROOTS",
    "TmfProfile",
]

API_NAMES = (
    "usage",
    "account",
    "bill",
    "catalog",
    "inventory",
    "ordering",
    "payment",
    "prepay",
    "communication",
    "troubleTicket",
)
"""The TM Forum APIs selfcare uses, by the short name a profile's ``roots`` are keyed on."""

STANDARD_ROOTS: Mapping[str, str] = MappingProxyType(
    {
        "usage": "/tmf-api/usageManagement/v4",
        "account": "/tmf-api/accountManagement/v4",
        "bill": "/tmf-api/customerBillManagement/v4",
        "catalog": "/tmf-api/productCatalogManagement/v4",
        "inventory": "/tmf-api/productInventory/v4",
        "ordering": "/tmf-api/productOrderingManagement/v4",
        "payment": "/payment/v4",
        "prepay": "/tmf-api/prepayBalanceManagement/v4",
        "communication": "/tmf-api/communicationManagement/v4",
        "troubleTicket": "/tmf-api/troubleTicket/v4",
    }
)
"""Each API's ``basePath`` in its official v4 specification (without the trailing slash)."""

CHARACTERISTICS = (
    "counterpart",
    "duration",
    "direction",
    "answered",
    "balance_after",
    "volume",
    "roaming_country",
    "msisdn",
)
"""The selfcare fields carried as TMF characteristics (name/value pairs)."""

MESSAGE_CHARACTERISTICS: Mapping[str, str] = MappingProxyType(
    {
        "validity": "validitySeconds",
        "delivery_report": "deliveryReport",
        "flash": "flash",
        "status": "messageStatus",
        "encoding": "encoding",
        "parts": "parts",
        "cost": "cost",
        "valid_until": "validUntil",
        "deliveries": "deliveries",
    }
)
"""What TMF681 ``communicationMessage`` has no field for, carried as its characteristics:
send options (validity in seconds, delivery report, flash) and what the operator made of the
message (selfcare status, encoding, parts, cost, expiry, per-recipient delivery reports)."""

SERVICE_CHARACTERISTICS: Mapping[str, str] = MappingProxyType(
    {"includes": "includes", "removable": "removable"}
)
"""What TMF620/637 have no field for: what a fee includes (offering ``prodSpecCharValueUse``)
and whether a service can be switched off (offering and product characteristics)."""


def _frozen(value: Mapping[Any, str]) -> Mapping[Any, str]:
    return MappingProxyType(dict(value))


@attrs.frozen
class TmfProfile:
    """One BSS's conventions: where each API lives and the names of types and characteristics.

    ``roots`` maps an API short name (see :data:`API_NAMES`) to its root: a path under the
    backend's ``base_url`` or an absolute URL. ``usage_types`` gives the TMF635 ``usageType``
    of each expense kind, and ``call_usage_type`` that of call records. ``characteristics``
    names the usage/product characteristics that carry selfcare fields (counterpart, duration
    in seconds, direction, answered, balance_after, volume, roaming_country, msisdn), and
    ``directions`` the values of the direction characteristic; ``message_characteristics``
    names the TMF681 characteristics of what a message has no field for. ``time_zone`` and
    ``region`` are the operator's, since TMF accounts do not carry them.
    """

    name: str
    usage_types: Mapping[ExpenseKind, str] = attrs.field(converter=_frozen)
    call_usage_type: str
    characteristics: Mapping[str, str] = attrs.field(converter=_frozen)
    directions: Mapping[CallDirection, str] = attrs.field(converter=_frozen)
    roots: Mapping[str, str] = attrs.field(default=STANDARD_ROOTS, converter=_frozen)
    balance_type: str = "deposit"
    """The ``accountBalance.balanceType`` that is the spendable balance."""
    time_zone: str = "Europe/Moscow"
    region: str = "RU"
    ticket_severity: str = "minor"
    """The TMF621 ``severity`` new complaints are filed with."""
    poll_interval: float = 1.0
    """Seconds between polls of a top-up or an order that is not final yet."""
    poll_timeout: float = 60.0
    """How long to poll before giving up with :class:`~selfcare.WaitTimeout`."""
    message_characteristics: Mapping[str, str] = attrs.field(
        default=MESSAGE_CHARACTERISTICS, converter=_frozen
    )
    """The TMF681 characteristic names of the message fields in :data:`MESSAGE_CHARACTERISTICS`."""
    service_characteristics: Mapping[str, str] = attrs.field(
        default=SERVICE_CHARACTERISTICS, converter=_frozen
    )
    """The TMF620/637 names of the service fields in :data:`SERVICE_CHARACTERISTICS`."""

    def __attrs_post_init__(self) -> None:
        missing = [kind.value for kind in ExpenseKind if kind not in self.usage_types]
        if missing:
            raise ValidationError(
                f"profile {self.name!r} has no usageType for {missing}", field="usage_types"
            )
        values = [*self.usage_types.values(), self.call_usage_type]
        if len(set(values)) != len(values):
            raise ValidationError(
                f"profile {self.name!r} gives two kinds the same usageType: {values}",
                field="usage_types",
            )
        missing = [name for name in CHARACTERISTICS if name not in self.characteristics]
        if missing:
            raise ValidationError(
                f"profile {self.name!r} names no characteristic for {missing}",
                field="characteristics",
            )
        if set(self.directions) != set(CallDirection):
            raise ValidationError(
                f"profile {self.name!r} must name both call directions", field="directions"
            )
        missing = [n for n in MESSAGE_CHARACTERISTICS if n not in self.message_characteristics]
        if missing:
            raise ValidationError(
                f"profile {self.name!r} names no message characteristic for {missing}",
                field="message_characteristics",
            )
        missing = [n for n in SERVICE_CHARACTERISTICS if n not in self.service_characteristics]
        if missing:
            raise ValidationError(
                f"profile {self.name!r} names no service characteristic for {missing}",
                field="service_characteristics",
            )
        unknown = sorted(set(self.roots) - set(API_NAMES))
        if unknown:
            raise ValidationError(f"profile {self.name!r}: unknown API {unknown[0]!r}")

    def root(self, api: str) -> str:
        """The root of ``api`` (a path or an absolute URL, without a trailing slash)."""
        return self.roots.get(api, STANDARD_ROOTS[api]).rstrip("/")

    def with_roots(self, **roots: str) -> TmfProfile:
        """This profile with some APIs elsewhere: ``profile.with_roots(usage="http://…")``."""
        merged: dict[str, str] = {**self.roots, **roots}
        return attrs.evolve(self, roots=merged)

    def kind_of(self, usage_type: str) -> ExpenseKind | None:
        """The expense kind of a ``usageType`` (``None`` for calls and unknown types)."""
        for kind, name in self.usage_types.items():
            if name == usage_type:
                return kind
        return None

    def direction_of(self, value: object) -> CallDirection | None:
        """The call direction a direction characteristic's value stands for."""
        for direction, name in self.directions.items():
            if name == value:
                return direction
        return None


DEFAULT_PROFILE = TmfProfile(
    name="default",
    usage_types={
        ExpenseKind.VOICE_OUT: "voiceOutgoing",
        ExpenseKind.VOICE_IN: "voiceIncoming",
        ExpenseKind.SMS: "sms",
        ExpenseKind.MMS: "mms",
        ExpenseKind.DATA: "data",
        ExpenseKind.SUBSCRIPTION_FEE: "subscriptionFee",
        ExpenseKind.ONE_OFF: "oneOffCharge",
        ExpenseKind.ROAMING: "roaming",
        ExpenseKind.TOP_UP: "topUp",
        ExpenseKind.REFUND: "refund",
    },
    call_usage_type="voiceCall",
    characteristics={
        "counterpart": "counterpartNumber",
        "duration": "durationSeconds",
        "direction": "callDirection",
        "answered": "answered",
        "balance_after": "balanceAfter",
        "volume": "volume",
        "roaming_country": "roamingCountry",
        "msisdn": "msisdn",
    },
    directions={CallDirection.INCOMING: "incoming", CallDirection.OUTGOING: "outgoing"},
)
"""selfcare's own choice of names, camelCase like TM Forum's fields; what the TMF face of the
fake operator (``selfcare serve --protocol tmf``) speaks."""

EXAMPLE_PROFILE_UPPER = TmfProfile(
    name="example-upper",
    usage_types={
        ExpenseKind.VOICE_OUT: "VOICE_MO",
        ExpenseKind.VOICE_IN: "VOICE_MT",
        ExpenseKind.SMS: "SMS_MO",
        ExpenseKind.MMS: "MMS_MO",
        ExpenseKind.DATA: "DATA",
        ExpenseKind.SUBSCRIPTION_FEE: "RECURRING_FEE",
        ExpenseKind.ONE_OFF: "ONE_TIME_FEE",
        ExpenseKind.ROAMING: "ROAMING",
        ExpenseKind.TOP_UP: "TOPUP",
        ExpenseKind.REFUND: "REFUND",
    },
    call_usage_type="CDR_VOICE",
    characteristics={
        "counterpart": "B_NUMBER",
        "duration": "CALL_DURATION_SEC",
        "direction": "CALL_TYPE",
        "answered": "IS_ANSWERED",
        "balance_after": "BALANCE_AFTER",
        "volume": "VOLUME",
        "roaming_country": "VISITED_COUNTRY",
        "msisdn": "MSISDN",
    },
    directions={CallDirection.INCOMING: "MT", CallDirection.OUTGOING: "MO"},
    balance_type="MAIN",
    ticket_severity="Minor",
    message_characteristics={
        "validity": "VALIDITY_SEC",
        "delivery_report": "DLR_REQUESTED",
        "flash": "FLASH",
        "status": "MSG_STATUS",
        "encoding": "ENCODING",
        "parts": "SEGMENTS",
        "cost": "CHARGE",
        "valid_until": "EXPIRY",
        "deliveries": "DLR",
    },
    service_characteristics={"includes": "ALLOWANCE", "removable": "CAN_DEACTIVATE"},
)
"""An example of a BSS with upper-case CDR vocabulary (MO/MT calls, A/B numbers)."""
