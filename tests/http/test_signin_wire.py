"""Signing in on the wire: public routes, the test hook, the refresh flow, and no leaks."""

from __future__ import annotations

import asyncio
import logging
import traceback
from datetime import timedelta
from typing import Any

import httpx
import pytest

from selfcare import AuthenticationError, Selfcare, TooManyAttempts
from selfcare.backends.fake import Bucket, FakeOperator, ManualClock, RateLimits
from selfcare.model import SignedIn
from selfcare.protocol._routes import ROUTES
from selfcare.server import FakeResolver, LiveServer, create_app
from tests._server import SwitchableResolver
from tests.conftest import NOW

PASSWORD = "demo-password-1"
WRONG = "-".join(("wrong", "password", "7"))  # spelled so no traceback line shows it


class AppClient:
    """Requests straight into an ASGI app, synchronously (no server, no sockets)."""

    def __init__(self, app: Any, address: str = "127.0.0.1") -> None:
        self.app = app
        self.address = address
        """The client address the app sees."""

    def request(self, method: str, path: str, **options: Any) -> httpx.Response:
        async def send() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app, client=(self.address, 50123))
            async with httpx.AsyncClient(transport=transport, base_url="http://app") as client:
                return await client.request(method, path, **options)

        return asyncio.run(send())

    def get(self, path: str, **options: Any) -> httpx.Response:
        return self.request("GET", path, **options)

    def post(self, path: str, **options: Any) -> httpx.Response:
        return self.request("POST", path, **options)


def test_the_test_hook_exists_only_when_asked_for(operator: FakeOperator) -> None:
    plain = AppClient(create_app(FakeResolver(operator)))
    hooked = AppClient(create_app(FakeResolver(operator), test_hooks=True))
    assert plain.post("/v1/auth/otp", json={"number": "+79165550123"}).status_code == 200
    assert plain.get("/v1/_test/otp", params={"number": "+79165550123"}).status_code == 404
    answer = hooked.get("/v1/_test/otp", params={"number": "8 916 555-01-23"})
    assert answer.status_code == 200
    assert (
        answer.json()["code"]
        == operator.sign_in.last_code(operator.subscriber().account.number).code.reveal()
    )
    missing = hooked.get("/v1/_test/otp", params={"number": "+79035550177"})
    assert missing.status_code == 404
    assert missing.json()["type"] == "urn:selfcare:problem:not-found"
    with pytest.raises(TypeError, match="last_code"):
        create_app(lambda token: operator.backend(), test_hooks=True)


def test_public_routes_need_no_token_and_errors_are_problems(operator: FakeOperator) -> None:
    client = AppClient(create_app(FakeResolver(operator)))
    ok = client.post("/v1/auth/password", json={"number": "+79165550123", "password": PASSWORD})
    assert ok.status_code == 200
    session = ok.json()
    assert set(session) == {
        "access_token",
        "access_expires_at",
        "refresh_token",
        "refresh_expires_at",
    }
    bad = client.post("/v1/auth/password", json={"number": "+79165550123", "password": "x"})
    assert bad.status_code == 401
    assert bad.headers["content-type"].startswith("application/problem+json")
    assert bad.json()["type"] == "urn:selfcare:problem:unauthenticated"
    me = client.get("/v1/account", headers={"Authorization": f"Bearer {session['access_token']}"})
    assert me.json()["number"] == "+79165550123"
    assert client.post("/v1/auth/logout").status_code == 401  # logout is not public
    out = client.post(
        "/v1/auth/logout", headers={"Authorization": f"Bearer {session['access_token']}"}
    )
    assert out.status_code == 200
    gone = client.get("/v1/account", headers={"Authorization": f"Bearer {session['access_token']}"})
    assert gone.status_code == 401


def test_a_server_without_sign_in_says_so(operator: FakeOperator) -> None:
    client = AppClient(create_app(lambda token: operator.backend()))
    answer = client.post("/v1/auth/otp", json={"number": "+79165550123"})
    assert answer.status_code == 501
    assert answer.json()["type"] == "urn:selfcare:problem:not-supported"


def test_lockout_is_429_with_retry_after(operator: FakeOperator) -> None:
    client = AppClient(create_app(FakeResolver(operator)))
    for _ in range(5):
        client.post("/v1/auth/password", json={"number": "+79165550123", "password": "nope"})
    locked = client.post("/v1/auth/password", json={"number": "+79165550123", "password": PASSWORD})
    assert locked.status_code == 429
    assert locked.headers["retry-after"] == "900"
    assert locked.json()["type"] == "urn:selfcare:problem:too-many-attempts"


