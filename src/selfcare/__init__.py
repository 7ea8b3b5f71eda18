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
    CardAlreadyUsed,
    CardBlocked,
    CardExpired,
    CardInvalid,
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
    SelfcareError,
    TooManyAttempts,
    TransportError,
    ValidationError,
)
from selfcare._paging import Page
from selfcare._secret import Secret
from selfcare._summary import SpendingSummary, SummaryRow
from selfcare._sync._client import Selfcare
from selfcare._sync._paging import Pager
from selfcare._version import __version__
from selfcare.model import (
    Account,
    AccountStatus,
    Balance,
    Bill,
    BillState,
    Call,
    CallDirection,
    Expense,
    ExpenseKind,
    Money,
    Payment,
    PaymentMethod,
    PaymentMethodKind,
    PaymentStatus,
    PhoneNumber,
    Quantity,
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
    "CardAlreadyUsed",
    "CardBlocked",
    "CardExpired",
    "CardInvalid",
    "Conflict",
    "CurrencyMismatch",
    "Expense",
    "ExpenseKind",
    "IdempotencyKeyReused",
    "InvalidMoney",
    "InvalidPhoneNumber",
    "Money",
    "NaiveDatetime",
    "NotFound",
    "NotSupported",
    "Page",
    "Pager",
    "Payment",
    "PaymentDeclined",
    "PaymentMethod",
    "PaymentMethodKind",
    "PaymentStatus",
    "PhoneNumber",
    "Quantity",
    "RateLimited",
    "Secret",
    "Selfcare",
    "SelfcareError",
    "SpendingSummary",
    "SummaryRow",
    "TariffRef",
    "TooManyAttempts",
    "TransportError",
    "Unit",
    "ValidationError",
    "__version__",
]
