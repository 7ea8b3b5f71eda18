"""The route table: which HTTP method and path carries each operation under ``/v1``.

Both the HTTP backend and the reference server are generic loops over this table, so the two
sides of the protocol cannot drift apart, and the OpenAPI document is generated from it.

Where an operation's fields travel follows from the method: path parameters are the
``{names}`` in the path; for GET and DELETE every other field is a query parameter; for
POST, PUT and PATCH they form the JSON body. ``idempotency_key`` always travels as the
``Idempotency-Key`` header.

A request acts on the login's own line unless it names another in the ``Selfcare-Line``
header (:data:`LINE_HEADER`, an E.164 number), the same way for every route; a line the login
may not see is ``404 not-found`` whether or not it exists (``docs/lines.md``).
"""

from __future__ import annotations

import re
from typing import Any

import attrs

from selfcare._errors import (
    AuthenticationError,
    CardAlreadyUsed,
    CardBlocked,
    CardExpired,
    CardInvalid,
    Conflict,
    NotFound,
    PaymentDeclined,
    RateLimited,
    SelfcareError,
    TooManyAttempts,
)
from selfcare.operations import (
    ActivateCard,
    AddComplaintNote,
    AddContact,
    AddListMembers,
    CancelMessage,
    ChangeTariff,
    ConnectService,
    CreateMailingList,
    CreateWebhook,
    DeleteContact,
    DeleteMailingList,
    DeleteWebhook,
    DisableAlerts,
    DisableAutopay,
    DisableForwarding,
    DisconnectService,
    FileComplaint,
    GetAccount,
    GetAlerts,
    GetAutopay,
    GetBalance,
    GetComplaint,
    GetContact,
    GetForwarding,
    GetMailingList,
    GetMessage,
    GetServiceCatalog,
    ImportContacts,
    ListBills,
    ListCalls,
    ListComplaints,
    ListConnectedServices,
    ListContacts,
    ListEvents,
    ListExpenses,
    ListLines,
    ListLogins,
    ListMailingLists,
    ListMessages,
    ListOperations,
    ListPayments,
    ListWebhooks,
    Operation,
    Pay,
    ReadEvents,
    RefreshSession,
    RemoveListMembers,
    RequestCode,
    SendMms,
    SendSms,
    SetAlerts,
    SetAutopay,
    SetForwarding,
    SignInWithCode,
    SignInWithPassword,
    SignOut,
    UpdateContact,
)

__all__ = ["EVENT_STREAM_PATH", "LINE_HEADER", "ROUTES", "Route", "route_for"]

PREFIX = "/v1"
EVENT_STREAM_PATH = f"{PREFIX}/events/stream"
"""Server-sent events: the line's events as they happen (``Last-Event-ID`` resumes), the
one route that is not an operation (see docs/events.md)."""
LINE_HEADER = "Selfcare-Line"
"""The header naming the line (E.164) a request acts on; absent: the login's own line."""
_PARAM = re.compile(r"\{(\w+)\}")


@attrs.frozen
class Route:
    """One row of the table: an operation and the method and path that carry it."""

    op: type[Operation[Any]]
    method: str
    path: str
    summary: str = ""
    public: bool = False
    """Served without a bearer token (signing in is how a caller gets one)."""
    errors: tuple[type[SelfcareError], ...] = ()
    """The errors of this operation's own rules (a declined payment, a used card…), beyond
    those every route of its shape can give (see ``selfcare.protocol.openapi``)."""

    @property
    def name(self) -> str:
        """The operation's snake_case name (the OpenAPI ``operationId``)."""
        return self.op.operation_name()

    @property
    def path_fields(self) -> tuple[str, ...]:
        return tuple(_PARAM.findall(self.path))

    @property
    def fields(self) -> tuple[str, ...]:
        """Every field of the operation except the idempotency key."""
        return tuple(f.name for f in attrs.fields(self.op) if f.name != "idempotency_key")

    @property
    def query_fields(self) -> tuple[str, ...]:
        if self.method not in ("GET", "DELETE"):
            return ()
        return tuple(f for f in self.fields if f not in self.path_fields)

    @property
    def body_fields(self) -> tuple[str, ...]:
        if self.method in ("GET", "DELETE"):
            return ()
        return tuple(f for f in self.fields if f not in self.path_fields)

    def url_path(self, op: Operation[Any]) -> str:
        """The path with this operation's path parameters filled in."""
        return _PARAM.sub(lambda m: _path_value(getattr(op, m.group(1))), self.path)


