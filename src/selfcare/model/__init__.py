"""The selfcare domain model: frozen, slotted, fully typed attrs classes."""

from selfcare.model.account import Account, AccountStatus, Balance, Bill, BillState, TariffRef
from selfcare.model.complaints import (
    Complaint,
    ComplaintCategory,
    ComplaintNote,
    ComplaintStatus,
    ComplaintStatusChange,
    RelatedEntity,
    RelatedKind,
)
from selfcare.model.forwarding import ForwardingRule, ForwardingState
from selfcare.model.history import (
    LoginMethod,
    LoginRecord,
    LoginStatus,
    OperationRecord,
    OperationStatus,
)
from selfcare.model.money import Money, Quantity, Unit
from selfcare.model.phone import PhoneNumber
from selfcare.model.services import ChargePeriod, ConnectedService, Service, ServiceKind
from selfcare.model.usage import Call, CallDirection, Expense, ExpenseKind

__all__ = [
    "Account",
    "AccountStatus",
    "Balance",
    "Bill",
    "BillState",
    "Call",
    "CallDirection",
    "ChargePeriod",
    "Complaint",
    "ComplaintCategory",
    "ComplaintNote",
    "ComplaintStatus",
    "ComplaintStatusChange",
    "ConnectedService",
    "Expense",
    "ExpenseKind",
    "ForwardingRule",
    "ForwardingState",
    "LoginMethod",
    "LoginRecord",
    "LoginStatus",
    "Money",
    "OperationRecord",
    "OperationStatus",
    "PhoneNumber",
    "Quantity",
    "RelatedEntity",
    "RelatedKind",
    "Service",
    "ServiceKind",
    "TariffRef",
    "Unit",
]
