"""Operations: one typed request class per thing selfcare can ask a backend to do."""

from selfcare.operations._base import (
    Capability,
    MutatingOperation,
    Operation,
    PagedOperation,
    new_idempotency_key,
)
from selfcare.operations.account import GetAccount, GetBalance, ListBills
from selfcare.operations.contacts import (
    AddContact,
    AddListMembers,
    CreateMailingList,
    DeleteContact,
    DeleteMailingList,
    GetContact,
    GetMailingList,
    ImportContacts,
    ListContacts,
    ListMailingLists,
    RemoveListMembers,
    UpdateContact,
)
from selfcare.operations.messaging import CancelMessage, GetMessage, ListMessages, SendMms, SendSms
from selfcare.operations.payments import ActivateCard, ListPayments, Pay
from selfcare.operations.usage import ListCalls, ListExpenses

__all__ = [
    "ActivateCard",
    "AddContact",
    "AddListMembers",
    "CancelMessage",
    "Capability",
    "CreateMailingList",
    "DeleteContact",
    "DeleteMailingList",
    "GetAccount",
    "GetBalance",
    "GetContact",
    "GetMailingList",
    "GetMessage",
    "ImportContacts",
    "ListBills",
    "ListCalls",
    "ListContacts",
    "ListExpenses",
    "ListMailingLists",
    "ListMessages",
    "ListPayments",
    "MutatingOperation",
    "Operation",
    "PagedOperation",
    "Pay",
    "RemoveListMembers",
    "SendMms",
    "SendSms",
    "UpdateContact",
    "new_idempotency_key",
]
