"""The area clients, public so code can annotate with them (``def report(x: Expenses)``).

You get them from a client (``sc.expenses``), never by constructing them; each sync class has
an async twin with the same methods.
"""

from __future__ import annotations

from selfcare._async.account import AsyncAccountArea
from selfcare._async.alerts import AsyncAlertsArea
from selfcare._async.calls import AsyncCalls
from selfcare._async.complaints import AsyncComplaints
from selfcare._async.contacts import AsyncContacts, AsyncMailingLists
from selfcare._async.events import AsyncEvents
from selfcare._async.expenses import AsyncExpenses
from selfcare._async.forwarding import AsyncForwarding
from selfcare._async.lines import AsyncLineExpenses, AsyncLines
from selfcare._async.logins import AsyncLogins
from selfcare._async.messages import AsyncMessages
from selfcare._async.payments import AsyncPayments
from selfcare._async.services import AsyncServices
from selfcare._async.webhooks import AsyncWebhooks
from selfcare._sync.account import AccountArea
from selfcare._sync.alerts import AlertsArea
from selfcare._sync.calls import Calls
from selfcare._sync.complaints import Complaints
from selfcare._sync.contacts import Contacts, MailingLists
from selfcare._sync.events import Events
from selfcare._sync.expenses import Expenses
from selfcare._sync.forwarding import Forwarding
from selfcare._sync.lines import LineExpenses, Lines
from selfcare._sync.logins import Logins
from selfcare._sync.messages import Messages
from selfcare._sync.payments import Payments
from selfcare._sync.services import Services
from selfcare._sync.webhooks import Webhooks

__all__ = [
    "AccountArea",
    "AlertsArea",
    "AsyncAccountArea",
    "AsyncAlertsArea",
    "AsyncCalls",
    "AsyncComplaints",
    "AsyncContacts",
    "AsyncEvents",
    "AsyncExpenses",
    "AsyncForwarding",
    "AsyncLineExpenses",
    "AsyncLines",
    "AsyncLogins",
    "AsyncMailingLists",
    "AsyncMessages",
    "AsyncPayments",
    "AsyncServices",
    "AsyncWebhooks",
    "Calls",
    "Complaints",
    "Contacts",
    "Events",
    "Expenses",
    "Forwarding",
    "LineExpenses",
    "Lines",
    "Logins",
    "MailingLists",
    "Messages",
    "Payments",
    "Services",
    "Webhooks",
]
