"""The subscriber's own history: who signed in, how, from where, and what they did."""

from __future__ import annotations

import warnings
from typing import Any

from selfcare._async._area import AsyncArea
from selfcare._async._paging import AsyncPager
from selfcare._client.context import Context
from selfcare._client.paging import check_chosen_page_size
from selfcare._errors import ValidationError
from selfcare._time import When, check_when
from selfcare.model import LoginMethod, LoginRecord, LoginStatus, OperationRecord, OperationStatus
from selfcare.model._enums import coerce_enum
from selfcare.operations import ListLogins, ListOperations
from selfcare.operations.history import logged_operation_names

__all__ = ["AsyncLogins"]


class AsyncLogins(AsyncArea):
    """``sc.logins``: the login history and the operation log."""

    def history(self, **filters: Any) -> AsyncPager[LoginRecord]:
        """Deprecated old name of :meth:`list`."""
        warnings.warn(
            "sc.logins.history() is deprecated; use sc.logins.list()",
            DeprecationWarning,
            stacklevel=2,
        )
        return self.list(**filters)

    def list(
        self,
        *,
        since: When | None = None,
        until: When | None = None,
        method: LoginMethod | str | None = None,
        status: LoginStatus | str | None = None,
        page_size: int | None = None,
        kind: LoginMethod | str | None = None,
    ) -> AsyncPager[LoginRecord]:
        """Sign-in attempts newest first; ``method`` (``"password"``, ``"otp"``, ``"token"``)
        and ``status`` (``"success"``, ``"failed"``) filter them. ``kind`` is another name
        for ``method`` (the portal calls it the kind of sign-in)."""
        start, end = check_when(since, "since"), check_when(until, "until")
        how = None if method is None else coerce_enum(LoginMethod, method, "method")
        if kind is not None:
            also = coerce_enum(LoginMethod, kind, "kind")
            if how is not None and how is not also:
                raise ValidationError(
                    f"kind={kind!r} and method={method!r} disagree; give one of them",
                    field="kind",
                )
            how = also
        outcome = None if status is None else coerce_enum(LoginStatus, status, "status")
        check_chosen_page_size(page_size)

        def build(ctx: Context) -> ListLogins:
            return ListLogins(
                since=ctx.since(start),
                until=ctx.until(end),
                method=how,
                status=outcome,
            )

        return AsyncPager(self._client, LoginRecord, build, page_size=page_size)

    def operations(
        self,
        *,
        since: When | None = None,
        until: When | None = None,
        operation: str | None = None,
        status: OperationStatus | str | None = None,
        page_size: int | None = None,
    ) -> AsyncPager[OperationRecord]:
        """Every operation the subscriber performed, newest first, with how it ended.

        ``operation`` keeps one kind (``"set_forwarding"``, ``"connect_service"``…);
        ``status`` is ``"done"``, ``"failed"`` or ``"pending"``.
        """
        start, end = check_when(since, "since"), check_when(until, "until")
        name = None if operation is None else _operation_name(operation)
        outcome = None if status is None else coerce_enum(OperationStatus, status, "status")
        check_chosen_page_size(page_size)

        def build(ctx: Context) -> ListOperations:
            return ListOperations(
                since=ctx.since(start),
                until=ctx.until(end),
                operation=name,
                status=outcome,
            )

        return AsyncPager(self._client, OperationRecord, build, page_size=page_size)


def _operation_name(value: object) -> str:
    known = logged_operation_names()
    if isinstance(value, str) and value in known:
        return value
    raise ValidationError(
        f"operation={value!r} is not an operation the log records; choose from "
        + ", ".join(sorted(known)),
        field="operation",
    )
