"""The pure parts of messaging: limits, attachment types, vCard/CSV, and the fan-out helpers."""

import asyncio
from datetime import timedelta
from typing import TypeVar

import pytest
from hypothesis import given
from hypothesis import strategies as st

from selfcare import APIError, AsyncSelfcare, Broadcast, PhoneNumber, ValidationError
from selfcare._async._io import map_bounded as amap_bounded
from selfcare._client.phonebook_io import read_csv, read_vcard, write_csv, write_vcard
from selfcare._rules.messaging import (
    MAX_VALIDITY,
    MIN_VALIDITY,
    check_recipients,
    check_sender,
    check_validity,
    content_type_of,
)
from selfcare._sync._io import map_bounded
from selfcare.backends.fake import AsyncFakeBackend, FakeOperator, ManualClock
from selfcare.backends.fake._mailbox import summarise
from selfcare.model import ContactDraft
from selfcare.model import MessageStatus as S
from selfcare.operations import Operation, SendSms
from tests.conftest import NOW

R = TypeVar("R")


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (b"\xff\xd8\xff\xe0rest", None, "image/jpeg"),
        (b"GIF89a...", None, "image/gif"),
        (b"\x89PNG\r\n\x1a\n...", None, "image/png"),
        (b"#!AMR\n...", None, "audio/amr"),
        (b"\0\0\0\x18ftyp3gp4...", None, "video/3gpp"),
        (b"  <SMIL>", None, "application/smil"),
        (b"plain words", "note.txt", "text/plain"),
        (b"?", "clip.3gp", "video/3gpp"),
        (b"?", None, None),
    ],
)
def test_content_type_of(data: bytes, name: str | None, expected: str | None) -> None:
    assert content_type_of(data, name) == expected


def test_validity_bounds_are_inclusive() -> None:
    assert check_validity(MIN_VALIDITY) == MIN_VALIDITY
    assert check_validity(MAX_VALIDITY) == MAX_VALIDITY
    assert check_validity(None) == timedelta(days=1)
    with pytest.raises(ValidationError):
        check_validity(MIN_VALIDITY - timedelta(seconds=1))


@pytest.mark.parametrize("sender", ["A", "ACME", "Shop 24", "a.b_c&d-e", "X" * 11])
def test_alphanumeric_senders(sender: str) -> None:
    assert check_sender(sender, "RU") == sender


@pytest.mark.parametrize("sender", ["X" * 12, " ACME", "ACME!", "Кафе", ""])
def test_bad_senders(sender: str) -> None:
    with pytest.raises(ValidationError) as caught:
        check_sender(sender, "RU")
    assert caught.value.field == "sender"


def test_recipients_are_deduplicated_in_order() -> None:
    assert check_recipients(["+79161234567", "8 916 000-00-01", "8 (916) 123-45-67"], "RU") == (
        PhoneNumber("+79161234567"),
        PhoneNumber("+79160000001"),
    )


def test_summary_of_mixed_outcomes() -> None:
    assert summarise([S.DELIVERED, S.DELIVERED]) is S.DELIVERED
    assert summarise([S.DELIVERED, S.ACCEPTED]) is S.ACCEPTED
    assert summarise([S.DELIVERED, S.EXPIRED]) is S.PARTIALLY_DELIVERED
    assert summarise([S.UNDELIVERABLE, S.EXPIRED]) is S.FAILED


names = st.text(
    st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=40
).filter(lambda s: s.strip() == s and s.strip())
notes = st.none() | st.text(
    st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=80
)
phones = st.lists(
    st.integers(0, 9999999).map(lambda n: PhoneNumber(f"+7916{n:07d}")),
    min_size=1,
    max_size=5,
    unique=True,
).map(tuple)
drafts = st.builds(ContactDraft, name=names, phones=phones, email=st.none(), note=notes)


@given(st.lists(drafts, max_size=4))
def test_vcard_round_trip(contacts: list[ContactDraft]) -> None:
    assert read_vcard(write_vcard(contacts), "RU") == contacts


@given(st.lists(drafts, max_size=4))
def test_csv_round_trip(contacts: list[ContactDraft]) -> None:
    assert read_csv(write_csv(contacts), "RU") == contacts


