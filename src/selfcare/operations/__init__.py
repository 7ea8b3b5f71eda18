"""Operations: one typed request class per thing selfcare can ask a backend to do."""

from selfcare.operations._base import (
    Capability,
    MutatingOperation,
    Operation,
    PagedOperation,
    new_idempotency_key,
)
from selfcare.operations.account import GetAccount, GetBalance, ListBills
from selfcare.operations.complaints import (
    AddComplaintNote,
    FileComplaint,
    GetComplaint,
    ListComplaints,
)
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
    "AddComplaintNote",
    "Capability",
    "ChangeTariff",
    "ConnectService",
    "DisableForwarding",
    "DisconnectService",
    "FileComplaint",
    "GetAccount",
    "GetBalance",
    "GetComplaint",
    "GetForwarding",
    "GetServiceCatalog",
    "ListBills",
    "ListCalls",
    "ListComplaints",
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
