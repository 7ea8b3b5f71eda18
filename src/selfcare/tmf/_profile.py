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
    "V5_APIS",
    "V5_ROOTS",
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

V5_APIS = ("account", "bill", "catalog", "inventory", "ordering", "troubleTicket")
"""The APIs whose TM Forum Open API v5 specification is public (TMF666, 678, 620, 637, 622
and 621); the others (TMF635, 654, 676, 681) have only v4."""

V5_ROOTS: Mapping[str, str] = MappingProxyType(
    {api: STANDARD_ROOTS[api].removesuffix("/v4") + "/v5" for api in V5_APIS}
)
"""The v5 root of each API that has one: the same ``apiName`` as v4, ``/v5`` instead of
``/v4`` (``/tmf-api/customerBillManagement/v5``)."""


def standard_root(api: str, version: int = 4) -> str:
    """The standard root of ``api`` in ``version`` (4 or 5), without the trailing slash."""
    return V5_ROOTS[api] if version == 5 else STANDARD_ROOTS[api]


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


def _frozen(value: Mapping[Any, Any]) -> Mapping[Any, Any]:
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
    ``region`` are the operator's, since TMF accounts do not carry them. ``versions`` gives
    the Open API version (4 or 5) spoken per API (4 where not named): operators migrate one
    API at a time; :meth:`with_version` sets every API that has a v5 to v5.
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
    versions: Mapping[str, int] = attrs.field(factory=dict, converter=_frozen)
    """The Open API version of each API named (4 or 5; 4 for the others)."""
    json_patch: bool = False
    """On a v5 API, change a resource with one JSON Patch (RFC 6902,
    ``application/json-patch+json``) where that saves reading it first: a complaint's note is
    ``add /note/-`` instead of reading the ticket and merge-patching its whole ``note`` list
    (which could drop a note added in between). TM Forum's v5 specs declare JSON Patch but
    its design guidelines leave it optional for a server, so it is off by default."""

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
        for api, version in self.versions.items():
            if version not in (4, 5) or isinstance(version, bool):
                raise ValidationError(
                    f"profile {self.name!r}: version {version!r} of {api!r} is not 4 or 5",
                    field="versions",
                )
            if version == 5 and api not in V5_APIS:
                raise ValidationError(
                    f"profile {self.name!r}: {api!r} has no TM Forum v5 API "
                    f"(v5 exists for {', '.join(V5_APIS)})",
                    field="versions",
                )

    def version(self, api: str) -> int:
        """The Open API version (4 or 5) this profile speaks for ``api``."""
        return self.versions.get(api, 4)

    def root(self, api: str) -> str:
        """The root of ``api`` (a path or an absolute URL, without a trailing slash): the one
        ``roots`` gives, or the standard root of the API's version."""
        given = self.roots.get(api, STANDARD_ROOTS[api])
        if given == STANDARD_ROOTS[api]:
            given = standard_root(api, self.version(api))
        return given.rstrip("/")

    def with_version(self, version: int, *apis: str) -> TmfProfile:
        """This profile speaking ``version`` for ``apis`` (every API that has that version
        when none are named): ``profile.with_version(5)``, ``profile.with_version(5, "bill")``."""
        if version not in (4, 5):
            raise ValidationError(f"version {version!r} is not 4 or 5", field="version")
        chosen = apis or (V5_APIS if version == 5 else API_NAMES)
        unknown = sorted(set(chosen) - set(API_NAMES))
        if unknown:
            raise ValidationError(f"unknown API {unknown[0]!r}", field="apis")
        versions: dict[str, int] = {**self.versions, **dict.fromkeys(chosen, version)}
        return attrs.evolve(self, versions=versions)

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
