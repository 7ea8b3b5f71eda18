"""selfcare: a typed SDK for mobile-subscriber self-service.

>>> import selfcare
>>> sc = selfcare.Selfcare.fake(seed=42)
>>> sc.account.balance()          # doctest: +SKIP

``import selfcare`` loads the sync client, the model and the errors; the rest loads when first
used: the async twin (``selfcare.AsyncSelfcare``, PEP 562 below), the fake operator
(``Selfcare.fake()``), TM Forum (``Selfcare.tmf()``), httpx (a client on a server), vobject
(vCard files), pandas and pyarrow (``to_pandas()``), the server and the CLI.
``tests/test_packaging.py`` keeps it so.
"""

import typing as _typing

from selfcare._client import lazy as _lazy
from selfcare._client.fleet_export import ExportSummary
from selfcare._client.paging import Page
from selfcare._client.summary import SpendingSummary, SummaryRow
from selfcare._errors import (
    APIError,
    AuthenticationError,
    CardAlreadyUsed,
    CardBlocked,
    CardExpired,
    CardInvalid,
    ClientClosed,
    Conflict,
    CurrencyMismatch,
    IdempotencyKeyReused,
    InvalidMoney,
    InvalidPhoneNumber,
    NaiveDatetime,
    NotFound,
    NotSupported,
    PaymentDeclined,
    RateLimited,
    RequestInProgress,
    SelfcareError,
    TokenExpired,
    TooManyAttempts,
    TransportError,
    ValidationError,
    WaitTimeout,
    WebhookVerificationError,
)
from selfcare._secret import Secret
from selfcare._sync._client import Selfcare
from selfcare._sync._network import NetworkLogin
from selfcare._sync._paging import Pager
from selfcare._sync._signin import PendingLogin
from selfcare._version import __version__
from selfcare.forwarding import ForwardingCondition
from selfcare.model import (
    Account,
    AccountStatus,
    AlertName,
    Alerts,
    Attachment,
    AttachmentInfo,
    AutopayRule,
    Balance,
    Bill,
    BillState,
    Broadcast,
    Call,
    CallDirection,
    ChargePeriod,
    CodeSent,
    Complaint,
    ComplaintCategory,
    ComplaintNote,
    ComplaintStatus,
    ComplaintStatusChange,
    ConnectedService,
    Contact,
    Delivery,
    Event,
    EventType,
    Expense,
    ExpenseKind,
    ForwardingRule,
    ForwardingState,
    Line,
    LineBills,
    LineExpense,
    LineRole,
    ListMember,
    LoginMethod,
    LoginRecord,
    LoginStatus,
    MailingList,
    Message,
    MessageKind,
    MessagePriority,
    MessageStatus,
    Money,
    NewWebhookEndpoint,
    OperationParameter,
    OperationRecord,
    OperationStatus,
    Payment,
    PaymentMethod,
    PaymentMethodKind,
    PaymentStatus,
    PhoneNumber,
    Quantity,
    RecipientResult,
    RecipientStatus,
    RelatedEntity,
    RelatedKind,
    Service,
    ServiceKind,
    SignedIn,
    Spending,
    SpendingLimit,
    SpendingPeriod,
    StatusChange,
    TariffRef,
    Unit,
    WebhookEndpoint,
)

if _typing.TYPE_CHECKING:  # what mypy and IDEs see; at run time, __getattr__ below
    from selfcare._async._client import AsyncSelfcare
    from selfcare._async._network import AsyncNetworkLogin
    from selfcare._async._paging import AsyncPager
    from selfcare._async._signin import AsyncPendingLogin
    from selfcare.backends.http import AsyncHttpBackend, HttpBackend

_LAZY = {
    "AsyncHttpBackend": "selfcare.backends.http._async",
    "AsyncPager": "selfcare._async._paging",
    "AsyncNetworkLogin": "selfcare._async._network",
    "AsyncPendingLogin": "selfcare._async._signin",
    "AsyncSelfcare": "selfcare._async._client",
    "HttpBackend": "selfcare.backends.http._sync",
}
"""Public names loaded on first use: the async client (with asyncio), the HTTP backends (httpx)."""


def __getattr__(name: str) -> object:
    return _lazy.attribute(globals(), _LAZY, name)


def __dir__() -> list[str]:
    return _lazy.names(globals(), _LAZY)


__all__ = [
    "APIError",
    "Account",
    "AccountStatus",
    "AlertName",
    "Alerts",
    "AsyncHttpBackend",
    "AsyncNetworkLogin",
    "AsyncPager",
    "AsyncPendingLogin",
    "AsyncSelfcare",
    "Attachment",
    "AttachmentInfo",
    "AuthenticationError",
    "AutopayRule",
    "Balance",
    "Bill",
    "BillState",
    "Broadcast",
    "Call",
    "CallDirection",
    "CardAlreadyUsed",
    "CardBlocked",
    "CardExpired",
    "CardInvalid",
    "ChargePeriod",
    "ClientClosed",
    "CodeSent",
    "Complaint",
    "ComplaintCategory",
    "ComplaintNote",
    "ComplaintStatus",
    "ComplaintStatusChange",
    "Conflict",
    "ConnectedService",
    "Contact",
    "CurrencyMismatch",
    "Delivery",
    "Event",
    "EventType",
    "Expense",
    "ExpenseKind",
    "ExportSummary",
    "ForwardingCondition",
    "ForwardingRule",
    "ForwardingState",
    "HttpBackend",
    "IdempotencyKeyReused",
    "InvalidMoney",
    "InvalidPhoneNumber",
    "Line",
    "LineBills",
    "LineExpense",
    "LineRole",
    "ListMember",
    "LoginMethod",
    "LoginRecord",
    "LoginStatus",
    "MailingList",
    "Message",
    "MessageKind",
    "MessagePriority",
    "MessageStatus",
    "Money",
    "NaiveDatetime",
    "NetworkLogin",
    "NewWebhookEndpoint",
    "NotFound",
    "NotSupported",
    "OperationParameter",
    "OperationRecord",
    "OperationStatus",
    "Page",
    "Pager",
    "Payment",
    "PaymentDeclined",
    "PaymentMethod",
    "PaymentMethodKind",
    "PaymentStatus",
    "PendingLogin",
    "PhoneNumber",
    "Quantity",
    "RateLimited",
    "RecipientResult",
    "RecipientStatus",
    "RelatedEntity",
    "RelatedKind",
    "RequestInProgress",
    "Secret",
    "Selfcare",
    "SelfcareError",
    "Service",
    "ServiceKind",
    "SignedIn",
    "Spending",
    "SpendingLimit",
    "SpendingPeriod",
    "SpendingSummary",
    "StatusChange",
    "SummaryRow",
    "TariffRef",
    "TokenExpired",
    "TooManyAttempts",
    "TransportError",
    "Unit",
    "ValidationError",
    "WaitTimeout",
    "WebhookEndpoint",
    "WebhookVerificationError",
    "__version__",
]
