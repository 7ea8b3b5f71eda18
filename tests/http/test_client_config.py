"""How an HTTP client is configured: arguments, then SELFCARE_BASE_URL / SELFCARE_TOKEN;
the headers it sends; the pool it closes; the token it never shows."""

from __future__ import annotations

import asyncio
import builtins
from typing import Any

import httpx
import pytest

from selfcare import AsyncSelfcare, Selfcare, ValidationError, __version__
from selfcare.backends import AsyncHttpBackend, HttpBackend
from selfcare.protocol._http import DEFAULT_TIMEOUT
from tests.http.test_retries import ACCOUNT


class Recorder:
    """A MockTransport handler that answers GET /v1/account and keeps every request."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(200, content=ACCOUNT, headers={"content-type": "application/json"})


@pytest.fixture(autouse=True)
def _no_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SELFCARE_BASE_URL", raising=False)
    monkeypatch.delenv("SELFCARE_TOKEN", raising=False)


def test_user_agent_names_selfcare_and_its_version() -> None:
    seen = Recorder()
    with Selfcare(HttpBackend("http://api.test", "tok", transport=httpx.MockTransport(seen))) as sc:
        sc.account.get()
    (request,) = seen.requests
    agent = request.headers["user-agent"]
    assert agent.startswith(f"selfcare-python/{__version__} "), agent
    assert request.headers["authorization"] == "Bearer tok"
    assert request.headers["accept"] == "application/json"
    assert str(request.url) == "http://api.test/v1/account"


def test_the_environment_fills_what_arguments_leave_out(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SELFCARE_BASE_URL", "http://env.test/")
    monkeypatch.setenv("SELFCARE_TOKEN", "from-env")
    seen = Recorder()
    with Selfcare(HttpBackend(transport=httpx.MockTransport(seen))) as sc:
        sc.account.get()
    assert str(seen.requests[0].url) == "http://env.test/v1/account"
    assert seen.requests[0].headers["authorization"] == "Bearer from-env"
    # Arguments win over the environment.
    with Selfcare(
        HttpBackend("http://arg.test", "from-arg", transport=httpx.MockTransport(seen))
    ) as sc:
        sc.account.get()
    assert str(seen.requests[1].url) == "http://arg.test/v1/account"
    assert seen.requests[1].headers["authorization"] == "Bearer from-arg"
    # The facade reads the same variables.
    with Selfcare() as sc:
        assert "http://env.test" in repr(sc)


def test_no_server_is_a_clear_error() -> None:
    with pytest.raises(ValidationError, match="pass base_url=.*SELFCARE_BASE_URL"):
        Selfcare()
    with pytest.raises(ValidationError, match="'ftp://x' is not an http"):
        Selfcare(base_url="ftp://x", token="t")


def test_the_token_is_never_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    sc = Selfcare(base_url="http://api.test", token="sc_very_secret")
    try:
        backend: Any = sc._backend
        shown = [repr(sc), str(sc), repr(backend), repr(backend.settings), repr(backend.auth)]
        assert not any("sc_very_secret" in text for text in shown), shown
    finally:
        sc.close()


@pytest.mark.parametrize(
    "token", ["sc_very_secret\n", " sc_very_secret", "sc_very\r\nsecret", "sc_very\x00secret"]
)
def test_a_token_a_header_cannot_carry_is_refused_without_showing_it(token: str) -> None:
    # left to the HTTP layer, it would fail with "Illegal header value b'Bearer sc_very…'"
    # refused when the client is made, before any connection exists
    seen = Recorder()
    with pytest.raises(ValidationError) as caught:
        HttpBackend("http://api.test", token, transport=httpx.MockTransport(seen))
    assert caught.value.field == "token"
    assert "sc_very" not in str(caught.value) and "sc_very" not in repr(caught.value)
    assert seen.requests == []


def test_timeouts_have_defaults() -> None:
    with Selfcare(base_url="http://api.test", token="t") as sc:
        backend: Any = sc._backend
        assert backend.timeout == DEFAULT_TIMEOUT
        assert DEFAULT_TIMEOUT.connect is not None and DEFAULT_TIMEOUT.read is not None
    with Selfcare(base_url="http://api.test", token="t", timeout=2.5) as sc:
        assert sc._backend.timeout == httpx.Timeout(2.5)  # type: ignore[attr-defined]


def test_the_context_manager_closes_the_pool() -> None:
    with Selfcare(base_url="http://api.test", token="t") as sc:
        http: httpx.Client = sc._backend._http  # type: ignore[attr-defined]
        assert not http.is_closed
    assert http.is_closed


def test_the_async_context_manager_closes_the_pool() -> None:
    async def run() -> httpx.AsyncClient:
        async with AsyncSelfcare(base_url="http://api.test", token="t") as sc:
            http: httpx.AsyncClient = sc._backend._http  # type: ignore[attr-defined]
            assert not http.is_closed
        return http

    assert asyncio.run(run()).is_closed


def test_async_backend_sends_the_same_headers() -> None:
    seen = Recorder()

    async def run() -> None:
        backend = AsyncHttpBackend("http://api.test", "tok", transport=httpx.MockTransport(seen))
        async with AsyncSelfcare(backend) as sc:
            await sc.account.get()

    asyncio.run(run())
    assert seen.requests[0].headers["user-agent"].startswith(f"selfcare-python/{__version__} ")
    assert seen.requests[0].headers["authorization"] == "Bearer tok"


def test_to_pandas_without_pandas_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def no_pandas(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.split(".")[0] in ("pandas", "pyarrow"):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pandas)
    sc = Selfcare.fake(seed=42)
    with pytest.raises(ImportError, match=r"pip install 'selfcare\[analysis\]'"):
        sc.expenses.list().to_pandas()


@pytest.mark.parametrize("method", ["to_arrow", "to_parquet"])
def test_arrow_exports_without_pyarrow_name_the_extra(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any, method: str
) -> None:
    real_import = builtins.__import__

    def no_pyarrow(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.split(".")[0] == "pyarrow":
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pyarrow)
    pager = Selfcare.fake(seed=42).expenses.list()
    args = (tmp_path / "x.parquet",) if method == "to_parquet" else ()
    with pytest.raises(
        ImportError, match=rf"{method}\(\) needs pyarrow: pip install 'selfcare\[analysis\]'"
    ):
        getattr(pager, method)(*args)


@pytest.mark.parametrize(
    ("token", "says"),
    [
        ("", "token is empty"),
        ("   ", "token is blank"),
        ("abc\ndef-secret-part", "position 3"),
        ("tok én-secret-part", "position 3"),
    ],
)
@pytest.mark.parametrize("make", [Selfcare, AsyncSelfcare, Selfcare.tmf, AsyncSelfcare.tmf])
def test_a_token_that_cannot_be_sent_is_refused_at_construction(make, token, says) -> None:
    with pytest.raises(ValidationError, match=says) as caught:
        make(base_url="http://api.test", token=token)
    assert caught.value.field == "token"
    assert "secret-part" not in str(caught.value)


def test_an_empty_token_in_the_environment_is_refused_naming_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SELFCARE_TOKEN", "")
    with pytest.raises(ValidationError, match="SELFCARE_TOKEN is empty"):
        Selfcare(base_url="http://api.test")
