"""The reference server delivers webhooks by itself while it runs (``create_app`` starts a
WebhookDispatcher in its lifespan when the resolver fronts a fake operator)."""

from __future__ import annotations

import asyncio

import httpx

from selfcare import Secret
from selfcare.backends.fake import FakeOperator, ManualClock
from selfcare.server import FakeResolver, LiveServer, WebhookDispatcher, create_app
from tests._receiver import Receiver
from tests.conftest import NOW

PAY = {
    "amount": {"amount": "150.00", "currency": "RUB"},
    "method": {"kind": "card", "reference": "tok_visa_4242"},
}


def test_the_server_delivers_while_it_runs() -> None:
    operator = FakeOperator(seed=42, clock=ManualClock(NOW))
    app = create_app(FakeResolver(operator))
    assert isinstance(app.state.webhooks, WebhookDispatcher)
    receiver = Receiver()
    token = operator.token().reveal()

    async def go() -> int:
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(
                transport=transport,
                base_url="http://selfcare.test",
                headers={"Authorization": f"Bearer {token}"},
            ) as client:
                made = await client.post(
                    "/v1/webhooks",
                    json={"url": f"{hook.url}/h", "types": ["payment.succeeded"]},
                )
                assert made.status_code == 200, made.text
                receiver.secret = Secret(made.json()["secret"])
                assert (await client.post("/v1/payments", json=PAY)).status_code == 200
                # the operation's signal wakes the loop: wait for the delivery to arrive
                return await asyncio.to_thread(receiver.wait_for, 1)

    with LiveServer(receiver.app) as hook:
        assert asyncio.run(go()) == 1
    [event] = receiver.events()
    assert event.type.value == "payment.succeeded" and str(event.data.amount.amount) == "150.00"


def test_deliver_webhooks_false_leaves_the_loop_to_the_caller() -> None:
    operator = FakeOperator(seed=42, clock=ManualClock(NOW))
    app = create_app(FakeResolver(operator), deliver_webhooks=False)

    async def go() -> None:
        async with app.router.lifespan_context(app):
            await asyncio.sleep(0)  # the loop would have started by now

    asyncio.run(go())
    assert app.state.webhooks.stats.attempts == 0


def test_an_app_that_never_delivers_opens_no_http_client(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # create_app builds the dispatcher for app.state.webhooks; with the lifespan off (as
    # LiveServer runs it) nothing delivers, so no connection pool may be opened for it
    import httpx

    from selfcare.backends.fake import FakeOperator, ManualClock
    from selfcare.server import FakeResolver, create_app
    from tests.conftest import NOW

    opened: list[object] = []
    init = httpx.AsyncClient.__init__

    def counting(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        opened.append(self)
        init(self, *args, **kwargs)

    monkeypatch.setattr(httpx.AsyncClient, "__init__", counting)
    app = create_app(FakeResolver(FakeOperator(seed=42, clock=ManualClock(NOW))))
    assert app.state.webhooks is not None
    assert opened == []
