"""Lines ⇄ TMF637 products, and how a TMF request names the line it acts on.

Each line of an account is one TMF637 *bundle* product, the subscription: its
``productSerialNumber`` and ``msisdn`` characteristic are the number (E.164), its
``productOffering`` the tariff, its ``productSpecification`` :data:`LINE_SPECIFICATION`,
its ``status`` the line's, and its ``relatedParty`` the line's holder, whose ``role`` is the
line's role in the account (``owner``, ``manager``, ``member``). A party's id is its line's
number, as on the billing account (``billingAccount.relatedParty``).

A request on a line other than the login's own names it with the TMF attribute filter on
that party, :func:`line_scope` (``relatedParty.id=+7…``; v5: ``relatedParty.partyOrPartyRole.id``),
on every request of a line-scoped operation. The server decides whether the login may act on
that line, and answers 404 when it may not, as for a number that is nobody's.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from selfcare._errors import APIError
from selfcare.model import AccountStatus, Line, LineRole, PhoneNumber, TariffRef
from selfcare.tmf._mapping import (
    _reads,
    characteristics_from_tmf,
    characteristics_to_tmf,
    party_from_tmf,
    party_to_tmf,
    ref_to_tmf,
    typed,
)
from selfcare.tmf._profile import TmfProfile

__all__ = [
    "LINE_SCOPES",
    "LINE_SPECIFICATION",
    "is_line",
    "line_from_tmf",
    "line_product_id",
    "line_scope",
    "line_to_tmf",
]

Json = dict[str, Any]

LINE_SPECIFICATION = "mobileLine"
"""The ``productSpecification.id`` of a line's bundle product."""

LINE_SCOPES = {4: "relatedParty.id", 5: "relatedParty.partyOrPartyRole.id"}
"""The filter naming the line a request acts on, by the API's Open API version: v4's flat
``relatedParty`` and v5's ``RelatedPartyRefOrPartyRoleRef`` put the party's id at these paths."""

_STATUS = {
    AccountStatus.ACTIVE: "active",
    AccountStatus.SUSPENDED: "suspended",
    AccountStatus.BLOCKED: "suspended",
}
"""TMF637's ``ProductStatusType`` has no ``blocked``: a blocked line's product is suspended."""


def line_scope(version: int, number: PhoneNumber) -> tuple[str, str]:
    """The query parameter naming line ``number`` on an API of ``version``."""
    return LINE_SCOPES[version], number.e164


def line_product_id(number: PhoneNumber) -> str:
    """The id of line ``number``'s bundle product (``line-79165557003``)."""
    return "line-" + number.e164.removeprefix("+")


def line_to_tmf(
    line: Line, profile: TmfProfile, version: int = 4, tariff: Mapping[str, Any] | None = None
) -> Json:
    """Line ``line`` as its TMF637 bundle product. ``tariff`` is the line's tariff product as
    read with the line's own products (``connected_to_tmf``: billing account, start date,
    price); without it (a listing of many lines) the product says what the line listing
    knows: number, holder and role, tariff, status."""
    number = line.number.e164
    doc: Json = dict(tariff) if tariff is not None else {}
    doc.pop("href", None)
    if tariff is None:
        doc["productCharacteristic"] = characteristics_to_tmf(
            profile.characteristics, {"msisdn": number}, version
        )
        doc["productOffering"] = ref_to_tmf(
            line.tariff.code, "ProductOffering", version, name=line.tariff.name
        )
    doc.update(
        id=line_product_id(line.number),
        name=doc.get("name") or line.tariff.name,
        isBundle=True,
        status=_STATUS[line.status],
        productSerialNumber=number,
        productSpecification=ref_to_tmf(
            LINE_SPECIFICATION, "ProductSpecification", version, name="Mobile line"
        ),
        relatedParty=[party_to_tmf(number, line.holder, line.role.value, "Individual", version)],
    )
    doc["@type"] = "Product"
    return typed(doc, "Product", version)


def _status(value: object) -> AccountStatus:
    if value in (None, "active", "created", "pendingActive", "pendingTerminate"):
        return AccountStatus.ACTIVE
    if value == "suspended":
        return AccountStatus.SUSPENDED
    return AccountStatus.BLOCKED


def is_line(doc: Mapping[str, Any], profile: TmfProfile) -> bool:
    """Whether a TMF637 product is a line: a bundle with a number."""
    if not doc.get("isBundle"):
        return False
    chars = characteristics_from_tmf(profile.characteristics, doc.get("productCharacteristic"))
    return bool(doc.get("productSerialNumber") or chars.get("msisdn"))


@_reads("line product")
def line_from_tmf(doc: Mapping[str, Any], profile: TmfProfile) -> Line:
    """A line from its TMF637 bundle product (number from ``productSerialNumber``, else the
    ``msisdn`` characteristic; holder and role from the ``relatedParty`` whose role is a
    line role, else the first one, read as the owner)."""
    chars = characteristics_from_tmf(profile.characteristics, doc.get("productCharacteristic"))
    number = doc.get("productSerialNumber") or chars.get("msisdn")
    if number is None:
        raise APIError(f"product {doc.get('id')!r} has no productSerialNumber or msisdn")
    parties = [party_from_tmf(p) for p in doc.get("relatedParty") or []]
    roles = {role.value for role in LineRole}
    party = next((p for p in parties if p.get("role") in roles), None)
    holder = party or next(iter(parties), {})
    offering = doc.get("productOffering") or {}
    return Line(
        number=PhoneNumber(str(number)),
        holder=str(holder.get("name") or ""),
        role=LineRole(party["role"]) if party is not None else LineRole.OWNER,
        tariff=TariffRef(
            str(offering.get("id") or doc.get("id")),
            str(offering.get("name") or doc.get("name") or ""),
        ),
        status=_status(doc.get("status")),
    )
