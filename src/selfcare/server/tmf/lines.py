"""Lines on the TMF face: which line a request acts on (the ``relatedParty`` filter naming
the line's party, :data:`selfcare.tmf._line_mapping.LINE_SCOPES`), and each line as its
TMF637 bundle product. Whether the login may act on the line is the backend's decision (on
the fake, ``FakeOperator.line``), never the face's: a line it may not see is a 404 with the
backend's words, the same as for a number that is nobody's."""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from selfcare import operations as ops
from selfcare._errors import NotSupported, ValidationError
from selfcare.backends import AsyncBackend, Backend
from selfcare.model import Account, Line, LineRole, PhoneNumber
from selfcare.server.tmf.call import TmfCall
from selfcare.tmf._line_mapping import LINE_SCOPES

__all__ = ["every_line", "line_of", "scoped"]

AnyBackend = Backend | AsyncBackend


def scoped(
    backend: AnyBackend, query: MutableMapping[str, str]
) -> tuple[AnyBackend, PhoneNumber | None]:
    """``backend`` acting on the line the query's ``relatedParty`` filter names (taken out of
    ``query``: it chooses the line, it does not filter the line's resources), and that line;
    ``backend`` itself and ``None`` when the request names none."""
    number: PhoneNumber | None = None
    for name in LINE_SCOPES.values():
        value = query.pop(name, None)
        if value is None:
            continue
        try:
            number = PhoneNumber(value)
        except ValueError:
            shown = value if len(value) <= 20 else value[:20] + "…"
            raise ValidationError(
                f"{name}={shown!r} must be a line's number in E.164 form (+79161234567)",
                field=name,
            ) from None
    if number is None:
        return backend, None
    for_line: Any = getattr(backend, "for_line", None)
    if for_line is None:
        raise NotSupported(f"this server's backend has no lines: drop the {name} filter")
    return for_line(number), number


def line_of(account: Account, lines: list[Line]) -> Line:
    """The line listing's entry for ``account``'s line (a backend that lists no lines: its
    one line, owned by the login)."""
    for line in lines:
        if line.number == account.number:
            return line
    return Line(account.number, account.holder, LineRole.OWNER, account.tariff, account.status)


async def every_line(call: TmfCall) -> list[Line]:
    """Every line the login may see (none from a backend without lines)."""
    try:
        lines: list[Line] = await call.every(ops.ListLines())
    except NotSupported:
        return []
    return lines
