"""Per-subscriber rate limits on sends and card attempts, on every configuration."""

from __future__ import annotations

from datetime import timedelta

import pytest

from selfcare import RateLimited, Selfcare
from selfcare.backends.fake import Bucket, FakeOperator, RateLimits
from selfcare.server import FakeResolver, LiveServer, create_app

pytestmark = pytest.mark.requires("messages")


def test_a_burst_passes_then_sends_are_throttled_until_tokens_refill(sc, operator, clock) -> None:
    operator.limits = RateLimits(sends=Bucket(per_minute=60, burst=5))
    quick = sc.with_options(max_retries=0)
    for n in range(5):
        quick.messages.send_sms("+79161234567", f"burst {n}")
    with pytest.raises(RateLimited) as caught:
        quick.messages.send_sms("+79161234567", "one too many")
    assert caught.value.retry_after == timedelta(seconds=1)
    assert "at most 60 a minute" in str(caught.value)
    clock.advance(timedelta(seconds=1))
    quick.messages.send_sms("+79161234567", "after a second")


def test_each_recipient_counts(sc, operator) -> None:
    operator.limits = RateLimits(sends=Bucket(per_minute=60, burst=3))
    quick = sc.with_options(max_retries=0)
    quick.messages.send_sms(["+79161234567", "+79161234568"], "two")
    with pytest.raises(RateLimited):
        quick.messages.send_sms(["+79161234569", "+79161234560"], "two more")
    with pytest.raises(ValueError, match="at most 3 sends"):
        quick.messages.send_sms([f"+7916123456{n}" for n in range(4)], "more than a burst")


def test_a_throttled_send_is_not_performed_and_its_key_stays_usable(sc, operator, clock) -> None:
    operator.limits = RateLimits(sends=Bucket(per_minute=60, burst=1))
    quick = sc.with_options(max_retries=0)
    quick.messages.send_sms("+79161234567", "first")
    before = len(operator.subscriber().mailbox.messages)
    with pytest.raises(RateLimited):
        quick.messages.send_sms("+79161234567", "second", idempotency_key="throttled-0001")
    assert len(operator.subscriber().mailbox.messages) == before
    clock.advance(timedelta(seconds=1))
    sent = quick.messages.send_sms("+79161234567", "second", idempotency_key="throttled-0001")
    assert sent.text == "second"


def test_the_http_client_waits_out_retry_after() -> None:
    """With the real clock: the third send gets 429 Retry-After 1 and succeeds on retry."""
    operator = FakeOperator(seed=42, limits=RateLimits(sends=Bucket(per_minute=600, burst=2)))
    with (
        LiveServer(create_app(FakeResolver(operator))) as server,
        Selfcare(base_url=server.url, token=operator.token()) as sc,
    ):
        for n in range(3):
            sc.messages.send_sms("+79161234567", f"paced {n}")
    assert (
        sum(1 for m in operator.subscriber().mailbox.messages if (m.text or "").startswith("paced"))
        == 3
    )
