"""Operations: one typed request class per thing selfcare can ask a backend to do."""

from selfcare.operations._base import (
    Capability,
    MutatingOperation,
    Operation,
    PagedOperation,
    new_idempotency_key,
)
from selfcare.operations.account import GetAccount, GetBalance, ListBills
from selfcare.operations.auth import (
    PUBLIC_OPERATIONS,
    RefreshSession,
    RequestCode,
    SignInWithCode,
    SignInWithPassword,
    SignOut,
)
from selfcare.operations.complaints import (
    AddComplaintNote,
    FileComplaint,
    GetComplaint,
    ListComplaints,
)
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
from selfcare.operations.events import (
    DisableAlerts,
    GetAlerts,
    ListEvents,
    ReadEvents,
    SetAlerts,
)
from selfcare.operations.forwarding import DisableForwarding, GetForwarding, SetForwarding
from selfcare.operations.history import ListLogins, ListOperations
from selfcare.operations.lines import ListLines
from selfcare.operations.messaging import CancelMessage, GetMessage, ListMessages, SendMms, SendSms
from selfcare.operations.payments import (
    ActivateCard,
    DisableAutopay,
    GetAutopay,
    ListPayments,
    Pay,
    SetAutopay,
)
from selfcare.operations.services import (
    ChangeTariff,
    ConnectService,
    DisconnectService,
    GetServiceCatalog,
    ListConnectedServices,
)
from selfcare.operations.usage import ListCalls, ListExpenses
from selfcare.operations.webhooks import CreateWebhook, DeleteWebhook, ListWebhooks

__all__ = [
    "PUBLIC_OPERATIONS",
    "ActivateCard",
    "AddComplaintNote",
    "AddContact",
    "AddListMembers",
    "CancelMessage",
    "Capability",
    "ChangeTariff",
    "ConnectService",
    "CreateMailingList",
    "CreateWebhook",
    "DeleteContact",
    "DeleteMailingList",
    "DeleteWebhook",
    "DisableAlerts",
    "DisableAutopay",
    "DisableForwarding",
    "DisconnectService",
    "FileComplaint",
    "GetAccount",
    "GetAlerts",
    "GetAutopay",
    "GetBalance",
    "GetComplaint",
    "GetContact",
    "GetForwarding",
    "GetMailingList",
    "GetMessage",
    "GetServiceCatalog",
    "ImportContacts",
    "ListBills",
    "ListCalls",
    "ListComplaints",
    "ListConnectedServices",
    "ListContacts",
    "ListEvents",
    "ListExpenses",
    "ListLines",
    "ListLogins",
    "ListMailingLists",
    "ListMessages",
    "ListOperations",
    "ListPayments",
    "ListWebhooks",
    "MutatingOperation",
    "Operation",
    "PagedOperation",
    "Pay",
    "ReadEvents",
    "RefreshSession",
    "RemoveListMembers",
    "RequestCode",
    "SendMms",
    "SendSms",
    "SetAlerts",
    "SetAutopay",
    "SetForwarding",
    "SignInWithCode",
    "SignInWithPassword",
    "SignOut",
    "UpdateContact",
    "new_idempotency_key",
]
