"""Operations on the detailed bill and the call log."""

from __future__ import annotations

from datetime import datetime

import attrs

from selfcare._client.paging import Page
from selfcare._time import optional_aware_validator
from selfcare.model import Call, CallDirection, Expense, ExpenseKind, PhoneNumber
from selfcare.operations._base import Capability, PagedOperation

__all__ = ["ListCalls", "ListExpenses"]


@attrs.frozen
class ListExpenses(PagedOperation[Expense]):
    """Expenses in ``[since, until)``, newest first, optionally of some kinds or one counterpart."""

    result = Page[Expense]
    capability = Capability.EXPENSES

    since: datetime | None = attrs.field(default=None, validator=optional_aware_validator)
    until: datetime | None = attrs.field(default=None, validator=optional_aware_validator)
    kinds: tuple[ExpenseKind, ...] = ()
    counterpart: PhoneNumber | None = None


@attrs.frozen
class ListCalls(PagedOperation[Call]):
    """Calls in ``[since, until)``, newest first; ``missed=True`` keeps only missed ones."""

    result = Page[Call]
    capability = Capability.CALLS

    since: datetime | None = attrs.field(default=None, validator=optional_aware_validator)
    until: datetime | None = attrs.field(default=None, validator=optional_aware_validator)
    direction: CallDirection | None = None
    missed: bool | None = None
    counterpart: PhoneNumber | None = None