def _path_value(value: object) -> str:
    from urllib.parse import quote

    return quote(str(value), safe="")


ROUTES: tuple[Route, ...] = (
    Route(
        SignInWithPassword,
        "POST",
        f"{PREFIX}/auth/password",
        "Sign in with the number and password",
        public=True,
        errors=(AuthenticationError, TooManyAttempts, RateLimited),
    ),
    Route(
        RequestCode,
        "POST",
        f"{PREFIX}/auth/otp",
        "Text a one-time code",
        public=True,
        errors=(NotFound, Conflict, RateLimited),
    ),
    Route(
        SignInWithCode,
        "POST",
        f"{PREFIX}/auth/otp/confirm",
        "Sign in with the one-time code",
        public=True,
        errors=(AuthenticationError, NotFound, TooManyAttempts, RateLimited),
    ),
    Route(
        RefreshSession,
        "POST",
        f"{PREFIX}/auth/refresh",
        "A new access token",
        public=True,
        errors=(AuthenticationError, RateLimited),
    ),
    Route(SignOut, "POST", f"{PREFIX}/auth/logout", "End this session"),
    Route(GetAccount, "GET", f"{PREFIX}/account", "The subscriber's account"),
    Route(GetBalance, "GET", f"{PREFIX}/account/balance", "The balance now"),
    Route(ListBills, "GET", f"{PREFIX}/bills", "Bills, oldest first"),
    Route(ListExpenses, "GET", f"{PREFIX}/expenses", "The detailed bill, newest first"),
    Route(ListCalls, "GET", f"{PREFIX}/calls", "The call log, newest first"),
    Route(
        Pay,
        "POST",
        f"{PREFIX}/payments",
        "Pay from a bank card or wallet",
        errors=(PaymentDeclined, Conflict),
    ),
    Route(ListPayments, "GET", f"{PREFIX}/payments", "Payments, newest first"),
    Route(
        ActivateCard,
        "POST",
        f"{PREFIX}/payment-cards/activations",
        "Credit a prepaid payment card by its PIN",
        errors=(CardInvalid, CardAlreadyUsed, CardExpired, CardBlocked, TooManyAttempts),
    ),
    Route(GetAutopay, "GET", f"{PREFIX}/autopay", "The autopay rule (null when off)"),
    Route(SetAutopay, "PUT", f"{PREFIX}/autopay", "Top up automatically when the balance runs low"),
    Route(DisableAutopay, "DELETE", f"{PREFIX}/autopay", "Turn autopay off"),
    Route(
        SendSms,
        "POST",
        f"{PREFIX}/messages/sms",
        "Send an SMS to one or more numbers",
        errors=(RateLimited,),
    ),
    Route(
        SendMms,
        "POST",
        f"{PREFIX}/messages/mms",
        "Send an MMS with attachments",
        errors=(RateLimited,),
    ),
    Route(ListMessages, "GET", f"{PREFIX}/messages", "Sent messages, newest first"),
    Route(GetMessage, "GET", f"{PREFIX}/messages/{{id}}", "A message and its delivery"),
    Route(
        CancelMessage,
        "POST",
        f"{PREFIX}/messages/{{id}}/cancel",
        "Cancel a scheduled one",
        errors=(Conflict,),
    ),
    Route(ListContacts, "GET", f"{PREFIX}/contacts", "The phonebook on the server"),
    Route(AddContact, "POST", f"{PREFIX}/contacts", "Add a contact", errors=(Conflict,)),
    Route(
        ImportContacts,
        "POST",
        f"{PREFIX}/contacts/import",
        "Add many contacts at once",
        errors=(Conflict,),
    ),
    Route(GetContact, "GET", f"{PREFIX}/contacts/{{id}}", "One contact"),
    Route(UpdateContact, "PATCH", f"{PREFIX}/contacts/{{id}}", "Change a contact"),
    Route(DeleteContact, "DELETE", f"{PREFIX}/contacts/{{id}}", "Delete a contact"),
    Route(ListMailingLists, "GET", f"{PREFIX}/mailing-lists", "Mailing lists"),
    Route(
        CreateMailingList,
        "POST",
        f"{PREFIX}/mailing-lists",
        "Create a mailing list",
        errors=(NotFound, Conflict),
    ),
    Route(GetMailingList, "GET", f"{PREFIX}/mailing-lists/{{id}}", "One mailing list"),
    Route(DeleteMailingList, "DELETE", f"{PREFIX}/mailing-lists/{{id}}", "Delete a list"),
    Route(
        AddListMembers,
        "POST",
        f"{PREFIX}/mailing-lists/{{list_id}}/members",
        "Add members to a list",
    ),
    Route(
        RemoveListMembers,
        "POST",
        f"{PREFIX}/mailing-lists/{{list_id}}/members/remove",
        "Remove members from a list",
        errors=(Conflict,),
    ),
    Route(GetForwarding, "GET", f"{PREFIX}/forwarding", "Every forwarding rule, and which apply"),
    Route(SetForwarding, "PUT", f"{PREFIX}/forwarding/{{condition}}", "Forward calls"),
    Route(DisableForwarding, "DELETE", f"{PREFIX}/forwarding/{{condition}}", "Stop forwarding"),
    Route(GetServiceCatalog, "GET", f"{PREFIX}/catalog", "Tariff plans and options on offer"),
    Route(ListConnectedServices, "GET", f"{PREFIX}/services", "Connected options"),
    Route(
        ConnectService,
        "POST",
        f"{PREFIX}/services",
        "Connect an option",
        errors=(NotFound, Conflict),
    ),
    Route(
        DisconnectService,
        "DELETE",
        f"{PREFIX}/services/{{code}}",
        "Disconnect an option",
        errors=(Conflict,),
    ),
    Route(
        ChangeTariff,
        "PUT",
        f"{PREFIX}/account/tariff",
        "Change the tariff plan",
        errors=(NotFound, Conflict),
    ),
    Route(ListOperations, "GET", f"{PREFIX}/operations", "The operation log, newest first"),
    Route(ListLines, "GET", f"{PREFIX}/lines", "The lines this login may see, by number"),
    Route(ListLogins, "GET", f"{PREFIX}/logins", "Sign-ins, newest first"),
    Route(
        FileComplaint,
        "POST",
        f"{PREFIX}/complaints",
        "File a complaint",
        errors=(NotFound, Conflict),
    ),
    Route(ListComplaints, "GET", f"{PREFIX}/complaints", "Complaints, newest first"),
    Route(GetComplaint, "GET", f"{PREFIX}/complaints/{{complaint_id}}", "One complaint"),
    Route(
        AddComplaintNote,
        "POST",
        f"{PREFIX}/complaints/{{complaint_id}}/notes",
        "Add a note to a complaint",
        errors=(Conflict,),
    ),
    Route(ListEvents, "GET", f"{PREFIX}/events", "Events on the line, newest first"),
    Route(
        ReadEvents,
        "GET",
        f"{PREFIX}/events/after",
        "Events after an event id, oldest first (a stream's catch-up without SSE)",
    ),
    Route(GetAlerts, "GET", f"{PREFIX}/alerts", "The alerts set on the line"),
    Route(SetAlerts, "PUT", f"{PREFIX}/alerts", "Turn alerts on or change them"),
    Route(DisableAlerts, "DELETE", f"{PREFIX}/alerts", "Turn alerts off"),
    Route(
        CreateWebhook,
        "POST",
        f"{PREFIX}/webhooks",
        "Register a URL for the line's events (the answer has its signing secret, once)",
        errors=(Conflict,),
    ),
    Route(ListWebhooks, "GET", f"{PREFIX}/webhooks", "Webhook endpoints, newest first"),
    Route(
        DeleteWebhook,
        "DELETE",
        f"{PREFIX}/webhooks/{{id}}",
        "Stop delivering to an endpoint",
        errors=(NotFound,),
    ),
)

_BY_OP = {route.op: route for route in ROUTES}


def route_for(op_type: type[Operation[Any]]) -> Route:
    """The route of an operation type (``KeyError`` when the protocol has none)."""
    return _BY_OP[op_type]
