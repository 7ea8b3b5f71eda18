"""Fake handlers for the subscriber's own history: the operation log and sign-ins.

A scheduled send is logged ``pending``; the log shows it ``done`` once the message has gone
out, or ``failed`` when it was cancelled first.
"""

from __future__ import annotations

from datetime import datetime

import attrs

from selfcare._client.paging import Page
from selfcare.backends.fake._handlers import Session, handles
from selfcare.backends.fake._state import Subscriber
from selfcare.model import LoginRecord, MessageStatus, OperationRecord, OperationStatus
from selfcare.operations import ListLogins, ListOperations


def settle_pending(sub: Subscriber, now: datetime) -> None:
    """Turn pending log entries whose scheduled message has left the queue into done (it was
    sent) or failed (it was cancelled first)."""
    for record_id, (record, message_id) in list(sub.pending.items()):
        status = sub.mailbox.by_id[message_id].view(now).status
        if status is MessageStatus.SCHEDULED:
            continue
        if status is MessageStatus.CANCELLED:
            settled = attrs.evolve(
                record, status=OperationStatus.FAILED, reason="cancelled before it was sent"
            )
        else:
            settled = attrs.evolve(record, status=OperationStatus.DONE)
        sub.operations.replace(settled)
        del sub.pending[record_id]


@handles(ListOperations)
def list_operations(s: Session, op: ListOperations) -> Page[OperationRecord]:
    settle_pending(s.subscriber, s.now)

    def match(record: OperationRecord) -> bool:
        return (op.operation is None or record.operation == op.operation) and (
            op.status is None or record.status is op.status
        )

    return s.subscriber.operations.page(
        since=op.since, until=op.until, cursor=op.cursor, limit=op.limit, match=match
    )


@handles(ListLogins)
def list_logins(s: Session, op: ListLogins) -> Page[LoginRecord]:
    def match(record: LoginRecord) -> bool:
        return (op.method is None or record.method is op.method) and (
            op.status is None or record.status is op.status
        )

    return s.subscriber.logins.page(
        since=op.since, until=op.until, cursor=op.cursor, limit=op.limit, match=match
    )
