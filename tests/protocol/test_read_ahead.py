"""Once the server has sent a page with a next cursor, it reads and encodes the next page
while the client decodes this one (``selfcare.server._read_ahead``): the next request is
answered from the kept JSON, yet still through the backend, so nothing changes for whoever
asks: the same bytes, the same refusals, and nothing left in the subscriber's history."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest

from selfcare import Secret
from selfcare.backends.fake import FakeOperator
from selfcare.operations import ListExpenses, ReadEvents
from selfcare.protocol import _codec
from selfcare.protocol._codec import ResultEncoder, encode_result
from selfcare.server import FakeResolver, create_app
from selfcare.server._read_ahead import ReadAhead
from tests.http.test_signin_wire import PASSWORD, AppClient


def _bearer(token: Secret | str) -> dict[str, str]:
    value = token.reveal() if isinstance(token, Secret) else token
    return {"authorization": f"Bearer {value}"}


def _refuse(result: Any) -> bytes:
    raise AssertionError("encoded while answering")


def test_the_next_page_is_encoded_before_it_is_asked_for(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    operator = FakeOperator(seed=42)
    app = create_app(FakeResolver(operator))
    client, headers = AppClient(app), _bearer(operator.token())
    first = client.get("/v1/expenses", params={"limit": 5}, headers=headers).json()
    # the test transport returns once the app is done, the read-ahead included
    assert len(app.state.result_encoder) == 2
    cursor = first["next_cursor"]
    monkeypatch.setattr(_codec, "encode_result", _refuse)  # the third page cannot be read ahead
    with caplog.at_level(logging.INFO, logger="selfcare"):
        second = client.get("/v1/expenses", params={"limit": 5, "cursor": cursor}, headers=headers)
    assert second.status_code == 200
    monkeypatch.undo()
    expected = operator.backend().execute(ListExpenses(limit=5, cursor=cursor))
    assert second.content == encode_result(expected)
    # a read-ahead that failed is not the client's error: nothing said above debug
    assert not [record for record in caplog.records if record.name.startswith("selfcare")]


def test_the_last_page_reads_nothing_ahead() -> None:
    operator = FakeOperator(seed=42)
    app = create_app(FakeResolver(operator))
    client, headers = AppClient(app), _bearer(operator.token())
    first = client.get("/v1/expenses", params={"limit": 5}, headers=headers).json()
    assert len(app.state.result_encoder) == 2
    params = {"limit": 5, "since": first["items"][2]["at"]}  # three records: one page
    last = client.get("/v1/expenses", params=params, headers=headers).json()
    assert len(last["items"]) == 3 and last["next_cursor"] is None
    assert len(app.state.result_encoder) == 3  # that page, and nothing after it


def test_reading_ahead_leaves_no_trace_in_the_subscribers_history() -> None:
    operator = FakeOperator(seed=42)
    app = create_app(FakeResolver(operator))
    client, headers = AppClient(app), _bearer(operator.token())
    subscriber = operator.subscriber()
    operations, events = len(subscriber.operations), operator.backend().execute(ReadEvents())
    page = client.get("/v1/expenses", params={"limit": 50}, headers=headers).json()
    for _ in range(3):
        params = {"limit": 50, "cursor": page["next_cursor"]}
        page = client.get("/v1/expenses", params=params, headers=headers).json()
    assert len(app.state.result_encoder) == 5  # four pages answered, a fifth read ahead
    assert len(subscriber.operations) == operations
    assert operator.backend().execute(ReadEvents()) == events


def test_another_login_asking_with_the_same_cursor_gets_its_own_records() -> None:
    operator = FakeOperator(seed=42)
    app = create_app(FakeResolver(operator))
    client = AppClient(app)
    other = next(key for key in operator.subscribers if key != "demo")
    first = client.get("/v1/expenses", params={"limit": 5}, headers=_bearer(operator.token()))
    cursor = first.json()["next_cursor"]  # the demo's second page is now kept
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


def test_a_session_ended_after_a_page_is_refused_the_page_read_ahead() -> None:
    operator = FakeOperator(seed=42)
    app = create_app(FakeResolver(operator))
    client = AppClient(app)
    session = client.post(
        "/v1/auth/password", json={"number": "+79165550123", "password": PASSWORD}
    )
    headers = _bearer(session.json()["access_token"])
    first = client.get("/v1/expenses", params={"limit": 5}, headers=headers).json()
    assert len(app.state.result_encoder) == 2
    assert client.post("/v1/auth/logout", headers=headers, json={}).status_code == 200
    params = {"limit": 5, "cursor": first["next_cursor"]}
    refused = client.get("/v1/expenses", params=params, headers=headers)
    assert refused.status_code == 401  # the backend refused: the kept page was never sent


def test_a_page_that_was_never_sent_does_not_stop_reading_ahead() -> None:
    # a client that goes away before its page is sent: Starlette runs no background task,
    # and reading ahead must go on for the next client
    operator = FakeOperator(seed=42)
    encoder = ResultEncoder()
    backend = operator.backend()

    async def execute(on: Any, op: Any) -> Any:
        return on.execute(op)

    ahead = ReadAhead(encoder, execute)
    op = ListExpenses(limit=5)
    page = backend.execute(op)
    assert ahead.after(backend, op, page) is not None  # its task never runs
    task = ahead.after(backend, op, page)
    assert task is not None
    asyncio.run(task())
    assert len(encoder) == 1
