"""Fake handlers for the subscriber's own history: the operation log and sign-ins."""

from __future__ import annotations

from selfcare._paging import Page
from selfcare.backends.fake._handlers import Session, handles
from selfcare.model import LoginRecord, OperationRecord
from selfcare.operations import ListLogins, ListOperations


@handles(ListOperations)
def list_operations(s: Session, op: ListOperations) -> Page[OperationRecord]:
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
