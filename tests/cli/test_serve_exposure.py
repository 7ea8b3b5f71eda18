"""``selfcare serve`` does not give accounts away to whoever can reach it.

The test hooks (reading one-time codes) are off unless ``--test-hooks``; API tokens are random
unless ``--deterministic-tokens``; a bind outside loopback is refused unless ``--public``.
uvicorn's ``run`` is replaced, so nothing listens: the app and the printed lines are checked.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest

from selfcare.backends.fake import FakeOperator
from tests.cli.conftest import Run, record_serves


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The apps ``selfcare serve`` would have run."""
    return record_serves(monkeypatch, lambda config: config.app)


def _tokens(output: str) -> list[str]:
    return [
        line.rpartition(": ")[2]
        for line in output.splitlines()
        if line.startswith("Token:") or "other subscriber" in line
    ]


async def _code_texted_and_read(app: Any, number: str) -> httpx.Response:
    """Ask the served fake to text a sign-in code to ``number``, then read it via the hook."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        sent = await client.post("/v1/auth/otp", json={"number": number})
        assert sent.status_code == 200, sent.text
        return await client.get("/v1/_test/otp", params={"number": number})


async def test_the_test_hook_route_is_off_without_test_hooks(run: Run, served: list[Any]) -> None:
    number = FakeOperator(seed=42).subscriber().account.number.e164
    plain = run("serve", "--port", "0", fake=False)
    assert plain.exit_code == 0 and "_test" not in plain.output
    hidden = await _code_texted_and_read(served[-1], number)
    assert hidden.status_code == 404 and "no such resource" in hidden.json()["detail"]
    result = run("serve", "--port", "0", "--test-hooks", fake=False)
    assert result.exit_code == 0, result.output
    assert "test hook" in result.stderr
    shown = await _code_texted_and_read(served[-1], number)
    assert shown.status_code == 200 and shown.json()["code"].isdigit()
    refused = run("serve", "--port", "0", "--protocol", "tmf", "--test-hooks", fake=False)
    assert refused.exit_code == 2 and "--test-hooks" in refused.stderr


def test_two_serves_with_one_seed_print_different_tokens(run: Run, served: list[Any]) -> None:
    first = run("serve", "--port", "0", "--seed", "7", fake=False)
    second = run("serve", "--port", "0", "--seed", "7", fake=False)
    assert first.exit_code == second.exit_code == 0
    tokens = _tokens(first.stdout)
    assert len(tokens) >= 2 and len(set(tokens)) == len(tokens)
    assert not set(tokens) & set(_tokens(second.stdout))
    seeded = FakeOperator(seed=7)
    assert seeded.token().reveal() not in tokens
    again = run("serve", "--port", "0", "--seed", "7", "--deterministic-tokens", fake=False)
    assert _tokens(again.stdout)[0] == seeded.token().reveal()
    assert "--deterministic-tokens" in again.stderr  # said out loud


@pytest.mark.parametrize("host", ["0.0.0.0", "::"])
def test_a_bind_outside_loopback_needs_public(run: Run, served: list[Any], host: str) -> None:
    refused = run("serve", "--host", host, "--port", "0", fake=False)
    assert refused.exit_code == 2, refused.output
    assert "--public" in refused.stderr and not served
    assert "Token" not in refused.stdout


def test_public_binds_and_warns_loudly(run: Run, served: list[Any]) -> None:
    result = run("serve", "--host", "0.0.0.0", "--port", "0", "--public", fake=False)
    assert result.exit_code == 0, result.output
    assert "WARNING" in result.stderr and "sandbox" in result.stderr
    assert len(served) == 1


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1"])
def test_loopback_needs_nothing(run: Run, served: list[Any], host: str) -> None:
    result = run("serve", "--host", host, "--port", "0", fake=False)
    if result.exit_code == 1 and "cannot listen" in result.stderr:
        pytest.skip(f"{host} is not available here")
    assert result.exit_code == 0, result.output
    assert "WARNING" not in result.stderr


def test_serve_takes_the_request_and_idempotency_limits(
    run: Run, served: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    import selfcare.backends.fake
    from selfcare.backends.fake._idempotency import IdempotencyLimits
    from selfcare.server import RequestLimits

    operators: list[FakeOperator] = []

    class Recorded(FakeOperator):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            operators.append(self)

    monkeypatch.setattr(selfcare.backends.fake, "FakeOperator", Recorded)
    result = run(
        "serve", "--port", "0", "--max-body-bytes", "5000", "--max-json-depth", "4",
        "--idempotency-entries", "7", "--idempotency-hours", "2", fake=False,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert served[-1].state.limits == RequestLimits(max_body_bytes=5000, max_depth=4)
    assert operators[-1].idempotency == IdempotencyLimits(timedelta(hours=2), 7)
    for bad in (
        ["--max-body-bytes", "0"],
        ["--max-json-depth", "-1"],
        ["--idempotency-entries", "0"],
        ["--idempotency-hours", "0"],
    ):
        refused = run("serve", "--port", "0", *bad, fake=False)
        assert refused.exit_code == 2 and bad[0].strip("-").split("-")[-1] in refused.stderr, (
            refused.stderr
        )


def test_mobile_network_mappings_are_checked_and_headers_not_trusted(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    configs = record_serves(monkeypatch, lambda config: config)
    for bad, named in (
        ("127.0.0.2", "ADDRESS=NUMBER"),
        ("not-an-ip=+79165550123", "not an IP address"),
        ("127.0.0.2=12", "not a phone number"),
    ):
        refused = run("serve", "--port", "0", "--mobile-network", bad, fake=False)
        assert refused.exit_code == 2 and named in refused.stderr, refused.stderr
    refused = run("serve", "--port", "0", "--trusted-proxy", "proxy.example", fake=False)
    assert refused.exit_code == 2 and "--trusted-proxy" in refused.stderr
    tmf = ("--protocol", "tmf", "--mobile-network", "127.0.0.2=+79165550123")
    refused = run("serve", "--port", "0", *tmf, fake=False)
    assert refused.exit_code == 2 and "--protocol selfcare" in refused.stderr
    ok = run("serve", "--port", "0", "--mobile-network", "127.0.0.2=8 916 555-01-23", fake=False)
    assert ok.exit_code == 0, ok.output
    assert "1 mapped address" in ok.stderr
    assert configs[-1].proxy_headers is False  # uvicorn must not read X-Forwarded-For


def test_tmf_version_5_serves_the_v5_roots(run: Run, served: list[Any]) -> None:
    """``--protocol tmf --tmf-version 5``: the six v5 APIs at /v5 (their /v4 gone), the others
    at v4; the option without ``--protocol tmf`` is a usage error."""
    result = run("serve", "--port", "0", "--protocol", "tmf", "--tmf-version", "5", fake=False)
    assert result.exit_code == 0, result.output
    paths = {getattr(route, "path", "") for route in served[-1].routes}
    assert "/tmf-api/customerBillManagement/v5/customerBill" in paths
    assert "/tmf-api/customerBillManagement/v4/customerBill" not in paths
    assert "/tmf-api/usageManagement/v4/usage" in paths
    refused = run("serve", "--port", "0", "--tmf-version", "5", fake=False)
    assert refused.exit_code == 2 and "--tmf-version" in refused.stderr
