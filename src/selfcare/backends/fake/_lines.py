"""Fake handler listing the lines a login may see (who may see which: ``FakeOperator.line``)."""

from __future__ import annotations

from selfcare._client.paging import Page
from selfcare._errors import ValidationError
from selfcare.backends.fake._handlers import Session, handles
from selfcare.model import Line
from selfcare.operations import ListLines

_CURSOR = "line:"


@handles(ListLines)
def list_lines(s: Session, op: ListLines) -> Page[Line]:
    """A page of the login's lines by number; the cursor is the last number given (keyset)."""
    lines = s.operator.visible_lines(s.subscriber)
    if op.cursor is not None:
        if not op.cursor.startswith(_CURSOR):
            raise ValidationError(
                "cursor was not issued by this listing (pass a page's next_cursor)",
                field="cursor",
            )
        after = op.cursor.removeprefix(_CURSOR)
        lines = [line for line in lines if line.number.e164 > after]
    page = lines[: op.limit]
    more = len(lines) > op.limit
    return Page(tuple(page), _CURSOR + page[-1].number.e164 if more else None)
