"""The call log, with the missed calls a subscriber wants to call back."""

from __future__ import annotations

from selfcare._async._area import AsyncArea
from selfcare._async._paging import AsyncPager
from selfcare._client.context import Context
from selfcare._client.paging import check_chosen_page_size
from selfcare._time import When, check_when
from selfcare.model import Call, CallDirection, PhoneNumber
from selfcare.model._enums import coerce_enum
from selfcare.operations import ListCalls

__all__ = ["AsyncCalls"]


class AsyncCalls(AsyncArea):
    """``sc.calls``: every call, answered or not."""

    def list(
        self,
        *,
        since: When | None = None,
        until: When | None = None,
        direction: CallDirection | str | None = None,
        missed: bool | None = None,
        counterpart: str | PhoneNumber | None = None,
        page_size: int | None = None,
    ) -> AsyncPager[Call]:
        """Calls newest first, fetched lazily; ``missed=True`` keeps only missed calls."""
        start, end = check_when(since, "since"), check_when(until, "until")
        way = None if direction is None else coerce_enum(CallDirection, direction, "direction")
        check_chosen_page_size(page_size)

        def build(ctx: Context) -> ListCalls:
            return ListCalls(
                since=ctx.since(start),
                until=ctx.until(end),
                direction=way,
                missed=missed,
                counterpart=ctx.phone(counterpart, "counterpart"),
            )

        return AsyncPager(self._client, Call, build, page_size=page_size)

    def missed(self, *, since: When | None = None, until: When | None = None) -> AsyncPager[Call]:
        """Incoming calls nobody answered, newest first."""
        return self.list(since=since, until=until, missed=True)
