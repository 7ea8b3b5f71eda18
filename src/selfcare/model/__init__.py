"""The selfcare domain model: frozen, slotted, fully typed attrs classes."""

from selfcare.model.account import Account, AccountStatus, Balance, Bill, BillState, TariffRef
from selfcare.model.auth import CodeSent, SignedIn
from selfcare.model.complaints import (
    Complaint,
    ComplaintCategory,
    ComplaintNote,
    ComplaintStatus,
    ComplaintStatusChange,
    RelatedEntity,
    RelatedKind,
)
from selfcare.model.contacts import Contact, ContactDraft, ListMember, MailingList, MemberRef
from selfcare.model.forwarding import ForwardingRule, ForwardingState
from selfcare.model.history import (
    LoginMethod,
    LoginRecord,
    LoginStatus,
    OperationRecord,
    OperationStatus,
)
from selfcare.model.messaging import (
    Attachment,
    AttachmentInfo,
    Broadcast,
    Delivery,
    Message,
    MessageKind,
    MessagePriority,
    MessageStatus,
    RecipientResult,
    RecipientStatus,
    StatusChange,
)
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
from selfcare.model.services import ChargePeriod, ConnectedService, Service, ServiceKind
from selfcare.model.usage import Call, CallDirection, Expense, ExpenseKind

__all__ = [
    "CARD_PIN_LENGTH",
    "MAX_PAYMENT",
    "Account",
    "AccountStatus",
    "Attachment",
    "AttachmentInfo",
    "Balance",
    "Bill",
    "BillState",
    "Broadcast",
    "Call",
    "CallDirection",
    "ChargePeriod",
    "CodeSent",
    "Complaint",
    "ComplaintCategory",
    "ComplaintNote",
    "ComplaintStatus",
    "ComplaintStatusChange",
    "ConnectedService",
    "Contact",
    "ContactDraft",
    "Delivery",
    "Expense",
    "ExpenseKind",
    "ForwardingRule",
    "ForwardingState",
    "ListMember",
    "LoginMethod",
    "LoginRecord",
    "LoginStatus",
    "MailingList",
    "MemberRef",
    "Message",
    "MessageKind",
    "MessagePriority",
    "MessageStatus",
    "Money",
    "OperationRecord",
    "OperationStatus",
    "Payment",
    "PaymentMethod",
    "PaymentMethodKind",
    "PaymentStatus",
    "PhoneNumber",
    "Quantity",
    "RecipientResult",
    "RecipientStatus",
    "RelatedEntity",
    "RelatedKind",
    "Service",
    "ServiceKind",
    "SignedIn",
    "StatusChange",
    "TariffRef",
    "Unit",
]
