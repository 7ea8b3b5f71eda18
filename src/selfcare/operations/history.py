"""Operations on the subscriber's own history: sign-ins and the operation log."""

from __future__ import annotations

from datetime import datetime

import attrs

from selfcare._client.paging import Page
from selfcare._time import optional_aware_validator
from selfcare.model import LoginMethod, LoginRecord, LoginStatus, OperationRecord, OperationStatus
from selfcare.operations._base import Capability, MutatingOperation, PagedOperation

__all__ = ["ListLogins", "ListOperations", "logged_operation_names"]


def logged_operation_names() -> frozenset[str]:
    """The names the operation log can hold: every mutating operation's (``set_forwarding``…)."""
    names: set[str] = set()
    pending = list(MutatingOperation.__subclasses__())
    while pending:
        cls = pending.pop()
        names.add(cls.operation_name())
        pending.extend(cls.__subclasses__())
    return frozenset(names)


@attrs.frozen
class ListOperations(PagedOperation[OperationRecord]):
    """The operation log in ``[since, until)``, newest first, optionally of one operation or
    status."""

    result = Page[OperationRecord]
    capability = Capability.LOGINS

    since: datetime | None = attrs.field(default=None, validator=optional_aware_validator)
    until: datetime | None = attrs.field(default=None, validator=optional_aware_validator)
    operation: str | None = None
    status: OperationStatus | None = None


@attrs.frozen
class ListLogins(PagedOperation[LoginRecord]):
    """Sign-in attempts in ``[since, until)``, newest first, optionally by method or status."""

    result = Page[LoginRecord]
    capability = Capability.LOGINS

    since: datetime | None = attrs.field(default=None, validator=optional_aware_validator)
    until: datetime | None = attrs.field(default=None, validator=optional_aware_validator)
    method: LoginMethod | None = None
    status: LoginStatus | None = None
