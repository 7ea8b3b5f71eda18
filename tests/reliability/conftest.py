"""A live reference server on the fake operator, with subscriber A's resources in place."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest

from selfcare import Selfcare
from selfcare.backends.fake import FakeOperator, ManualClock
from selfcare.backends.fake._state import Subscriber
from selfcare.server import FakeResolver, LiveServer, create_app
from tests.conftest import NOW


@pytest.fixture
def wire() -> Iterator[dict[str, Any]]:
    """A's resources (one of each kind with an id), the server, and raw clients for A and B."""
    operator = FakeOperator(seed=42, clock=ManualClock(NOW))
    with LiveServer(create_app(FakeResolver(operator))) as server:
        with Selfcare(base_url=server.url, token=operator.token("demo")) as a:
            message = a.messages.send_sms(
                "+79161234567", "hello", deliver_at=NOW + timedelta(days=2)
            )
            contact = a.contacts.add("Mum", ["+79161234567"])
            mailing = a.contacts.lists.create("Family", [contact])
            complaint = a.complaints.file("Wrong charge", "Please check", category="billing")
            expense = a.expenses.list().first(1)[0]
            webhook = a.webhooks.create("https://a.example/hooks", types="payment.succeeded")
        ids = {
            "message": message.id,
            "contact": contact.id,
            "list": mailing.id,
            "complaint": complaint.id,
            "expense": expense.id,
            "webhook": webhook.id,
        }
        clients = {
            who: httpx.Client(
                base_url=server.url,
                headers={"Authorization": f"Bearer {operator.token(key).reveal()}"},
            )
            for who, key in (("a", "demo"), ("b", "oleg"))
        }
        try:
            yield {"operator": operator, "ids": ids, **clients}
        finally:
            for client in clients.values():
                client.close()


def snapshot(operator: FakeOperator, key: str = "demo") -> tuple[object, ...]:
    """Everything a request could change for one subscriber (a refused request may add a
    ``failed`` entry to the operation log; that is the log doing its job, not a change)."""
    return snapshot_of(operator.subscriber(key))


def snapshot_of(sub: Subscriber) -> tuple[object, ...]:
    """:func:`snapshot` of one subscriber (or one line of a family's or a company's)."""
    return (
        len(sub.expenses),
        sub.balance,
        len(sub.payments),
        tuple((m.id, m.text) for m in sub.mailbox.messages),
        repr(sub.phonebook.contacts),
        repr(sub.phonebook.lists),
        tuple((c.id, len(c.notes)) for c in sub.complaints),
        tuple(sorted(sub.forwarding.items())),
        tuple(sorted(sub.services)),
        sub.account,
        repr(sub.autopay),
        tuple(sorted(sub.webhooks.endpoints)),
    )
