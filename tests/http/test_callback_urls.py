"""A URL the operator POSTs events to (a native webhook endpoint's ``url``, a TMF hub's
``callback``) is checked by one rule, and a refused one is never echoed: its path may be the
listener's secret (a capability URL), and an error travels into logs."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from selfcare import Selfcare, ValidationError
from selfcare.backends.fake import FakeBackend, FakeOperator, ManualClock
from selfcare.server import FakeResolver, create_app, create_tmf_app
from selfcare.tmf import standard_root
from tests.conftest import NOW

SECRET = "s3cr3t-Path-7f41c9"
BAD = [
    f"https://listener.example/hooks/{SECRET} now",  # white space
    f"https://user:pw@listener.example/hooks/{SECRET}",  # user information
    f"ftp://listener.example/hooks/{SECRET}",  # not http(s)
    f"https://listener.example:99999/hooks/{SECRET}",  # a port that is no port
    f"https:///hooks/{SECRET}",  # no host
    f"https://listener.example/hooks/{SECRET}/" + "x" * 2100,  # too long
]


async def _post(app: object, token: str, path: str, body: dict[str, object]) -> httpx.Response:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app),  # type: ignore[arg-type]
        base_url="http://face.test",
        headers={"Authorization": f"Bearer {token}"},
    ) as client:
        return await client.post(path, json=body)


@pytest.mark.parametrize("url", BAD, ids=lambda u: u[:30])
def test_a_refused_webhook_url_is_never_echoed(url: str) -> None:
    operator = FakeOperator(seed=42, clock=ManualClock(NOW))
    token = operator.token().reveal()
    app = create_app(FakeResolver(operator), deliver_webhooks=False)
    answer = asyncio.run(_post(app, token, "/v1/webhooks", {"url": url}))
    assert answer.status_code in (400, 422), answer.text
    assert "url" in answer.text
    assert SECRET not in answer.text and "user:pw" not in answer.text
    with pytest.raises(ValidationError) as caught:  # in process: the same rule, the same care
        Selfcare(backend=FakeBackend(operator)).webhooks.create(url)
    assert SECRET not in str(caught.value) and "pw@" not in str(caught.value)


@pytest.mark.parametrize("url", BAD, ids=lambda u: u[:30])
def test_a_refused_hub_callback_is_never_echoed(url: str) -> None:
    operator = FakeOperator(seed=42, clock=ManualClock(NOW))
    token = operator.token().reveal()
    app = create_tmf_app(FakeResolver(operator))
    path = standard_root("payment") + "/hub"
    answer = asyncio.run(_post(app, token, path, {"callback": url}))
    assert answer.status_code == 400, answer.text
    assert "callback" in answer.text
    assert SECRET not in answer.text and "user:pw" not in answer.text
