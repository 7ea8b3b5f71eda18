"""Offset paging on the TMF face reads only the page asked for when the backend can seek.

TMF lists are offset-paged; selfcare's backends page by keyset cursors. Over a listing the
fake's ledger can seek (every expense, or every call, by time), the face asks it for the
cursor at the offset and reads one page from there, instead of reading (and rendering)
every record before it. The answer is the same either way."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from selfcare import operations as ops
from selfcare._secret import Secret
from selfcare.backends.fake import FakeOperator
from selfcare.server import FakeResolver, create_tmf_app
from selfcare.tmf import DEFAULT_PROFILE, STANDARD_ROOTS


class Counting:
    """A backend that counts the usage records the face reads through it."""

    def __init__(self, backend: Any, read: list[int]) -> None:
        self.backend, self.read = backend, read

    @property
    def capabilities(self) -> frozenset[str]:
        return frozenset(self.backend.capabilities)

    async def execute(self, op: Any) -> Any:
        result = await self.backend.execute(op)
        if isinstance(op, ops.ListExpenses | ops.ListCalls):
            self.read.append(len(result.items))
        return result

    async def seek(self, op: Any, offset: int) -> Any:
        return await self.backend.seek(op, offset)


@pytest.fixture
async def face(operator: FakeOperator) -> Any:
    resolver = FakeResolver(operator)
    read: list[int] = []

    def resolve(token: Secret) -> Counting:
        return Counting(resolver(token), read)

    resolve.tmf_documents = resolver.tmf_documents  # type: ignore[attr-defined]
    transport = httpx.ASGITransport(app=create_tmf_app(resolve))
    headers = {"Authorization": f"Bearer {operator.token().reveal()}"}
    async with httpx.AsyncClient(
        transport=transport, base_url="http://test", headers=headers
    ) as client:
        yield client, read


USAGE = STANDARD_ROOTS["usage"] + "/usage"
EXPENSES = ",".join(DEFAULT_PROFILE.usage_types.values())


@pytest.mark.parametrize("usage_type", [EXPENSES, DEFAULT_PROFILE.call_usage_type])
async def test_a_deep_page_reads_only_its_records(face: Any, usage_type: str) -> None:
    client, read = face
    first = await client.get(USAGE, params={"usageType": usage_type, "limit": 1})
    total = int(first.headers["X-Total-Count"])
    assert total > 500
    read.clear()
    params = {"usageType": usage_type, "offset": total - 15, "limit": 10}
    deep = await client.get(USAGE, params=params)
    assert deep.status_code == 200
    assert sum(read) == 10  # not the thousands before the offset
    assert deep.headers["X-Total-Count"] == str(total)
    # the same page as the face's general path (a filter it does not seek on forces that)
    general = await client.get(USAGE, params={**params, "status": "rated"})
    assert deep.json() == general.json()
    assert general.headers["X-Total-Count"] == str(total)
    assert sum(read) > total  # which did read everything
    tail = await client.get(
        USAGE, params={"usageType": usage_type, "offset": total - 3, "limit": 10}
    )
    assert len(tail.json()) == 3
    beyond = await client.get(
        USAGE, params={"usageType": usage_type, "offset": total + 5, "limit": 10}
    )
    assert beyond.json() == []
