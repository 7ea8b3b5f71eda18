"""Operations on the lines a login may see."""

from __future__ import annotations

import attrs

from selfcare._client.paging import Page
from selfcare.model import Line
from selfcare.operations._base import Capability, PagedOperation

__all__ = ["ListLines"]


@attrs.frozen
class ListLines(PagedOperation[Line]):
    """The lines the login may see, by number: every line of the account for an owner or a
    manager, only their own for a member. The login's, whatever line a client is scoped to."""

    result = Page[Line]
    capability = Capability.LINES
    line_scoped = False
