"""How the model's enumerations read to people: one message per member, in the enumeration's
context (a *failed* sign-in and a *failed* message may read differently), translated into the
reader's language through the package's gettext catalogs (:mod:`selfcare._i18n`).

Shared by every edge that talks to people: the CLI's human output and the example portal
(``examples/portal``) both show ``label(ExpenseKind.VOICE_OUT)`` (``voice out``, ``исходящий
звонок``) and ``operation("set_forwarding")``. The model, the wire, exceptions and the CLI's
``--json`` and ``--csv`` show the value itself (``voice_out``), never these.

Cheap to import, and ``import selfcare`` does not import it: it loads the model's
enumerations only, and Babel and a catalog load on the first translation into a language
other than English.
"""

from __future__ import annotations

import enum
from typing import Final

from selfcare._i18n import NC_, pgettext
from selfcare.forwarding import ForwardingCondition
from selfcare.model import (
    AccountStatus,
    AlertName,
    BillState,
    CallDirection,
    ChargePeriod,
    ComplaintCategory,
    ComplaintStatus,
    EventType,
    ExpenseKind,
    LineRole,
    LoginMethod,
    LoginStatus,
    MessageKind,
    MessagePriority,
    MessageStatus,
    OperationStatus,
    PaymentMethodKind,
    PaymentStatus,
    RecipientStatus,
    RelatedKind,
    ServiceKind,
)

__all__ = ["LABELS", "OPERATIONS", "label", "operation"]

LABELS: Final[dict[enum.Enum, str]] = {
    AccountStatus.ACTIVE: NC_("AccountStatus", "active"),
    AccountStatus.SUSPENDED: NC_("AccountStatus", "suspended"),
    AccountStatus.BLOCKED: NC_("AccountStatus", "blocked"),
    BillState.ISSUED: NC_("BillState", "issued"),
    BillState.PARTIALLY_PAID: NC_("BillState", "partially paid"),
    BillState.PAID: NC_("BillState", "paid"),
    BillState.OVERDUE: NC_("BillState", "overdue"),
    CallDirection.INCOMING: NC_("CallDirection", "incoming"),
    CallDirection.OUTGOING: NC_("CallDirection", "outgoing"),
    ChargePeriod.DAY: NC_("ChargePeriod", "day"),
    ChargePeriod.MONTH: NC_("ChargePeriod", "month"),
    ComplaintCategory.BILLING: NC_("ComplaintCategory", "billing"),
    ComplaintCategory.NETWORK: NC_("ComplaintCategory", "network"),
    ComplaintCategory.SERVICES: NC_("ComplaintCategory", "services"),
    ComplaintCategory.MESSAGING: NC_("ComplaintCategory", "messaging"),
    ComplaintCategory.OTHER: NC_("ComplaintCategory", "other"),
    ComplaintStatus.ACKNOWLEDGED: NC_("ComplaintStatus", "acknowledged"),
    ComplaintStatus.IN_PROGRESS: NC_("ComplaintStatus", "in progress"),
    ComplaintStatus.RESOLVED: NC_("ComplaintStatus", "resolved"),
    ComplaintStatus.REJECTED: NC_("ComplaintStatus", "rejected"),
    ExpenseKind.VOICE_OUT: NC_("ExpenseKind", "voice out"),
    ExpenseKind.VOICE_IN: NC_("ExpenseKind", "voice in"),
    ExpenseKind.SMS: NC_("ExpenseKind", "sms"),
    ExpenseKind.MMS: NC_("ExpenseKind", "mms"),
    ExpenseKind.DATA: NC_("ExpenseKind", "data"),
    ExpenseKind.SUBSCRIPTION_FEE: NC_("ExpenseKind", "subscription fee"),
    ExpenseKind.ONE_OFF: NC_("ExpenseKind", "one off"),
    ExpenseKind.ROAMING: NC_("ExpenseKind", "roaming"),
    ExpenseKind.TOP_UP: NC_("ExpenseKind", "top up"),
    ExpenseKind.REFUND: NC_("ExpenseKind", "refund"),
    LoginMethod.PASSWORD: NC_("LoginMethod", "password"),
    LoginMethod.OTP: NC_("LoginMethod", "otp"),
    LoginMethod.TOKEN: NC_("LoginMethod", "token"),
    LoginMethod.NETWORK: NC_("LoginMethod", "network"),
    LoginStatus.SUCCESS: NC_("LoginStatus", "success"),
    LoginStatus.FAILED: NC_("LoginStatus", "failed"),
    MessageKind.SMS: NC_("MessageKind", "sms"),
    MessageKind.MMS: NC_("MessageKind", "mms"),
    MessagePriority.LOW: NC_("MessagePriority", "low"),
    MessagePriority.NORMAL: NC_("MessagePriority", "normal"),
    MessagePriority.HIGH: NC_("MessagePriority", "high"),
    MessageStatus.SCHEDULED: NC_("MessageStatus", "scheduled"),
    MessageStatus.ACCEPTED: NC_("MessageStatus", "accepted"),
    MessageStatus.SENT: NC_("MessageStatus", "sent"),
    MessageStatus.DELIVERED: NC_("MessageStatus", "delivered"),
    MessageStatus.EXPIRED: NC_("MessageStatus", "expired"),
    MessageStatus.UNDELIVERABLE: NC_("MessageStatus", "undeliverable"),
    MessageStatus.CANCELLED: NC_("MessageStatus", "cancelled"),
    MessageStatus.PARTIALLY_DELIVERED: NC_("MessageStatus", "partially delivered"),
    MessageStatus.FAILED: NC_("MessageStatus", "failed"),
    OperationStatus.DONE: NC_("OperationStatus", "done"),
    OperationStatus.FAILED: NC_("OperationStatus", "failed"),
    OperationStatus.PENDING: NC_("OperationStatus", "pending"),
    PaymentMethodKind.CARD: NC_("PaymentMethodKind", "card"),
    PaymentMethodKind.WALLET: NC_("PaymentMethodKind", "wallet"),
    PaymentMethodKind.VOUCHER: NC_("PaymentMethodKind", "voucher"),
    PaymentStatus.SUCCEEDED: NC_("PaymentStatus", "succeeded"),
    PaymentStatus.DECLINED: NC_("PaymentStatus", "declined"),
    RecipientStatus.SENT: NC_("RecipientStatus", "sent"),
    RecipientStatus.REJECTED: NC_("RecipientStatus", "rejected"),
    RelatedKind.EXPENSE: NC_("RelatedKind", "expense"),
    RelatedKind.CALL: NC_("RelatedKind", "call"),
    RelatedKind.BILL: NC_("RelatedKind", "bill"),
    RelatedKind.MESSAGE: NC_("RelatedKind", "message"),
    ServiceKind.TARIFF: NC_("ServiceKind", "tariff"),
    ServiceKind.OPTION: NC_("ServiceKind", "option"),
    ForwardingCondition.UNCONDITIONAL: NC_("ForwardingCondition", "unconditional"),
    ForwardingCondition.BUSY: NC_("ForwardingCondition", "busy"),
    ForwardingCondition.NO_REPLY: NC_("ForwardingCondition", "no reply"),
    ForwardingCondition.NOT_REACHABLE: NC_("ForwardingCondition", "not reachable"),
    ForwardingCondition.ALL: NC_("ForwardingCondition", "all"),
    ForwardingCondition.ALL_CONDITIONAL: NC_("ForwardingCondition", "all conditional"),
    AlertName.BALANCE_BELOW: NC_("AlertName", "balance below"),
    AlertName.BILL_DUE_WITHIN: NC_("AlertName", "bill due within"),
    AlertName.SPENDING_ABOVE: NC_("AlertName", "spending above"),
    EventType.BALANCE_LOW: NC_("EventType", "balance low"),
    EventType.BILL_DUE_SOON: NC_("EventType", "bill due soon"),
    EventType.BILL_ISSUED: NC_("EventType", "bill issued"),
    EventType.BILL_OVERDUE: NC_("EventType", "bill overdue"),
    EventType.COMPLAINT_UPDATED: NC_("EventType", "complaint updated"),
    EventType.FORWARDING_CHANGED: NC_("EventType", "forwarding changed"),
    EventType.MESSAGE_DELIVERED: NC_("EventType", "message delivered"),
    EventType.MESSAGE_EXPIRED: NC_("EventType", "message expired"),
    EventType.MESSAGE_FAILED: NC_("EventType", "message failed"),
    EventType.PAYMENT_FAILED: NC_("EventType", "payment failed"),
    EventType.PAYMENT_SUCCEEDED: NC_("EventType", "payment succeeded"),
    EventType.SERVICE_CONNECTED: NC_("EventType", "service connected"),
    EventType.SERVICE_DISCONNECTED: NC_("EventType", "service disconnected"),
    EventType.SIGN_IN_SUCCEEDED: NC_("EventType", "sign-in succeeded"),
    EventType.SPENDING_ABOVE: NC_("EventType", "spending above"),
    LineRole.MANAGER: NC_("LineRole", "manager"),
    LineRole.MEMBER: NC_("LineRole", "member"),
    LineRole.OWNER: NC_("LineRole", "owner"),
}
"""Every member of every enumeration the CLI shows (``tests/cli/test_i18n.py`` checks)."""


