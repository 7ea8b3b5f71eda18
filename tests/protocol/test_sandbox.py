"""``selfcare serve`` as a sandbox other teams drive: the ``/v1/_test/`` hooks and 50 clients.

The hooks (reset to the seed, the clock, one-time codes) exist only with ``--test-hooks``
(``create_app(..., test_hooks=True)``) over a fake; the load test runs 50 concurrent sessions
of mixed reads and writes against a real ``selfcare serve`` and checks every write landed.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest

from selfcare.backends.fake import FakeOperator, ManualClock, SandboxClock
from selfcare.server import TEST_HOOKS, FakeResolver, create_app
from tests.conftest import NOW
from tests.protocol.conftest import Served

HOOK_CALLS = [
    ("GET", "/v1/_test/otp", {"params": {"number": "+79165550123"}}),
    ("POST", "/v1/_test/reset", {}),
    ("GET", "/v1/_test/clock", {}),
    ("POST", "/v1/_test/clock/advance", {"json": {"seconds": 60}}),
]


def _call(app: Any, method: str, path: str, **options: Any) -> httpx.Response:
    async def send() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://app") as client:
            return await client.request(method, path, **options)

    return asyncio.run(send())


def _time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def test_every_hook_is_documented_and_absent_without_test_hooks(operator: FakeOperator) -> None:
    assert {key.split()[1].partition("?")[0] for key in TEST_HOOKS} == {
        path for _, path, _ in HOOK_CALLS
    }
    plain = create_app(FakeResolver(operator))
    for method, path, options in HOOK_CALLS:
        answer = _call(plain, method, path, **options)
        assert answer.status_code == 404, (path, answer.text)
    document = _call(plain, "GET", "/v1/openapi.json").json()
    assert not [path for path in document["paths"] if "_test" in path]
    with pytest.raises(TypeError, match="FakeResolver"):
        create_app(lambda token: operator.backend(), test_hooks=True)


def test_the_clock_hooks_move_the_fakes_clock(operator: FakeOperator, clock: ManualClock) -> None:
    app = create_app(FakeResolver(operator), test_hooks=True)
    assert _time(_call(app, "GET", "/v1/_test/clock").json()["now"]) == NOW
    moved = _call(app, "POST", "/v1/_test/clock/advance", json={"seconds": 5400})
    assert moved.status_code == 200, moved.text
    assert _time(moved.json()["now"]) == NOW + timedelta(minutes=90) == clock.now()


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ({"seconds": 0}, "seconds"),
        ({"seconds": -5}, "seconds"),
        ({"seconds": 1.5}, "seconds"),
        ({"seconds": "60"}, "seconds"),
        ({"seconds": 10**12}, "seconds"),
        ({}, "seconds"),
        ({"seconds": 60, "minutes": 1}, "minutes"),
        ([60], "body"),
    ],
)
def test_advancing_refuses_what_is_not_a_forward_step(
    operator: FakeOperator, clock: ManualClock, body: Any, named: str
) -> None:
    app = create_app(FakeResolver(operator), test_hooks=True)
    answer = _call(app, "POST", "/v1/_test/clock/advance", json=body)
    assert answer.status_code == 422, answer.text
    assert answer.json()["field"] == named
    assert clock.now() == NOW


def test_a_fake_on_the_machines_clock_says_it_cannot_move() -> None:
    app = create_app(FakeResolver(FakeOperator(seed=42)), test_hooks=True)
    answer = _call(app, "POST", "/v1/_test/clock/advance", json={"seconds": 60})
    assert answer.status_code == 501
    assert "SystemClock" in answer.json()["detail"]


def test_the_sandbox_clock_runs_in_real_time_plus_what_it_was_moved() -> None:
    clock = SandboxClock()
    before = clock.now()
    moved = clock.advance(timedelta(days=3))
    assert moved - before >= timedelta(days=3)
    with pytest.raises(ValueError, match="forward"):
        clock.advance(timedelta(seconds=-1))


def test_reset_puts_the_fake_back_to_its_seed_and_keeps_the_tokens(
    operator: FakeOperator,
) -> None:
    app = create_app(FakeResolver(operator), test_hooks=True)
    auth = {"Authorization": f"Bearer {operator.token().reveal()}"}
    seeded = _call(app, "GET", "/v1/contacts", headers=auth).json()
    added = _call(
        app, "POST", "/v1/contacts", headers=auth, json={"name": "Zoya", "phones": ["+79161112233"]}
    )
    assert added.status_code == 200, added.text
    number = operator.subscriber().account.number.e164
    assert _call(app, "POST", "/v1/auth/otp", json={"number": number}).status_code == 200
    assert _call(app, "GET", "/v1/_test/otp", params={"number": number}).status_code == 200
    reset = _call(app, "POST", "/v1/_test/reset")
    assert reset.status_code == 200, reset.text
    assert _call(app, "GET", "/v1/contacts", headers=auth).json() == seeded
    assert _call(app, "GET", "/v1/_test/otp", params={"number": number}).status_code == 404
    refused = _call(app, "POST", "/v1/_test/reset", json={"seed": 7})
    assert refused.status_code == 422 and refused.json()["field"] == "body"


def test_a_scheduled_sms_goes_out_when_the_served_clock_passes_its_time(served: Served) -> None:
    served.reset()
    auth = {"Authorization": f"Bearer {served.token}"}
    now = _time(httpx.get(f"{served.url}/v1/_test/clock").json()["now"])
    sent = httpx.post(
        f"{served.url}/v1/messages/sms",
        headers=auth,
        json={
            "to": ["+79161234567"],
            "text": "see you at 7",
            "deliver_at": (now + timedelta(hours=1)).isoformat(),
        },
    )
    assert sent.status_code == 200, sent.text
    message = f"{served.url}/v1/messages/{sent.json()['id']}"
    assert httpx.get(message, headers=auth).json()["status"] == "scheduled"
    moved = httpx.post(f"{served.url}/v1/_test/clock/advance", json={"seconds": 7200})
    assert _time(moved.json()["now"]) >= now + timedelta(hours=2)
    assert httpx.get(message, headers=auth).json()["status"] not in ("scheduled", "accepted")


SESSIONS = 50
ROUNDS = 1


async def _session(client: httpx.AsyncClient, who: int) -> list[str]:
    """One client's mixed reads and writes; returns the names of the contacts it added."""
    names = []
    for step in range(ROUNDS):
        balance = await client.get("/v1/account/balance")
        assert balance.status_code == 200, balance.text
        page = await client.get("/v1/expenses", params={"limit": 20})
        assert page.status_code == 200 and page.json()["items"], page.text
        name = f"Load {who:02d}-{step}"
        added = await client.post(
            "/v1/contacts",
            json={"name": name, "phones": [f"+7916{who:03d}{step:04d}"]},
            headers={"Idempotency-Key": f"load-{who:02d}-{step}-key"},
        )
        assert added.status_code == 200, added.text
        names.append(name)
        found = await client.get("/v1/contacts", params={"search": name})
        assert name in [c["name"] for c in found.json()], found.text
    sms = await client.post(
        "/v1/messages/sms", json={"to": [f"+7916{who:03d}9999"], "text": f"load {who}"}
    )
    assert sms.status_code == 200, sms.text
    return names


