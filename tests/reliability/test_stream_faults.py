"""Through 30 % injected faults a stream client sees every event exactly once, in order.

The server ends each event stream after two events (``event_stream_limit``), so every
connection is a finite answer the fault injector can drop after its headers, hold until the
client hangs up, or replace with a 503. The client reconnects after the last event it
yielded (``Last-Event-ID``): nothing may be lost or repeated.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from selfcare import Selfcare
from selfcare.backends import HttpBackend
from selfcare.backends.fake import FakeOperator, ManualClock, RateLimits
from selfcare.server import FakeResolver, LiveServer, create_app
from tests.conftest import NOW
from tests.reliability._faults import FaultInjector

EVENTS = 60


def test_a_stream_sees_each_event_exactly_once_through_faults(
    monkeypatch: pytest.MonkeyPatch, report
) -> None:
    clock = ManualClock(NOW)
    operator = FakeOperator(seed=42, clock=clock, limits=RateLimits.generous())
    with Selfcare.fake(operator=operator) as local:
        local.forwarding.set("busy", "+79160000000")  # the event the stream starts after
        (start,) = local.events.list()
        for n in range(1, EVENTS + 1):
            local.forwarding.set("busy", f"+7916{n:07d}")  # one forwarding.changed each
        clock.advance(timedelta(seconds=1))
        expected = [e.id for e in local.events.list()][::-1][1:]  # oldest first, after start
    app = create_app(FakeResolver(operator), deliver_webhooks=False)
    app.state.event_stream_limit = 2
    faults = FaultInjector(app, rate=0.3, seed=11)
    for module in ("selfcare.backends.http._sync", "selfcare.backends.http._async"):
        # a held answer ends when the client gives up reading: a second, not a minute
        monkeypatch.setattr(f"{module}.STREAM_READ_TIMEOUT", 1.0)
    with LiveServer(faults) as server:
        backend = HttpBackend(server.url, operator.token(), timeout=30)
        with Selfcare(backend) as sc:
            faults.enabled = False  # the client learns the account without faults
            sc.account.get()
            faults.enabled = True
            stream = sc.events.stream(after=start.id, reconnect_attempts=EVENTS)
            seen = [next(stream).id for _ in expected]
            stream.close()
    assert seen == expected
    assert set(faults.faults) == {"drop", "unavailable", "slow"}, faults.faults  # all three hit
    report(
        f"stream through faults: {faults.requests} connections, "
        f"{sum(faults.faults.values())} faults injected ({dict(faults.faults)}), "
        f"{len(seen)} events each seen exactly once, in order"
    )
