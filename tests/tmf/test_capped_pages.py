"""An operator's TMF server may return fewer records than the ``limit`` asked (TMF630: it
caps its pages). TmfBackend reads on until ``X-Total-Count`` says the list is done, or,
without it, while the server answers ``206 Partial Content``: a capped page is never taken
for the last one, so collecting a history loses nothing."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlencode

import httpx
import pytest

from selfcare import AsyncSelfcare, Selfcare
from selfcare.backends import AsyncHttpBackend
from selfcare.backends.fake import FakeOperator
from selfcare.server import FakeResolver, create_tmf_app
from selfcare.tmf import DEFAULT_PROFILE, TmfProtocol

CAP = 100


def capped(app: Any, *, total: bool) -> Any:
    """``app`` serving at most :data:`CAP` records a page whatever ``limit`` asks; with
    ``total=False`` it sends no ``X-Total-Count`` and answers a page with more records after
    it ``206 Partial Content``, as TMF630 has it."""

    async def serve(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        query = [
            (name, str(min(int(value), CAP)) if name == "limit" and value.isdigit() else value)
            for name, value in parse_qsl(scope["query_string"].decode())
        ]
        scope = {**scope, "query_string": urlencode(query).encode()}
        offset = int(dict(query).get("offset", "0") or 0)

        async def answer(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start" and not total:
                headers = dict(message["headers"])
                count = headers.get(b"x-total-count")
                served = headers.get(b"x-result-count")
                partial = count is not None and served is not None
                partial = partial and offset + int(served) < int(count)
                message = {
                    **message,
                    "status": 206 if partial else message["status"],
                    "headers": [(k, v) for k, v in message["headers"] if k != b"x-total-count"],
                }
            await send(message)

        await app(scope, receive, answer)

    return serve


@pytest.mark.parametrize("total", [True, False], ids=["x-total-count", "206"])
async def test_collecting_through_capped_pages_loses_nothing(
    operator: FakeOperator, total: bool
) -> None:
    with Selfcare.fake(operator=operator) as fake:
        expected = [expense.id for expense in fake.expenses.list()]
    assert len(expected) > 1000  # so the 1,000 a collecting pager asks for is capped
    app = capped(create_tmf_app(FakeResolver(operator)), total=total)
    backend = AsyncHttpBackend(
        "http://operator.test",
        operator.token().reveal(),
        protocol=TmfProtocol(DEFAULT_PROFILE),
        transport=httpx.ASGITransport(app),
    )
    async with AsyncSelfcare(backend) as sc:
        collected = await sc.expenses.list().to_list()
        walked = [page async for page in sc.expenses.list(page_size=250).pages()]
    assert [expense.id for expense in collected] == expected
    assert [len(page.items) for page in walked[:-1]] == [250] * (len(walked) - 1)
    assert [expense.id for page in walked for expense in page.items] == expected