async def _load(served: Served) -> list[list[str]]:
    auth = {"Authorization": f"Bearer {served.token}"}
    clients = [
        httpx.AsyncClient(base_url=served.url, headers=auth, timeout=60) for _ in range(SESSIONS)
    ]
    try:
        return await asyncio.gather(*(_session(c, who) for who, c in enumerate(clients)))
    finally:
        await asyncio.gather(*(c.aclose() for c in clients))


def test_fifty_concurrent_sessions_lose_no_write(served: Served) -> None:
    served.reset()
    auth = {"Authorization": f"Bearer {served.token}"}
    before = httpx.get(f"{served.url}/v1/contacts", headers=auth).json()
    added = asyncio.run(_load(served))
    after = httpx.get(f"{served.url}/v1/contacts", headers=auth).json()
    names = {c["name"] for c in after}
    wanted = {name for session in added for name in session}
    assert len(wanted) == SESSIONS * ROUNDS
    assert wanted <= names
    assert len(after) == len(before) + SESSIONS * ROUNDS
    log = httpx.get(
        f"{served.url}/v1/operations",
        headers=auth,
        params={"limit": 1000, "operation": "send_sms"},
    ).json()
    assert len(log["items"]) == SESSIONS
    assert all(record["status"] == "done" for record in log["items"])