def test_an_attackers_lockout_does_not_lock_the_owner_out(operator: FakeOperator) -> None:
    app = create_app(FakeResolver(operator))
    attacker, owner = AppClient(app, "203.0.113.66"), AppClient(app, "198.51.100.7")
    for n in range(5):
        attacker.post("/v1/auth/password", json={"number": "+79165550123", "password": f"no{n}"})
    right = {"number": "+79165550123", "password": PASSWORD}
    assert attacker.post("/v1/auth/password", json=right).status_code == 429
    assert owner.post("/v1/auth/password", json=right).status_code == 200
    newest = operator.subscriber().logins.page(since=None, until=None, cursor=None, limit=3)
    assert [r.ip for r in newest.items] == ["198.51.100.7", "203.0.113.66", "203.0.113.66"]


def test_sign_in_routes_are_throttled_per_client_address(
    operator: FakeOperator, clock: ManualClock
) -> None:
    operator.limits = RateLimits(sign_in_requests=Bucket(per_minute=6, burst=3))
    app = create_app(FakeResolver(operator))
    flood, other = AppClient(app, "203.0.113.5"), AppClient(app, "198.51.100.9")
    ask = {"number": "+79165550123"}
    for _ in range(3):
        assert flood.post("/v1/auth/otp", json=ask).status_code == 200
    sent = len(operator.sign_in.sent_codes(operator.subscriber().account.number))
    throttled = flood.post("/v1/auth/password", json={**ask, "password": PASSWORD})
    assert throttled.status_code == 429
    assert throttled.headers["retry-after"] == "10"
    assert throttled.json()["type"] == "urn:selfcare:problem:rate-limited"
    assert "too many sign in requests" in throttled.json()["detail"]
    assert flood.post("/v1/auth/otp", json=ask).status_code == 429
    assert len(operator.sign_in.sent_codes(operator.subscriber().account.number)) == sent
    assert other.post("/v1/auth/otp", json=ask).status_code == 200  # another address
    clock.advance(timedelta(seconds=10))
    assert flood.post("/v1/auth/otp", json=ask).status_code == 200


def test_the_openapi_document_marks_sign_in_public() -> None:
    from selfcare.protocol.openapi import openapi_document

    paths = openapi_document()["paths"]
    for route in ROUTES:
        operation = paths[route.path][route.method.lower()]
        assert (operation.get("security") == []) is route.public, route.name
    assert {r.path for r in ROUTES if r.public} == {
        "/v1/auth/password",
        "/v1/auth/otp",
        "/v1/auth/otp/confirm",
        "/v1/auth/refresh",
    }


def _session(access: str) -> bytes:
    return (
        b'{"access_token":"' + access.encode() + b'","access_expires_at":"2026-11-25T09:15:00Z",'
        b'"refresh_token":"sr_1_refresh","refresh_expires_at":"2026-12-25T09:00:00Z"}'
    )


def _problem(status: int, slug: str) -> httpx.Response:
    body = {"type": f"urn:selfcare:problem:{slug}", "title": "x", "status": status, "detail": slug}
    return httpx.Response(status, json=body, headers={"content-type": "application/problem+json"})


ACCOUNT = (
    b'{"number":"+79165550123","holder":"A","tariff":{"code":"t","name":"T"},"status":"active",'
    b'"currency":"RUB","region":"RU","time_zone":"Europe/Moscow","billing_day":1,'
    b'"personal_account":"1"}'
)


