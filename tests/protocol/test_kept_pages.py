"""The server keeps the JSON of the pages it served (``ResultEncoder``) and answers a page of
the very same records with it: byte for byte what encoding them again gives, and never stale,
since an edit or a new record is a new object."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import attrs
import httpx
import pytest

from selfcare import Expense, Money, Secret
from selfcare._client.paging import Page
from selfcare.backends.fake import FakeOperator
from selfcare.model import ExpenseKind
from selfcare.protocol import _codec
from selfcare.protocol._codec import ResultEncoder, decode_as, encode_result
from selfcare.server import FakeResolver, LiveServer, create_app
from tests.conftest import MOSCOW, NOW
from tests.http.test_signin_wire import AppClient
from tests.protocol.test_result_encoding import FAKE_RESULTS


@pytest.mark.parametrize(("name", "result"), FAKE_RESULTS, ids=[n for n, _ in FAKE_RESULTS])
def test_kept_json_is_what_encoding_gives(name: str, result: Any) -> None:
    encoder = ResultEncoder()
    assert encoder.encode(result) == encode_result(result)
    assert encoder.encode(result) == encode_result(result)  # the second time from what was kept


def _expenses(n: int, description: str = "call") -> tuple[Expense, ...]:
    return tuple(
        Expense(
            id=f"e{i:03d}",
            at=NOW.astimezone(MOSCOW) - timedelta(minutes=i),
            kind=ExpenseKind.VOICE_OUT,
            cost=Money(Decimal("1.50"), "RUB"),
            balance_after=Money(Decimal(i), "RUB"),
            description=description,
        )
        for i in range(n)
    )


def test_a_page_of_the_same_records_is_not_encoded_again(monkeypatch: pytest.MonkeyPatch) -> None:
    items = _expenses(3)
    encoder = ResultEncoder()
    first = encoder.encode(Page(items, "next"))
    assert len(encoder) == 1
    monkeypatch.setattr(_codec, "encode_result", _refuse)
    assert encoder.encode(Page(tuple(items), "next")) is first  # a new page, the same records


def _refuse(result: Any) -> bytes:
    raise AssertionError("encoded again")


@pytest.mark.parametrize("at", [0, 1, 2])
def test_an_edited_record_is_never_served_stale(at: int) -> None:
    items = _expenses(3)
    encoder = ResultEncoder()
    encoder.encode(Page(items, "next"))
    edited = list(items)
    edited[at] = attrs.evolve(items[at], description="edited")
    page = Page(tuple(edited), "next")
    assert encoder.encode(page) == encode_result(page)
    assert b"edited" in encoder.encode(page)


def test_another_cursor_or_a_new_record_is_another_page() -> None:
    items = _expenses(4)
    encoder = ResultEncoder()
    encoder.encode(Page(items[1:], "next"))
    for page in (Page(items[1:], None), Page(items[:3], "next"), Page(items, "next")):
        assert encoder.encode(page) == encode_result(page)


@attrs.define
class Mutable:
    at: datetime
    note: str


@attrs.frozen
class Holding:
    at: datetime
    notes: list[str]


@attrs.frozen
class WithSecret:
    at: datetime
    token: Secret


@attrs.frozen(weakref_slot=False)
class NoWeakref:
    at: datetime


@pytest.mark.parametrize(
    "items",
    [
        (Mutable(NOW, "a"),),  # a mutable record may change under the same identity
        (Holding(NOW, ["a"]),),  # so may a frozen one holding a list
        (WithSecret(NOW, Secret("s3cr3t")),),  # a secret is never kept
        (NoWeakref(NOW),),  # a record no weak reference can follow is never kept
        (1, 2),
    ],
    ids=["mutable", "frozen-holding-a-list", "secret", "no-weakref", "not-records"],
)
def test_only_deeply_immutable_records_are_kept(items: tuple[Any, ...]) -> None:
    encoder = ResultEncoder()
    assert encoder.encode(Page(items, None)) == encode_result(Page(items, None))
    assert len(encoder) == 0


def test_the_pages_least_recently_served_go_first() -> None:
    pages = [Page(_expenses(2, description=f"page {n}"), None) for n in range(3)]
    size = len(encode_result(pages[0]))
    encoder = ResultEncoder(max_bytes=2 * size + 10)
    encoder.encode(pages[0])
    encoder.encode(pages[1])
    encoder.encode(pages[0])  # served again: now the most recent
    encoder.encode(pages[2])  # over the bound: page 1 goes
    assert len(encoder) == 2
    kept = {bytes(kept[1]) for kept in encoder._pages.values()}
    assert kept == {encode_result(pages[0]), encode_result(pages[2])}


def test_a_page_whose_records_died_is_let_go() -> None:
    # the records are followed by weak references: once the backend lets them go (the fake
    # evicting a line), their page can never be served again, so its JSON goes too
    items = _expenses(3)
    kept, dropped = Page(items[:2], "next"), Page(items[2:], "next")
    encoder = ResultEncoder()
    encoder.encode(kept)
    encoder.encode(dropped)
    assert len(encoder) == 2
    del items, dropped
    gc.collect()
    assert len(encoder) == 1
    assert encoder._bytes == len(encode_result(kept))  # the bound counts what is kept, only
    assert all(ref() is not None for refs, *_ in encoder._pages.values() for ref in refs)


def test_a_dead_record_is_never_taken_for_a_new_one_at_its_address() -> None:
    items = _expenses(2)
    encoder = ResultEncoder()
    encoder.encode(Page(items, None))
    key = next(iter(encoder._pages))
    refs = encoder._pages[key][0]
    del items
    gc.collect()
    assert all(ref() is None for ref in refs)
    fresh = Page(_expenses(2, description="fresh"), None)
    assert encoder.encode(fresh) == encode_result(fresh)


def test_an_app_not_fronting_the_fake_operator_keeps_no_page() -> None:
    # pages from anything but the fake (an HttpBackend, a resolver of one's own) are fresh
    # objects each time: keeping them would only fill memory with pages never served again
    operator = FakeOperator(seed=42)
    app = create_app(lambda token: operator.backend())
    client = AppClient(app)
    headers = {"authorization": f"Bearer {operator.token().reveal()}"}
    for _ in range(2):
        assert client.get("/v1/expenses", params={"limit": 5}, headers=headers).status_code == 200
    encoder = app.state.result_encoder
    assert encoder is None or len(encoder) == 0


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[FakeOperator, httpx.Client, ResultEncoder]]:
    operator = FakeOperator(seed=42)
    app = create_app(FakeResolver(operator), test_hooks=True)
    headers = {"authorization": f"Bearer {operator.token().reveal()}"}
    with LiveServer(app) as server, httpx.Client(base_url=server.url, headers=headers) as http:
        yield operator, http, app.state.result_encoder


def _page(http: httpx.Client, **params: Any) -> Page[Expense]:
    response = http.get("/v1/expenses", params={"limit": 5, **params})
    assert response.status_code == 200, response.text
    page: Page[Expense] = decode_as(Page[Expense], response.content)
    return page


def test_the_server_answers_an_edit_and_a_new_record_at_once(
    served: tuple[FakeOperator, httpx.Client, ResultEncoder],
) -> None:
    operator, http, encoder = served
    first = _page(http)
    assert _page(http) == first
    second = _page(http, cursor=first.next_cursor)
    assert _page(http, cursor=first.next_cursor) == second
    assert len(encoder) >= 2  # both pages kept
    ledger = operator.subscriber().expenses
    with operator.lock:  # an edit inside the second page, a new record on top
        ledger.replace(attrs.evolve(second.items[2], description="edited by the operator"))
        newest = first.items[0]
        ledger.add(attrs.evolve(newest, id=newest.id + "x", at=newest.at + timedelta(seconds=1)))
    assert _page(http, cursor=first.next_cursor).items[2].description == "edited by the operator"
    assert _page(http).items[0].id == newest.id + "x"


def test_a_reset_lets_the_kept_records_go(
    served: tuple[FakeOperator, httpx.Client, ResultEncoder],
) -> None:
    _, http, encoder = served
    _page(http)
    assert len(encoder) >= 1
    assert http.post("/v1/_test/reset").status_code == 200
    assert len(encoder) == 0
