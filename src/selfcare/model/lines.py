"""The lines of an account: a family's or a company's numbers under one login."""

from __future__ import annotations

import enum

import attrs

from selfcare.model._repr import compact_repr
from selfcare.model.account import AccountStatus, Bill, TariffRef
from selfcare.model.phone import PhoneNumber
from selfcare.model.usage import Expense

__all__ = ["Line", "LineBills", "LineExpense", "LineRole"]


class LineRole(enum.StrEnum):
    """A line's role in its account, which is also what its login may do (``docs/lines.md``).

    An ``owner`` or a ``manager`` sees and acts on every line of the account; a ``member``
    only on their own line.
    """

    OWNER = "owner"
    MANAGER = "manager"
    MEMBER = "member"

    @property
    def sees_all_lines(self) -> bool:
        """Whether a login of this role sees and acts on every line of its account."""
        return self is not LineRole.MEMBER


@attrs.frozen(repr=False)
class Line:
    """One line (a number) of an account: who uses it, its role, tariff and status."""

    __repr__ = compact_repr

    number: PhoneNumber
    holder: str
    role: LineRole
    tariff: TariffRef
    status: AccountStatus


@attrs.frozen(repr=False)
class LineExpense:
    """An expense of one line, as ``sc.lines.expenses()`` merges them across lines."""

    __repr__ = compact_repr

    line: PhoneNumber
    expense: Expense


@attrs.frozen(repr=False)
class LineBills:
    """The bills of one line: a section of the account's bill (``sc.lines.bills()``)."""

    __repr__ = compact_repr

    line: PhoneNumber
    bills: tuple[Bill, ...]
