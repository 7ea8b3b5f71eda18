"""Operations on the account itself: who, how much, what is owed."""

from __future__ import annotations

import attrs

from selfcare.model import Account, Balance, Bill
from selfcare.operations._base import Capability, Operation

__all__ = ["GetAccount", "GetBalance", "ListBills"]


@attrs.frozen
class GetAccount(Operation[Account]):
    """The subscriber's account."""

    result = Account
    capability = Capability.ACCOUNT


@attrs.frozen
class GetBalance(Operation[Balance]):
    """The balance now."""

    result = Balance
    capability = Capability.ACCOUNT


@attrs.frozen
class ListBills(Operation[tuple[Bill, ...]]):
    """Bills, oldest first; ``open_only`` keeps those with something left to pay."""

    result = tuple[Bill, ...]
    capability = Capability.BILLS

    open_only: bool = False
