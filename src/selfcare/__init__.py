"""selfcare: a typed SDK for mobile-subscriber self-service.

>>> import selfcare
>>> sc = selfcare.Selfcare.fake(seed=42)
>>> sc.account.balance()          # doctest: +SKIP
"""

from selfcare._async._client import AsyncSelfcare
from selfcare._async._paging import AsyncPager
from selfcare._errors import (
    APIError,
    AuthenticationError,
    Conflict,
    CurrencyMismatch,
    IdempotencyKeyReused,
    InvalidMoney,
    InvalidPhoneNumber,
    NaiveDatetime,
    NotFound,
    NotSupported,
    RateLimited,
    SelfcareError,
    TransportError,
    ValidationError,
)
from selfcare._paging import Page
from selfcare._secret import Secret
from selfcare._summary import SpendingSummary, SummaryRow
from selfcare._sync._client import Selfcare
from selfcare._sync._paging import Pager
from selfcare._version import __version__
from selfcare.forwarding_codes import ForwardingCondition
from selfcare.model import (
    Account,
    AccountStatus,
    Balance,
    Bill,
    BillState,
    Call,
    CallDirection,
    ChargePeriod,
    ConnectedService,
    Expense,
    ExpenseKind,
    ForwardingRule,
    ForwardingState,
    LoginMethod,
    LoginRecord,
    LoginStatus,
    Money,
    OperationRecord,
    OperationStatus,
    PhoneNumber,
    Quantity,
    Service,
    ServiceKind,
    TariffRef,
    Unit,
)

__all__ = [
    "APIError",
    "Account",
    "AccountStatus",
    "AsyncPager",
    "AsyncSelfcare",
    "AuthenticationError",
    "Balance",
    "Bill",
    "BillState",
    "Call",
    "CallDirection",
    "ChargePeriod",
    "Conflict",
    "ConnectedService",
    "CurrencyMismatch",
    "Expense",
    "ExpenseKind",
    "ForwardingCondition",
    "ForwardingRule",
    "ForwardingState",
    "IdempotencyKeyReused",
    "InvalidMoney",
    "InvalidPhoneNumber",
    "LoginMethod",
    "LoginRecord",
    "LoginStatus",
    "Money",
    "NaiveDatetime",
    "NotFound",
    "NotSupported",
    "OperationRecord",
    "OperationStatus",
    "Page",
    "Pager",
    "PhoneNumber",
    "Quantity",
    "RateLimited",
    "Secret",
    "Selfcare",
    "SelfcareError",
    "Service",
    "ServiceKind",
    "SpendingSummary",
    "SummaryRow",
    "TariffRef",
    "TransportError",
    "Unit",
    "ValidationError",
    "__version__",
]
