"""Operations: one typed request class per thing selfcare can ask a backend to do."""

from selfcare.operations._base import (
    Capability,
    MutatingOperation,
    Operation,
    PagedOperation,
    new_idempotency_key,
)
from selfcare.operations.account import GetAccount, GetBalance, ListBills
from selfcare.operations.payments import ActivateCard, ListPayments, Pay
from selfcare.operations.usage import ListCalls, ListExpenses

__all__ = [
    "ActivateCard",
    "Capability",
    "GetAccount",
    "GetBalance",
    "ListBills",
    "ListCalls",
    "ListExpenses",
    "ListPayments",
    "MutatingOperation",
    "Operation",
    "PagedOperation",
    "Pay",
    "new_idempotency_key",
]
