"""Operations on the tariff plan and the options of the line."""

from __future__ import annotations

import re
from typing import Any

import attrs

from selfcare._errors import ValidationError
from selfcare.model import Account, ConnectedService, Service, ServiceKind
from selfcare.operations._base import Capability, MutatingOperation, Operation

__all__ = [
    "ChangeTariff",
    "ConnectService",
    "DisconnectService",
    "GetServiceCatalog",
    "ListConnectedServices",
    "check_service_code",
]

_CODE = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")


def check_service_code(value: object, field: str = "code") -> str:
    """A catalogue code: lower-case letters, digits and dashes (``internet-5gb``)."""
    if type(value) is not str or not _CODE.fullmatch(value):
        raise ValidationError(
            f"{field}={value!r} is not a service code (lower-case letters, digits and "
            "dashes, such as 'internet-5gb')",
            field=field,
        )
    return value


def _code(instance: Any, attribute: Any, value: Any) -> None:
    check_service_code(value)


@attrs.frozen
class GetServiceCatalog(Operation[tuple[Service, ...]]):
    """Every tariff plan and option the subscriber can have; ``kind`` keeps one kind."""

    result = tuple[Service, ...]
    capability = Capability.SERVICES

    kind: ServiceKind | None = None


@attrs.frozen
class ListConnectedServices(Operation[tuple[ConnectedService, ...]]):
    """The line's tariff plan (first) and its options."""

    result = tuple[ConnectedService, ...]
    capability = Capability.SERVICES


@attrs.frozen
class ConnectService(MutatingOperation[ConnectedService]):
    """Connect an option: refused if it clashes with what is connected or cannot be paid."""

    result = ConnectedService
    capability = Capability.SERVICES

    code: str = attrs.field(validator=_code)


@attrs.frozen
class DisconnectService(MutatingOperation[tuple[ConnectedService, ...]]):
    """Switch an option off; returns what is still connected."""

    result = tuple[ConnectedService, ...]
    capability = Capability.SERVICES

    code: str = attrs.field(validator=_code)


@attrs.frozen
class ChangeTariff(MutatingOperation[Account]):
    """Move the line to another tariff plan; returns the account with its new tariff."""

    result = Account
    capability = Capability.SERVICES

    code: str = attrs.field(validator=_code)