def test_the_refresh_flow_is_sans_io_and_refreshes_once() -> None:
    seen: list[tuple[str, str]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append((request.url.path, request.headers.get("authorization", "")))
        if request.url.path.endswith("/v1/auth/password"):
            return httpx.Response(200, content=_session("sa_1_old"))
        if request.url.path.endswith("/v1/auth/refresh"):
            assert b"sr_1_refresh" in request.content
            return httpx.Response(200, content=_session("sa_1_new"))
        if request.headers["authorization"] == "Bearer sa_1_old":
            return _problem(401, "token-expired")
        return httpx.Response(200, content=ACCOUNT)

    from selfcare.backends import HttpBackend

    backend = HttpBackend(
        "http://api.test/base", anonymous=True, transport=httpx.MockTransport(handler)
    )
    from selfcare import Secret
    from selfcare.model import PhoneNumber
    from selfcare.operations import SignInWithPassword

    session = backend.execute(SignInWithPassword(PhoneNumber("+79165550123"), Secret(PASSWORD)))
    assert isinstance(session, SignedIn)
    sc = Selfcare(backend.signed_in(session))
    assert sc.account.get().number.e164 == "+79165550123"
    assert sc.account.get().number.e164 == "+79165550123"
    assert seen == [
        ("/base/v1/auth/password", ""),
        ("/base/v1/account", "Bearer sa_1_old"),
        ("/base/v1/auth/refresh", ""),
        ("/base/v1/account", "Bearer sa_1_new"),
        ("/base/v1/account", "Bearer sa_1_new"),
    ]


def test_a_refused_refresh_raises_its_error_and_other_401s_are_left_alone() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/v1/auth/refresh":
            return _problem(401, "unauthenticated")
        return _problem(401, "token-expired")

    from selfcare.backends import HttpBackend

    backend = HttpBackend("http://api.test", anonymous=True, transport=httpx.MockTransport(handler))
    signed = backend.signed_in(SignedIn.__new__(SignedIn))  # placeholder replaced below
    from selfcare import Secret

    signed.auth = backend.settings.session_auth(
        SignedIn(Secret("sa_1_x"), NOW, Secret("sr_1_x"), NOW + timedelta(days=30))
    )
    with pytest.raises(AuthenticationError, match="unauthenticated"):
        Selfcare(signed).account.get()


def test_no_password_code_or_token_in_logs_reprs_or_errors(
    caplog: pytest.LogCaptureFixture,
    live_server: tuple[LiveServer, SwitchableResolver],
) -> None:
    clock = ManualClock(NOW)
    operator = FakeOperator(seed=42, clock=clock)
    server, resolver = live_server
    resolver.use(operator)
    for name in ("", "httpx", "httpcore", "selfcare", "uvicorn", "uvicorn.access"):
        caplog.set_level(logging.DEBUG, logger=name)
    texts: list[str] = []
    secrets = {PASSWORD, WRONG}

    sc = Selfcare.login(server.url, "8 916 555-01-23", password=PASSWORD)
    auth = sc.backend.auth  # type: ignore[attr-defined]
    secrets |= {auth.session.access_token.reveal(), auth.session.refresh_token.reveal()}
    clock.advance(timedelta(minutes=16))
    sc.account.get()
    secrets.add(auth.session.access_token.reveal())  # the refreshed one
    texts += [repr(sc), repr(sc.backend), repr(auth), repr(auth.session), str(auth.session)]

    pending = Selfcare.start_login(server.url, "+7 916 555-01-23")
    code = operator.sign_in.last_code(pending.number).code.reveal()
    secrets.add(code)
    texts.append(repr(operator.sign_in.last_code(pending.number)))
    wrong = "000000" if code != "000000" else "111111"
    secrets.add(wrong)
    for attempt in (
        lambda: pending.confirm(wrong),
        lambda: Selfcare.login(server.url, "89165550123", password=WRONG),
    ):
        with pytest.raises(AuthenticationError) as caught:
            attempt()
        texts += [
            str(caught.value),
            repr(caught.value),
            "".join(traceback.format_exception(caught.value)),
        ]
    other = pending.confirm(code)
    texts += [repr(pending), repr(other)]
    other.logout()
    with pytest.raises(AuthenticationError) as gone:
        other.account.get()
    texts.append("".join(traceback.format_exception(gone.value)))
    for _ in range(4):
        with pytest.raises((AuthenticationError, TooManyAttempts)) as locked:
            Selfcare.login(server.url, "89165550123", password=WRONG)
        texts.append(str(locked.value))
    texts += [
        repr(r)
        for r in operator.subscriber()
        .logins.page(since=None, until=None, cursor=None, limit=20)
        .items
    ]
    texts += [
        repr(r)
        for r in operator.subscriber()
        .operations.page(since=None, until=None, cursor=None, limit=20)
        .items
    ]
    sc.close()
    other.close()
    pending.close()

    records = caplog.records
    assert any(r.name.startswith("httpcore") for r in records), "DEBUG logging was not captured"
    assert any(r.name.startswith("httpx") for r in records)
    for record in records:
        texts.append(record.getMessage())
        texts.append(repr(record.args))
    everything = "\n".join(texts)
    leaked = [s for s in secrets if s in everything]
    assert not leaked, "secrets leaked"
