"""Once the server has sent a page with a next cursor to a client that is paging, it reads
and encodes the next page while the client decodes this one (``selfcare.server._read_ahead``):
the next request is answered from the kept JSON, yet still through the backend, so nothing
changes for whoever asks: the same bytes, the same refusals, and nothing left in the
subscriber's history."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

import attrs
import httpx
import pytest

from selfcare import Secret
from selfcare._client.paging import Page
from selfcare.backends.fake import FakeOperator
from selfcare.model import PhoneNumber
from selfcare.operations import ListExpenses, ListMessages, PagedOperation, ReadEvents, SendSms
from selfcare.protocol import _codec
from selfcare.protocol._codec import ResultEncoder, encode_result
from selfcare.server import FakeResolver, LiveServer, create_app
from selfcare.server._read_ahead import GIVE_UP, ReadAhead
from tests._lines import KID
from tests.http.test_signin_wire import PASSWORD, AppClient


def _bearer(token: Secret | str, line: str | None = None) -> dict[str, str]:
    value = token.reveal() if isinstance(token, Secret) else token
    return {"authorization": f"Bearer {value}"} | ({"selfcare-line": line} if line else {})


def _paging(client: AppClient, headers: dict[str, str], pages: int) -> dict[str, Any]:
    """The JSON of page ``pages`` of 5 expenses, asked for page after page."""
    page = client.get("/v1/expenses", params={"limit": 5}, headers=headers).json()
    for _ in range(pages - 1):
        params = {"limit": 5, "cursor": page["next_cursor"]}
        page = client.get("/v1/expenses", params=params, headers=headers).json()
    return page  # type: ignore[no-any-return]


@pytest.fixture
def served() -> tuple[FakeOperator, Any, AppClient]:
    """A fresh fake, the app over it, and a client calling the app in process."""
    operator = FakeOperator(seed=42)
    app = create_app(FakeResolver(operator))
    return operator, app, AppClient(app)


def _refuse(result: Any) -> bytes:
    raise AssertionError("encoded while answering")


def test_the_next_page_is_encoded_before_it_is_asked_for(
    served: tuple[FakeOperator, Any, AppClient],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    operator, app, client = served
    headers = _bearer(operator.token())
    second = _paging(client, headers, 2)
    # the test transport returns once the app is done, the read-ahead included
    assert len(app.state.result_encoder) == 3  # two pages answered, the third read ahead
    cursor = second["next_cursor"]
    monkeypatch.setattr(_codec, "encode_result", _refuse)  # the fourth cannot be read ahead
    with caplog.at_level(logging.INFO, logger="selfcare"):
        third = client.get("/v1/expenses", params={"limit": 5, "cursor": cursor}, headers=headers)
    assert third.status_code == 200
    monkeypatch.undo()
    expected = operator.backend().execute(ListExpenses(limit=5, cursor=cursor))
    assert third.content == encode_result(expected)
    # a read-ahead that failed is not the client's error: nothing said above debug
    assert not [record for record in caplog.records if record.name.startswith("selfcare")]


def test_a_first_page_a_last_page_and_a_head_request_read_nothing_ahead(
    served: tuple[FakeOperator, Any, AppClient],
) -> None:
    operator, app, client = served
    headers = _bearer(operator.token())
    newest = client.get("/v1/expenses", params={"limit": 8}, headers=headers).json()
    assert newest["next_cursor"] is not None and len(app.state.result_encoder) == 1
    params = {"limit": 5, "since": newest["items"][-1]["at"]}  # eight records: two pages
    first = client.get("/v1/expenses", params=params, headers=headers).json()
    params["cursor"] = first["next_cursor"]
    last = client.get("/v1/expenses", params=params, headers=headers).json()
    assert len(last["items"]) == 3 and last["next_cursor"] is None
    assert len(app.state.result_encoder) == 3  # the three pages answered, nothing else
    params = {"limit": 5, "cursor": first["next_cursor"]}
    assert client.request("HEAD", "/v1/expenses", params=params, headers=headers).content == b""
    assert len(app.state.result_encoder) == 4  # that page; no page sent, none read ahead


def test_reading_ahead_leaves_no_trace_in_the_subscribers_history(
    served: tuple[FakeOperator, Any, AppClient],
) -> None:
    operator, app, client = served
    headers = _bearer(operator.token())
    subscriber = operator.subscriber()
    operations, events = len(subscriber.operations), operator.backend().execute(ReadEvents())
    _paging(client, headers, 4)
    assert len(app.state.result_encoder) == 5  # four pages answered, a fifth read ahead
    assert len(subscriber.operations) == operations
    assert operator.backend().execute(ReadEvents()) == events


def test_another_login_asking_with_the_same_cursor_gets_its_own_records(
    served: tuple[FakeOperator, Any, AppClient],
) -> None:
    operator, app, client = served
    other = next(key for key in operator.subscribers if key != "demo")
    cursor = _paging(client, _bearer(operator.token()), 2)["next_cursor"]
    assert len(app.state.result_encoder) == 3  # the demo's third page is kept
    theirs = client.get(
        "/v1/expenses",
        params={"limit": 5, "cursor": cursor},
        headers=_bearer(operator.token(other)),
    )
    assert theirs.status_code == 200
    expected = operator.backend(other).execute(ListExpenses(limit=5, cursor=cursor))
    assert theirs.content == encode_result(expected)
    ours = operator.backend().execute(ListExpenses(limit=5, cursor=cursor))
    assert theirs.content != encode_result(ours)


def test_a_line_read_ahead_for_its_owner_is_refused_to_a_login_that_may_not_act_on_it(
    served: tuple[FakeOperator, Any, AppClient],
) -> None:
    operator, app, client = served
    owners = _paging(client, _bearer(operator.token("family"), KID), 2)
    assert len(app.state.result_encoder) == 3  # the kid's third page, read ahead
    params = {"limit": 5, "cursor": owners["next_cursor"]}
    members = _bearer(operator.token("family-member"), KID)
    assert client.get("/v1/expenses", params=params, headers=members).status_code == 404


def test_a_session_ended_after_a_page_is_refused_the_page_read_ahead(
    served: tuple[FakeOperator, Any, AppClient],
) -> None:
    _, app, client = served
    session = client.post(
        "/v1/auth/password", json={"number": "+79165550123", "password": PASSWORD}
    )
    headers = _bearer(session.json()["access_token"])
    second = _paging(client, headers, 2)
    assert len(app.state.result_encoder) == 3  # the third page, read ahead
    assert client.post("/v1/auth/logout", headers=headers, json={}).status_code == 200
    params = {"limit": 5, "cursor": second["next_cursor"]}
    assert client.get("/v1/expenses", params=params, headers=headers).status_code == 401


def test_paging_a_whole_history_through_uvicorn_gives_what_the_fake_answers() -> None:
    # over a real server the read-ahead runs after the page has left, while the client
    # reads it, and the next request on the connection may come in meanwhile
    operator = FakeOperator(seed=42)
    app = create_app(FakeResolver(operator))
    backend = operator.backend()
    with (
        LiveServer(app) as server,
        httpx.Client(base_url=server.url, headers=_bearer(operator.token())) as http,
    ):
        op, pages = ListExpenses(limit=100), 0
        while True:
            params = {"limit": 100} | ({"cursor": op.cursor} if op.cursor else {})
            answer = http.get("/v1/expenses", params=params)
            page = backend.execute(op)
            assert answer.status_code == 200 and answer.content == encode_result(page), pages
            pages += 1
            if page.next_cursor is None:
                break
            op = ListExpenses(limit=100, cursor=page.next_cursor)
    assert pages > 40


def _read_aheads(
    operator: FakeOperator,
    first: PagedOperation[Any],
    pages: int,
    between: Callable[[int, Page[Any]], None] | None = None,
) -> int:
    """How many read-aheads ``pages`` pages of a listing, asked for in turn, set off;
    ``between(n, page)`` runs after page ``n`` and its read-ahead, before the next page."""
    backend = operator.backend()
    reads: list[str | None] = []

    async def execute(on: Any, op: Any) -> Any:
        reads.append(op.cursor)
        return on.execute(op)

    async def page_through() -> None:
        ahead, op = ReadAhead(ResultEncoder(), execute), first
        for n in range(pages):
            page = backend.execute(op)
            task = ahead.after(backend, op, page)
            if task is not None:
                await task()
            if between is not None:
                between(n, page)
            op = attrs.evolve(op, cursor=page.next_cursor)

    asyncio.run(page_through())
    return len(reads)


def test_a_listing_built_anew_on_every_call_is_no_longer_read_ahead() -> None:
    # the fake makes a message's view per request (its status depends on the clock): a
    # page of them read ahead never matches the request's, so reading ahead is given up
    operator = FakeOperator(seed=42)
    for n in range(12):
        operator.backend().execute(SendSms(to=(PhoneNumber("+79161234567"),), text=f"hi {n}"))
    assert _read_aheads(operator, ListMessages(limit=1), 10) == GIVE_UP
    # a ledger's records are the same objects every time: every next page read ahead
    assert _read_aheads(operator, ListExpenses(limit=5), 10) == 9


def test_a_listing_read_ahead_with_use_once_is_not_given_up_for_edits() -> None:
    # records edited between a read-ahead and the request make it useless, but a ledger is
    # worth reading ahead: once a page read ahead was of use, misses do not stop it
    operator = FakeOperator(seed=42)
    backend, ledger = operator.backend(), operator.subscriber().expenses

    def edit_the_next_page(n: int, page: Page[Any]) -> None:
        if n >= 2:  # from the fourth page on, its first record edited before it is asked
            following = ListExpenses(limit=5, cursor=page.next_cursor)
            first = backend.execute(following).items[0]
            ledger.replace(attrs.evolve(first, description=f"edited {n}"))

    reads = _read_aheads(operator, ListExpenses(limit=5), 10, edit_the_next_page)
    assert reads == 9  # every page after the first read ahead, the misses too
