"""TM Forum JSON ⇄ selfcare models: pure functions, both directions.

``*_to_tmf`` render a selfcare record as the TMF resource (what the TMF face of the fake
serves); ``*_from_tmf`` read a TMF resource into the model (what :class:`TmfProtocol` does with
an operator's answer). Money is ``{"value", "unit"}`` with a JSON number that is read as a
``Decimal`` (never a float); instants are RFC 3339 in UTC.

Writers take the Open API ``version`` (4 or 5) of the API they write for: v5 gives every
object its ``@type`` and references their polymorphic shapes (``relatedParty`` as
``{role, partyOrPartyRole}``, ``relatedEntity`` as ``{role, entity}``) and renames a few
attributes (``statusChangeHistory``, ``appliedBillingRateType``, prices as ``Money``).
Readers take either version's shape, and ignore ``@type`` values and attributes they do not
know (an unknown subtype still parses).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, ParamSpec, TypeVar
from zoneinfo import ZoneInfo

from selfcare._errors import APIError
from selfcare.model import (
    Account,
    AccountStatus,
    Allowance,
    Balance,
    Bill,
    BillState,
    Call,
    Complaint,
    ComplaintCategory,
    ComplaintNote,
    ComplaintStatus,
    ComplaintStatusChange,
    Expense,
    Money,
    Payment,
    PaymentStatus,
    PhoneNumber,
    Quantity,
    RelatedEntity,
    RelatedKind,
    TariffRef,
    Unit,
)
from selfcare.tmf._profile import TmfProfile

__all__ = [
    "ALLOWANCE_USAGE_TYPES",
    "account_from_tmf",
    "allowance_from_tmf",
    "allowance_to_tmf",
    "balance_from_tmf",
    "bill_from_tmf",
    "bill_to_tmf",
    "billing_account_to_tmf",
    "call_from_tmf",
    "call_to_tmf",
    "complaint_from_tmf",
    "complaint_to_tmf",
    "expense_from_tmf",
    "expense_to_tmf",
    "instant_from_tmf",
    "instant_to_tmf",
    "money_from_tmf",
    "money_to_tmf",
    "party_from_tmf",
    "party_to_tmf",
    "payment_from_tmf",
    "payment_to_tmf",
    "ref_to_tmf",
    "topup_from_tmf",
    "topup_to_tmf",
    "typed",
]

Json = dict[str, Any]
P = ParamSpec("P")
R = TypeVar("R")


def _reads(what: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Turn any failure to read a TMF resource into an APIError naming it: the answer is
    the server's fault, not the caller's (a bad currency there is not a ValidationError)."""

    def decorate(read: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(read)
        def reader(*args: P.args, **kwargs: P.kwargs) -> R:
            try:
                return read(*args, **kwargs)
            except APIError:
                raise
            except (ValueError, TypeError, KeyError, AttributeError) as exc:
                raise APIError(f"the TMF {what} cannot be read: {exc}") from None

        return reader

    return decorate


def typed(doc: Json, kind: str, version: int) -> Json:
    """``doc`` with its ``@type`` in v5, where every object says what it is (v4: as it is)."""
    return {**doc, "@type": kind} if version == 5 else doc


def ref_to_tmf(ident: str, kind: str, version: int, **attrs: Any) -> Json:
    """A reference to a ``kind`` resource: ``{id, …}``; in v5 ``@type`` ``<kind>Ref`` too."""
    return typed({"id": ident, **attrs}, f"{kind}Ref", version)


def party_to_tmf(ident: str, name: str, role: str, referred: str, version: int) -> Json:
    """A ``relatedParty``: flat in v4, ``{role, partyOrPartyRole: PartyRef}`` in v5."""
    if version == 5:
        party = ref_to_tmf(ident, "Party", 5, name=name, **{"@referredType": referred})
        return {"role": role, "partyOrPartyRole": party, "@type": "RelatedPartyRefOrPartyRoleRef"}
    return {"id": ident, "name": name, "role": role, "@referredType": referred}


def party_from_tmf(doc: object) -> Mapping[str, Any]:
    """A ``relatedParty`` of either version as one flat mapping (id, name, role, …)."""
    if not isinstance(doc, Mapping):
        return {}
    party = doc.get("partyOrPartyRole")
    return {**party, "role": doc.get("role")} if isinstance(party, Mapping) else doc


def _need(doc: Mapping[str, Any], key: str, where: str) -> Any:
    value = doc.get(key)
    if value is None:
        raise APIError(f"the TMF {where} has no {key!r}: {dict(doc)!r:.200}")
    return value


# ---------------------------------------------------------------- scalars


def money_to_tmf(money: Money) -> Json:
    """``Money`` as TMF ``{"value": <number>, "unit": <ISO 4217>}``."""
    return {"value": money.amount, "unit": money.currency}


def money_from_tmf(doc: object, where: str) -> Money:
    """A TMF Money object; the value must have been decoded as a Decimal or an int."""
    if not isinstance(doc, Mapping):
        raise APIError(f"the TMF {where} is not a Money object: {doc!r:.100}")
    value, unit = doc.get("value"), doc.get("unit")
    if isinstance(value, bool) or not isinstance(value, Decimal | int) or not isinstance(unit, str):
        raise APIError(f"the TMF {where} {dict(doc)!r:.100} needs a numeric value and a unit")
    return Money(Decimal(value), unit)


def instant_to_tmf(at: datetime) -> str:
    """An aware datetime as RFC 3339 in UTC (``2026-11-25T09:00:00Z``)."""
    return at.astimezone(UTC).isoformat().replace("+00:00", "Z")


def instant_from_tmf(text: object, where: str) -> datetime:
    """An RFC 3339 date-time with an offset."""
    try:
        at = datetime.fromisoformat(str(text))
    except ValueError:
        raise APIError(f"the TMF {where} {text!r} is not an RFC 3339 date-time") from None
    if at.tzinfo is None:
        raise APIError(f"the TMF {where} {text!r} has no UTC offset")
    return at


def _day_to_tmf(day: date, zone: ZoneInfo) -> str:
    return instant_to_tmf(datetime.combine(day, time(0), zone))


def _day_from_tmf(text: object, zone: ZoneInfo, where: str) -> date:
    return instant_from_tmf(text, where).astimezone(zone).date()


# ---------------------------------------------------------------- characteristics


_CHARACTERISTIC_TYPES = {
    "boolean": "BooleanCharacteristic",
    "string": "StringCharacteristic",
    "number": "NumberCharacteristic",
    "object": "ObjectCharacteristic",
    "array": "ObjectArrayCharacteristic",
}
"""The v5 ``Characteristic`` subtype of each ``valueType``."""


def characteristics_to_tmf(
    names: Mapping[str, str], values: Mapping[str, Any], version: int = 4
) -> list[Json]:
    """Name/value pairs under ``names`` (selfcare field -> TMF name), leaving out ``None``;
    in v5 each is the ``Characteristic`` subtype of its value (``BooleanCharacteristic``…)."""
    out: list[Json] = []
    for field, value in values.items():
        if value is None:
            continue
        kind = (
            "boolean"
            if isinstance(value, bool)
            else "string"
            if isinstance(value, str)
            else "number"
            if isinstance(value, int | Decimal)
            else "object"
            if isinstance(value, Mapping)
            else "array"
        )
        item = {"name": names[field], "valueType": kind, "value": value}
        out.append(typed(item, _CHARACTERISTIC_TYPES[kind], version))
    return out


def characteristics_from_tmf(names: Mapping[str, str], items: object) -> dict[str, Any]:
    """The selfcare fields found among a resource's characteristics, named as ``names`` say."""
    by_name = {name: field for field, name in names.items()}
    found: dict[str, Any] = {}
    for item in items if isinstance(items, list) else ():
        if isinstance(item, Mapping) and item.get("name") in by_name:
            found[by_name[item["name"]]] = item.get("value")
    return found


def _characteristics(
    profile: TmfProfile, values: Mapping[str, Any], version: int = 4
) -> list[Json]:
    return characteristics_to_tmf(profile.characteristics, values, version)


def _read_characteristics(profile: TmfProfile, items: object) -> dict[str, Any]:
    return characteristics_from_tmf(profile.characteristics, items)


def _phone(value: object, where: str) -> PhoneNumber | None:
    if value is None:
        return None
    try:
        return PhoneNumber(str(value))
    except ValueError:
        raise APIError(f"the TMF {where} {value!r} is not an E.164 number") from None


def _seconds(value: object, where: str) -> timedelta | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise APIError(f"the TMF {where} {value!r} is not a number of seconds")
    return timedelta(seconds=int(value))


def _cost(doc: Mapping[str, Any], where: str) -> Money:
    rated = doc.get("ratedProductUsage") or []
    if not rated or not isinstance(rated[0], Mapping):
        raise APIError(f"the TMF {where} {doc.get('id')!r} has no ratedProductUsage")
    amount = rated[0].get("taxIncludedRatingAmount") or rated[0].get("taxExcludedRatingAmount")
    return money_from_tmf(amount, f"{where} rating amount")


# ---------------------------------------------------------------- TMF635 usage


def expense_to_tmf(expense: Expense, profile: TmfProfile) -> Json:
    """An expense as a rated TMF635 usage record."""
    volume = None if expense.volume is None else str(expense.volume)
    return {
        "id": expense.id,
        "usageDate": instant_to_tmf(expense.at),
        "usageType": profile.usage_types[expense.kind],
        "description": expense.description,
        "status": "rated",
        "ratedProductUsage": [
            {"isBilled": True, "taxIncludedRatingAmount": money_to_tmf(expense.cost)}
        ],
        "usageCharacteristic": _characteristics(
            profile,
            {
                "balance_after": expense.balance_after.amount,
                "counterpart": None if expense.counterpart is None else expense.counterpart.e164,
                "duration": None
                if expense.duration is None
                else int(expense.duration.total_seconds()),
                "volume": volume,
                "roaming_country": expense.roaming_country,
            },
        ),
    }


@_reads("usage record")
def expense_from_tmf(doc: Mapping[str, Any], profile: TmfProfile) -> Expense:
    """A TMF635 usage record of one of the profile's expense usage types."""
    usage_type = _need(doc, "usageType", "usage")
    kind = profile.kind_of(usage_type)
    if kind is None:
        raise APIError(
            f"usageType {usage_type!r} is not an expense kind of profile {profile.name!r}"
        )
    cost = _cost(doc, "usage")
    chars = _read_characteristics(profile, doc.get("usageCharacteristic"))
    after = chars.get("balance_after")
    if isinstance(after, bool) or not isinstance(after, int | Decimal):
        raise APIError(f"the TMF usage {doc.get('id')!r} has no numeric balance characteristic")
    volume = chars.get("volume")
    try:
        quantity = None if volume is None else Quantity(*str(volume).split(" ", 1))
    except (TypeError, ValueError):
        raise APIError(f"the TMF usage volume {volume!r} is not '<number> <unit>'") from None
    return Expense(
        id=str(_need(doc, "id", "usage")),
        at=instant_from_tmf(_need(doc, "usageDate", "usage"), "usageDate"),
        kind=kind,
        cost=cost,
        balance_after=Money(Decimal(after), cost.currency),
        description=str(doc.get("description") or ""),
        counterpart=_phone(chars.get("counterpart"), "counterpart"),
        duration=_seconds(chars.get("duration"), "duration"),
        volume=quantity,
        roaming_country=chars.get("roaming_country"),
    )


def call_to_tmf(call: Call, profile: TmfProfile) -> Json:
    """A call as a TMF635 usage record of the profile's call usage type."""
    return {
        "id": call.id,
        "usageDate": instant_to_tmf(call.at),
        "usageType": profile.call_usage_type,
        "status": "rated",
        "ratedProductUsage": [
            {"isBilled": True, "taxIncludedRatingAmount": money_to_tmf(call.cost)}
        ],
        "usageCharacteristic": _characteristics(
            profile,
            {
                "direction": profile.directions[call.direction],
                "counterpart": call.counterpart.e164,
                "duration": int(call.duration.total_seconds()),
                "answered": call.answered,
            },
        ),
    }


@_reads("call usage record")
def call_from_tmf(doc: Mapping[str, Any], profile: TmfProfile) -> Call:
    """A TMF635 usage record of the profile's call usage type."""
    chars = _read_characteristics(profile, doc.get("usageCharacteristic"))
    direction = profile.direction_of(chars.get("direction"))
    if direction is None:
        raise APIError(f"the TMF call usage {doc.get('id')!r} has no known direction")
    counterpart = _phone(chars.get("counterpart"), "counterpart")
    if counterpart is None:
        raise APIError(f"the TMF call usage {doc.get('id')!r} has no counterpart")
    answered = chars.get("answered")
    return Call(
        id=str(_need(doc, "id", "usage")),
        at=instant_from_tmf(_need(doc, "usageDate", "usage"), "usageDate"),
        direction=direction,
        counterpart=counterpart,
        answered=answered is True or answered == "true",
        duration=_seconds(chars.get("duration"), "duration") or timedelta(0),
        cost=_cost(doc, "usage"),
    )


# ---------------------------------------------------------------- TMF666 / TMF637 account


def billing_account_to_tmf(
    account: Account, balance: Balance, profile: TmfProfile, version: int = 4
) -> Json:
    """The account and its balance as a TMF666 billing account."""
    cycle: Json = {
        "name": "monthly",
        "frequency": "monthly",
        "billingDateShift": account.billing_day,
    }
    if version == 4:
        cycle["isRef"] = False
    owner = party_to_tmf(account.number.e164, account.holder, "owner", "Individual", version)
    balance_doc = {
        "balanceType": profile.balance_type,
        "amount": money_to_tmf(balance.amount),
        "validFor": {"startDateTime": instant_to_tmf(balance.as_of)},
    }
    structure = {"cycleSpecification": typed(cycle, "BillingCycleSpecification", version)}
    doc: Json = {
        "id": account.personal_account,
        "name": account.personal_account,
        "state": account.status.value,
        "accountType": "personal",
        "relatedParty": [owner],
        "accountBalance": [typed(balance_doc, "AccountBalance", version)],
        "creditLimit": money_to_tmf(balance.credit_limit),
        "billStructure": typed(structure, "BillStructure", version),
    }
    return typed(doc, "BillingAccount", version)


@_reads("billing account balance")
def balance_from_tmf(doc: Mapping[str, Any], profile: TmfProfile) -> Balance:
    """The spendable balance of a TMF666 billing account (the profile's ``balanceType``)."""
    for item in doc.get("accountBalance") or []:
        if isinstance(item, Mapping) and item.get("balanceType") == profile.balance_type:
            amount = money_from_tmf(item.get("amount"), "accountBalance.amount")
            valid = item.get("validFor") or {}
            start = valid.get("startDateTime")
            as_of = instant_from_tmf(start, "validFor") if start else datetime.now(UTC)
            limit = doc.get("creditLimit")
            credit = money_from_tmf(limit, "creditLimit") if limit else Money.zero(amount.currency)
            return Balance(amount=amount, credit_limit=credit, as_of=as_of)
    raise APIError(
        f"billing account {doc.get('id')!r} has no accountBalance of type {profile.balance_type!r}"
    )


@_reads("billing account")
def account_from_tmf(
    billing: Mapping[str, Any], products: Iterable[Mapping[str, Any]], profile: TmfProfile
) -> Account:
    """An account from the TMF666 billing account and the TMF637 products on it."""
    tariff = next((p for p in products if p.get("isBundle") and p.get("status") == "active"), None)
    if tariff is None:
        raise APIError(
            f"billing account {billing.get('id')!r} has no active bundle product (tariff)"
        )
    offering = tariff.get("productOffering") or {}
    number = _phone(
        _read_characteristics(profile, tariff.get("productCharacteristic")).get("msisdn"), "msisdn"
    )
    if number is None:
        raise APIError(f"product {tariff.get('id')!r} has no msisdn characteristic")
    owner = next(
        (
            party
            for party in map(party_from_tmf, billing.get("relatedParty") or [])
            if party.get("role") == "owner"
        ),
        {"name": billing.get("name")},
    )
    try:
        status = AccountStatus(str(billing.get("state") or "active").lower())
    except ValueError:
        raise APIError(f"billing account state {billing.get('state')!r} is not known") from None
    balance = balance_from_tmf(billing, profile)
    cycle = (billing.get("billStructure") or {}).get("cycleSpecification") or {}
    return Account(
        number=number,
        holder=str(owner.get("name") or ""),
        tariff=TariffRef(
            str(offering.get("id") or tariff.get("id")),
            str(offering.get("name") or tariff.get("name") or ""),
        ),
        status=status,
        currency=balance.amount.currency,
        region=profile.region,
        time_zone=profile.time_zone,
        billing_day=int(cycle.get("billingDateShift") or 1),
        personal_account=str(_need(billing, "id", "billing account")),
    )


# ---------------------------------------------------------------- TMF678 customer bill

_BILL_STATE = {
    BillState.ISSUED: "sent",
    BillState.PARTIALLY_PAID: "partiallyPaid",
    BillState.PAID: "settled",
}


def bill_to_tmf(
    bill: Bill, zone: ZoneInfo, account_id: str | None = None, version: int = 4
) -> Json:
    """A bill as a TMF678 customer bill (of billing account ``account_id`` when given); its
    period ends at the midnight after its last day."""
    state = bill.state
    if state is BillState.OVERDUE:  # TMF has no overdue state: it follows from the due date
        state = BillState.ISSUED if bill.remaining == bill.amount_due else BillState.PARTIALLY_PAID
    return {
        "id": bill.id,
        "billNo": bill.id,
        "billDate": _day_to_tmf(bill.issued_on, zone),
        "paymentDueDate": _day_to_tmf(bill.due_date, zone),
        "billingPeriod": {
            "startDateTime": _day_to_tmf(bill.period_start, zone),
            "endDateTime": _day_to_tmf(bill.period_end + timedelta(days=1), zone),
        },
        "amountDue": money_to_tmf(bill.amount_due),
        "remainingAmount": money_to_tmf(bill.remaining),
        "state": _BILL_STATE[state],
        **(
            {}
            if account_id is None
            else {"billingAccount": ref_to_tmf(account_id, "BillingAccount", version)}
        ),
    }


@_reads("customer bill")
def bill_from_tmf(doc: Mapping[str, Any], zone: ZoneInfo, today: date) -> Bill:
    """A TMF678 customer bill; one still owed after its due date (in ``zone``) is overdue."""
    period = _need(doc, "billingPeriod", "customer bill")
    due = _day_from_tmf(_need(doc, "paymentDueDate", "customer bill"), zone, "paymentDueDate")
    remaining = money_from_tmf(_need(doc, "remainingAmount", "customer bill"), "remainingAmount")
    tmf_state = doc.get("state")
    if tmf_state == "settled":
        state = BillState.PAID
    elif remaining.amount > 0 and due < today:
        state = BillState.OVERDUE
    elif tmf_state == "partiallyPaid":
        state = BillState.PARTIALLY_PAID
    else:
        state = BillState.ISSUED
    return Bill(
        id=str(_need(doc, "id", "customer bill")),
        period_start=_day_from_tmf(period.get("startDateTime"), zone, "billingPeriod"),
        period_end=_day_from_tmf(period.get("endDateTime"), zone, "billingPeriod")
        - timedelta(days=1),
        issued_on=_day_from_tmf(_need(doc, "billDate", "customer bill"), zone, "billDate"),
        due_date=due,
        amount_due=money_from_tmf(_need(doc, "amountDue", "customer bill"), "amountDue"),
        remaining=remaining,
        state=state,
    )


# ---------------------------------------------------------------- TMF676 payment, TMF654 top-up

_SUCCEEDED = {"succeeded", "authorized", "approved", "completed", "done", "settled"}


def payment_to_tmf(payment: Payment, account_id: str) -> Json:
    """A payment as a TMF676 payment: bills and its top-up usage record as payment items."""
    items: list[Json] = [
        {"item": {"id": bill, "@referredType": "CustomerBill"}} for bill in payment.bills
    ]
    if payment.expense_id is not None:
        items.append({"item": {"id": payment.expense_id, "@referredType": "Usage"}})
    return {
        "id": payment.id,
        "paymentDate": instant_to_tmf(payment.at),
        "status": payment.status.value,
        "account": {"id": account_id},
        "totalAmount": money_to_tmf(payment.amount),
        "paymentMethod": {"id": payment.method, "name": payment.method},
        "paymentItem": items,
    }


@_reads("payment")
def payment_from_tmf(doc: Mapping[str, Any]) -> Payment:
    """A TMF676 payment (the method as the server masked it)."""
    items = [i.get("item") or {} for i in doc.get("paymentItem") or [] if isinstance(i, Mapping)]
    method = doc.get("paymentMethod") or {}
    return Payment(
        id=str(_need(doc, "id", "payment")),
        at=instant_from_tmf(_need(doc, "paymentDate", "payment"), "paymentDate"),
        amount=money_from_tmf(doc.get("totalAmount") or doc.get("amount"), "totalAmount"),
        method=str(method.get("name") or method.get("id") or ""),
        status=PaymentStatus.SUCCEEDED
        if str(doc.get("status", "")).lower() in _SUCCEEDED
        else PaymentStatus.DECLINED,
        bills=tuple(str(i["id"]) for i in items if i.get("@referredType") == "CustomerBill"),
        expense_id=next((str(i["id"]) for i in items if i.get("@referredType") == "Usage"), None),
    )


def topup_to_tmf(payment: Payment, account_id: str) -> Json:
    """A payment card's activation as a completed TMF654 top-up (the serial, never the PIN)."""
    return {
        "id": payment.id,
        "status": "completed" if payment.succeeded else "failed",
        "confirmationDate": instant_to_tmf(payment.at),
        "requestedDate": instant_to_tmf(payment.at),
        "voucher": payment.method.removeprefix("voucher:"),
        "amount": {"amount": payment.amount.amount, "units": payment.amount.currency},
        "usageType": "monetary",
        "partyAccount": {"id": account_id},
        "bucket": {"id": f"{account_id}-main"},
        "description": _topup_note(payment),
    }


def _topup_note(payment: Payment) -> str:
    """What TMF654 has no field for, in the description: ``usage:<id> bills:<id>,<id>``."""
    parts = [] if payment.expense_id is None else [f"usage:{payment.expense_id}"]
    if payment.bills:
        parts.append("bills:" + ",".join(payment.bills))
    return " ".join(parts)


def _read_topup_note(text: object) -> tuple[str | None, tuple[str, ...]]:
    words = dict(w.split(":", 1) for w in str(text or "").split() if ":" in w)
    bills = tuple(b for b in words.get("bills", "").split(",") if b)
    return words.get("usage"), bills


@_reads("top-up")
def topup_from_tmf(doc: Mapping[str, Any]) -> Payment:
    """A completed TMF654 top-up as the payment it made."""
    amount = doc.get("amount") or {}
    value, unit = amount.get("amount"), amount.get("units")
    if isinstance(value, bool) or not isinstance(value, int | Decimal) or not isinstance(unit, str):
        raise APIError(f"the TMF top-up amount {amount!r:.100} needs a number and units")
    expense_id, bills = _read_topup_note(doc.get("description"))
    return Payment(
        id=str(_need(doc, "id", "top-up")),
        at=instant_from_tmf(
            doc.get("confirmationDate") or doc.get("requestedDate"), "confirmationDate"
        ),
        amount=Money(Decimal(value), unit),
        method=f"voucher:{doc.get('voucher') or ''}",
        status=PaymentStatus.SUCCEEDED
        if doc.get("status") == "completed"
        else PaymentStatus.DECLINED,
        bills=bills,
        expense_id=expense_id,
    )


# ---------------------------------------------------------------- TMF654 allowance buckets

ALLOWANCE_USAGE_TYPES: Mapping[Unit, str] = {
    Unit.MINUTE: "voice",
    Unit.SMS: "sms",
    Unit.MEGABYTE: "data",
}
"""The TMF654 ``usageType`` of a non-monetary bucket in each unit (data is counted in MB)."""


def _quantity_to_tmf(quantity: Quantity) -> Json:
    return {"amount": quantity.value, "units": quantity.unit.value}


def _quantity_from_tmf(doc: object, where: str) -> Quantity:
    if not isinstance(doc, Mapping):
        raise APIError(f"the TMF {where} is not a Quantity: {doc!r:.100}")
    amount, units = doc.get("amount"), doc.get("units")
    if isinstance(amount, bool) or not isinstance(amount, int | Decimal):
        raise APIError(f"the TMF {where} {dict(doc)!r:.100} needs a numeric amount")
    value = Quantity(Decimal(amount), str(units))  # an unknown unit is an InvalidMoney
    if value.unit is Unit.GIGABYTE:
        return Quantity(value.value * 1024, Unit.MEGABYTE)
    return value


def allowance_to_tmf(allowance: Allowance, account_id: str, version: int = 4) -> Json:
    """An allowance as a non-monetary TMF654 ``Bucket``: ``remainingValue`` in its unit
    (``min``, ``sms``, ``MB``), valid for the billing period; what the period includes is the
    ``initialValue`` extension (TMF654 v4 has no attribute for it)."""
    unit = allowance.remaining.unit
    doc: Json = {
        "id": f"{account_id}-{ALLOWANCE_USAGE_TYPES[unit]}",
        "name": f"{ALLOWANCE_USAGE_TYPES[unit]} allowance",
        "description": f"{unit.value} left of this billing period's allowance",
        "usageType": ALLOWANCE_USAGE_TYPES[unit],
        "status": "active",
        "isShared": False,
        "remainingValue": _quantity_to_tmf(allowance.remaining),
        "remainingValueName": str(allowance.remaining),
        "partyAccount": typed(
            {"id": account_id, "@referredType": "BillingAccount"}, "PartyAccountRef", version
        ),
        "validFor": {
            "startDateTime": instant_to_tmf(allowance.period_start),
            "endDateTime": instant_to_tmf(allowance.period_end),
        },
        "@type": "Bucket",
    }
    if allowance.included is not None:
        doc["initialValue"] = _quantity_to_tmf(allowance.included)
    return doc


@_reads("bucket")
def allowance_from_tmf(doc: Mapping[str, Any]) -> Allowance | None:
    """A non-monetary TMF654 bucket as an allowance (``None`` for a monetary one): GB are
    read as MB, a bucket without ``initialValue`` has ``included=None``."""
    if doc.get("usageType") == "monetary":
        return None
    remaining = _quantity_from_tmf(_need(doc, "remainingValue", "bucket"), "remainingValue")
    initial = doc.get("initialValue")
    valid = doc.get("validFor") or {}
    return Allowance(
        remaining=remaining,
        included=None if initial is None else _quantity_from_tmf(initial, "initialValue"),
        period_start=instant_from_tmf(valid.get("startDateTime"), "validFor.startDateTime"),
        period_end=instant_from_tmf(valid.get("endDateTime"), "validFor.endDateTime"),
    )


# ---------------------------------------------------------------- TMF621 trouble ticket

_TICKET_STATUS = {
    ComplaintStatus.ACKNOWLEDGED: "acknowledged",
    ComplaintStatus.IN_PROGRESS: "inProgress",
    ComplaintStatus.RESOLVED: "resolved",
    ComplaintStatus.REJECTED: "rejected",
}
_FROM_TICKET = {
    **{name: status for status, name in _TICKET_STATUS.items()},
    "pending": ComplaintStatus.IN_PROGRESS,
    "held": ComplaintStatus.IN_PROGRESS,
    "closed": ComplaintStatus.RESOLVED,
    "cancelled": ComplaintStatus.REJECTED,
}
_REFERRED = {
    RelatedKind.EXPENSE: "Usage",
    RelatedKind.CALL: "Usage",
    RelatedKind.BILL: "CustomerBill",
    RelatedKind.MESSAGE: "CommunicationMessage",
}


def ticket_status_to_tmf(status: ComplaintStatus) -> str:
    """The TMF621 status name of a complaint status."""
    return _TICKET_STATUS[status]


def ticket_status_from_tmf(value: object) -> ComplaintStatus:
    """A TMF621 status as a complaint status (pending/held count as in progress)."""
    try:
        return _FROM_TICKET[str(value)]
    except KeyError:
        raise APIError(f"trouble ticket status {value!r} is not a TMF621 status") from None


def related_to_tmf(related: RelatedEntity, version: int = 4) -> Json:
    """A related record as a TMF621 relatedEntity (its kind is the role); in v5 the record
    is the ``entity`` reference of a ``RelatedEntity``."""
    referred = _REFERRED[related.kind]
    if version == 5:
        entity = {"id": related.id, "@referredType": referred, "@type": "EntityRef"}
        return {"role": related.kind.value, "entity": entity, "@type": "RelatedEntity"}
    return {"id": related.id, "role": related.kind.value, "@referredType": referred}


def related_from_tmf(doc: Mapping[str, Any]) -> RelatedEntity:
    """A relatedEntity of either version (v5's ``entity`` reference, or v4's flat one)."""
    entity = doc.get("entity")
    ident = entity.get("id") if isinstance(entity, Mapping) else doc.get("id")
    try:
        if ident is None:
            raise KeyError("id")
        return RelatedEntity(RelatedKind(str(doc.get("role"))), str(ident))
    except (KeyError, ValueError):
        raise APIError(f"relatedEntity {dict(doc)!r:.100} has no known role and id") from None


def complaint_to_tmf(complaint: Complaint, version: int = 4) -> Json:
    """A complaint as a TMF621 trouble ticket (v5: ``statusChangeHistory`` for v4's
    ``statusChange``, each change dated ``statusChangeDate``, and the
    ``troubleTicketSpecification`` of the complaint's category, whose id is the category)."""
    if version == 5:
        changes: Json = {
            "statusChangeHistory": [
                {
                    "status": _TICKET_STATUS[c.status],
                    "statusChangeDate": instant_to_tmf(c.at),
                    "statusChangeReason": c.reason,
                    "@type": "StatusChange",
                }
                for c in complaint.history
            ]
        }
    else:
        changes = {
            "statusChange": [
                {
                    "status": _TICKET_STATUS[c.status],
                    "changeDate": instant_to_tmf(c.at),
                    "changeReason": c.reason,
                }
                for c in complaint.history
            ]
        }
    doc: Json = {
        "id": complaint.id,
        "name": complaint.subject,
        "description": complaint.text,
        "ticketType": complaint.category.value,
        "severity": "minor",
        "status": _TICKET_STATUS[complaint.status],
        "creationDate": instant_to_tmf(complaint.created_at),
        "lastUpdate": instant_to_tmf(complaint.updated_at),
        "expectedResolutionDate": instant_to_tmf(complaint.expected_resolution),
        "relatedEntity": [related_to_tmf(r, version) for r in complaint.related],
        **changes,
        "note": [
            typed(
                {"id": n.id, "author": n.author, "date": instant_to_tmf(n.at), "text": n.text},
                "Note",
                version,
            )
            for n in complaint.notes
        ],
    }
    if version == 5:  # v4's TroubleTicket has no specification
        doc["troubleTicketSpecification"] = ref_to_tmf(
            complaint.category.value,
            "TroubleTicketSpecification",
            5,
            name=f"{complaint.category.value} complaint",
        )
    if complaint.resolved_at is not None:
        doc["resolutionDate"] = instant_to_tmf(complaint.resolved_at)
    if complaint.history:
        doc["statusChangeDate"] = instant_to_tmf(complaint.history[-1].at)
    return typed(doc, "TroubleTicket", version)


@_reads("trouble ticket")
def complaint_from_tmf(doc: Mapping[str, Any]) -> Complaint:
    """A TMF621 trouble ticket as a complaint."""
    try:
        category = ComplaintCategory(str(doc.get("ticketType")))
    except ValueError:
        category = ComplaintCategory.OTHER
    created = instant_from_tmf(_need(doc, "creationDate", "trouble ticket"), "creationDate")
    resolved = doc.get("resolutionDate")
    return Complaint(
        id=str(_need(doc, "id", "trouble ticket")),
        subject=str(doc.get("name") or ""),
        text=str(doc.get("description") or ""),
        category=category,
        status=ticket_status_from_tmf(doc.get("status")),
        created_at=created,
        updated_at=instant_from_tmf(doc.get("lastUpdate") or doc["creationDate"], "lastUpdate"),
        expected_resolution=instant_from_tmf(
            doc.get("expectedResolutionDate") or doc["creationDate"], "expectedResolutionDate"
        ),
        resolved_at=None if resolved is None else instant_from_tmf(resolved, "resolutionDate"),
        related=tuple(related_from_tmf(r) for r in doc.get("relatedEntity") or []),
        history=tuple(
            ComplaintStatusChange(
                status=ticket_status_from_tmf(c.get("status")),
                at=instant_from_tmf(
                    c.get("statusChangeDate") or c.get("changeDate"), "statusChangeDate"
                ),
                reason=str(c.get("statusChangeReason") or c.get("changeReason") or ""),
            )
            for c in doc.get("statusChangeHistory") or doc.get("statusChange") or []
        ),
        notes=tuple(
            ComplaintNote(
                id=str(n.get("id") or ""),
                at=instant_from_tmf(n.get("date"), "note.date"),
                author=str(n.get("author") or ""),
                text=str(n.get("text") or ""),
            )
            for n in doc.get("note") or []
        ),
    )
