"""Operations: one typed request class per thing selfcare can ask a backend to do."""

from selfcare.operations._base import (
    Capability,
    MutatingOperation,
    Operation,
    PagedOperation,
    new_idempotency_key,
)
from selfcare.operations.account import GetAccount, GetBalance, ListBills
from selfcare.operations.forwarding import DisableForwarding, GetForwarding, SetForwarding
from selfcare.operations.history import ListLogins, ListOperations
from selfcare.operations.services import (
    ChangeTariff,
    ConnectService,
    DisconnectService,
    GetServiceCatalog,
    ListConnectedServices,
)
from selfcare.operations.usage import ListCalls, ListExpenses

__all__ = [
    "Capability",
    "ChangeTariff",
    "ConnectService",
    "DisableForwarding",
    "DisconnectService",
    "GetAccount",
    "GetBalance",
    "GetForwarding",
    "GetServiceCatalog",
    "ListBills",
    "ListCalls",
    "ListConnectedServices",
    "ListExpenses",
    "ListLogins",
    "ListOperations",
    "MutatingOperation",
    "Operation",
    "PagedOperation",
    "SetForwarding",
    "new_idempotency_key",
]
