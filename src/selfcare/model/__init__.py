"""The selfcare domain model: frozen, slotted, fully typed attrs classes."""

from selfcare.model.account import Account, AccountStatus, Balance, Bill, BillState, TariffRef
from selfcare.model.history import OperationRecord, OperationStatus
from selfcare.model.money import Money, Quantity, Unit
from selfcare.model.payment import (
    CARD_PIN_LENGTH,
    MAX_PAYMENT,
    Payment,
    PaymentMethod,
    PaymentMethodKind,
    PaymentStatus,
)
from selfcare.model.phone import PhoneNumber
from selfcare.model.usage import Call, CallDirection, Expense, ExpenseKind

__all__ = [
    "CARD_PIN_LENGTH",
    "MAX_PAYMENT",
    "Account",
    "AccountStatus",
    "Balance",
    "Bill",
    "BillState",
    "Call",
    "CallDirection",
    "Expense",
    "ExpenseKind",
    "Money",
    "OperationRecord",
    "OperationStatus",
    "Payment",
    "PaymentMethod",
    "PaymentMethodKind",
    "PaymentStatus",
    "PhoneNumber",
    "Quantity",
    "TariffRef",
    "Unit",
]