OPERATIONS: Final[dict[str, str]] = {
    "activate_card": NC_("operation", "activate card"),
    "add_complaint_note": NC_("operation", "add complaint note"),
    "add_contact": NC_("operation", "add contact"),
    "add_list_members": NC_("operation", "add list members"),
    "cancel_message": NC_("operation", "cancel message"),
    "change_tariff": NC_("operation", "change tariff"),
    "disable_alerts": NC_("operation", "disable alerts"),
    "set_alerts": NC_("operation", "set alerts"),
    "connect_service": NC_("operation", "connect service"),
    "create_mailing_list": NC_("operation", "create mailing list"),
    "create_webhook": NC_("operation", "create webhook"),
    "delete_webhook": NC_("operation", "delete webhook"),
    "delete_contact": NC_("operation", "delete contact"),
    "delete_mailing_list": NC_("operation", "delete mailing list"),
    "disable_autopay": NC_("operation", "disable autopay"),
    "disable_forwarding": NC_("operation", "disable forwarding"),
    "disconnect_service": NC_("operation", "disconnect service"),
    "file_complaint": NC_("operation", "file complaint"),
    "import_contacts": NC_("operation", "import contacts"),
    "pay": NC_("operation", "pay"),
    "remove_list_members": NC_("operation", "remove list members"),
    "send_mms": NC_("operation", "send mms"),
    "send_sms": NC_("operation", "send sms"),
    "set_autopay": NC_("operation", "set autopay"),
    "set_forwarding": NC_("operation", "set forwarding"),
    "update_contact": NC_("operation", "update contact"),
}
"""Every operation the operation log records
(:func:`selfcare.operations.history.logged_operation_names`)."""


def operation(name: str) -> str:
    """An operation's name in the log (``set_forwarding``) as people read it."""
    english = OPERATIONS.get(name)
    if english is None:
        return name.replace("_", " ")
    return pgettext("operation", english)


def label(value: enum.Enum) -> str:
    """``value`` as people read it in their language (``voice_out`` → ``voice out``)."""
    english = LABELS.get(value)
    if english is None:
        return str(value.value).replace("_", " ")
    return pgettext(type(value).__name__, english)