def test_vcard_lines_are_folded_at_75_octets() -> None:
    text = write_vcard([ContactDraft("Ж" * 60, (PhoneNumber("+79161234567"),), note="ы" * 200)])
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


def test_async_map_bounded_limits_concurrency_and_keeps_order() -> None:
    running = peak = 0

    async def work(n: int) -> int:
        nonlocal running, peak
        running += 1
        peak = max(peak, running)
        for _ in range(n % 3 + 1):  # yields, not a clock: the interleaving is fixed
            await asyncio.sleep(0)
        running -= 1
        return n * n

    assert asyncio.run(amap_bounded(work, range(20), limit=4)) == [n * n for n in range(20)]
    assert peak == 4


def test_async_map_bounded_holds_tasks_for_the_items_in_flight_only() -> None:
    # a fleet export maps over a thousand lines: its bookkeeping must not grow with them
    tasks: list[int] = []

    async def work(n: int) -> int:
        tasks.append(len(asyncio.all_tasks()))
        await asyncio.sleep(0)
        return n

    assert asyncio.run(amap_bounded(work, range(200), limit=4)) == list(range(200))
    assert max(tasks) <= 4 + 1  # the workers, and the task that awaits them


def test_async_map_bounded_cancels_the_rest_on_error() -> None:
    started: list[int] = []

    async def work(n: int) -> int:
        started.append(n)
        if n == 0:
            raise RuntimeError("boom")
        await asyncio.Event().wait()  # never set: only the cancellation ends it
        return n

    with pytest.raises(RuntimeError, match="boom"):
        asyncio.run(amap_bounded(work, range(10), limit=2))
    assert len(started) <= 3


def test_sync_map_bounded_is_sequential() -> None:
    assert map_bounded(lambda n: n + 1, [1, 2, 3], limit=2) == [2, 3, 4]


class _SlowSends:
    """An async backend around the fake that counts SendSms in flight and can fail one number
    with an error that is not about the recipient (``APIError``).

    The first sends wait until ``in_flight`` of them run at once (an event, not a sleep, so
    the machine's speed changes nothing); from then on none waits. A client that never
    allowed that many at once would hang: the 60 s timeout is only a guard against that.
    """

    def __init__(self, fail: str | None = None, *, in_flight: int) -> None:
        self.inner = AsyncFakeBackend(FakeOperator(seed=42, clock=ManualClock(NOW)))
        self.fail = fail
        self.in_flight = in_flight
        self.running = self.peak = self.sent = 0
        self.full = asyncio.Event()

    @property
    def capabilities(self) -> frozenset[str]:
        return self.inner.capabilities

    async def execute(self, op: Operation[R]) -> R:
        if not isinstance(op, SendSms):
            return await self.inner.execute(op)
        self.running += 1
        self.peak = max(self.peak, self.running)
        try:
            if self.running >= self.in_flight:
                self.full.set()
            await asyncio.wait_for(self.full.wait(), timeout=60)
            if op.to[0].e164 == self.fail:
                raise APIError(f"the message centre failed on {self.fail}")
            self.sent += 1
            return await self.inner.execute(op)
        finally:
            self.running -= 1

    async def aclose(self) -> None:
        await self.inner.aclose()


NUMBERS = [f"+7916000{i:04d}" for i in range(12)]


def test_async_broadcast_keeps_at_most_concurrency_sends_in_flight() -> None:
    backend = _SlowSends(in_flight=3)

    async def run() -> Broadcast:
        return await AsyncSelfcare(backend).messages.broadcast(NUMBERS, "hi", concurrency=3)

    result = asyncio.run(run())
    assert [r.recipient for r in result.sent] == NUMBERS
    assert backend.peak == 3 and backend.sent == len(NUMBERS)


def test_async_broadcast_raises_a_backend_failure_as_itself_not_a_group() -> None:
    """Like the sync client, a failure that is not about one recipient propagates as the
    SelfcareError it is (repeat the broadcast with the same key), not an ExceptionGroup."""
    backend = _SlowSends(fail=NUMBERS[4], in_flight=2)

    async def run() -> Broadcast:
        client = AsyncSelfcare(backend)
        return await client.messages.broadcast(NUMBERS, "hi", concurrency=2)

    with pytest.raises(APIError, match=r"failed on \+79160000004"):
        asyncio.run(run())
