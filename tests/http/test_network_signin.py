"""Network sign-in over HTTP against ``selfcare serve --mobile-network``: the SDK's flows
(sync and async), the authorization server's refusals (spoofed headers, unmapped addresses,
replayed codes, wrong redirect URIs, PKCE mismatches), CAMARA Number Verification, and one
session for every area whatever the method.

The device is 127.0.0.2 (a loopback address of its own, as a phone's mobile-data address
is): ``httpx.HTTPTransport(local_address="127.0.0.2")`` sends from it.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import logging
import os
import queue
import secrets
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import timedelta
from typing import IO, Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from selfcare import AsyncSelfcare, AuthenticationError, Selfcare
from selfcare.backends.fake import Bucket, FakeOperator, ManualClock, RateLimits
from selfcare.server import FakeResolver, MobileNetwork, create_app
from tests.conftest import NOW
from tests.http.test_signin_wire import AppClient

DEVICE = "127.0.0.2"
LINE = "+79165550123"  # the demo subscriber's
OTHER_DEVICE = "127.0.0.3"
PROBE = "127.0.0.4"
"""Another address of the demo line, for the raw requests (each address has its own
sign-in throttle, so the SDK's flows from DEVICE never wait behind them)."""
OTHER_LINE = "+79035550177"  # oleg's
PORTAL = "https://portal.example/callback"
TIMEOUT = 60
NV = "/number-verification/v2"
NOT_BY_NETWORK = "NUMBER_VERIFICATION.USER_NOT_AUTHENTICATED_BY_MOBILE_NETWORK"


def _lines(stream: IO[str], into: queue.Queue[str]) -> None:
    for line in stream:
        into.put(line)


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    """``selfcare serve`` with two mapped devices, run as a user would run it."""
    command = [sys.executable, "-c", "from selfcare.cli import main; main()", "serve"]
    command += ["--port", "0", "--test-hooks", "--redirect-uri", PORTAL]
    command += ["--mobile-network", f"{DEVICE}={LINE}"]
    command += ["--mobile-network", f"{OTHER_DEVICE}=8 903 555-01-77"]
    command += ["--mobile-network", f"{PROBE}={LINE}"]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=os.environ
    )
    assert process.stdout is not None
    out: queue.Queue[str] = queue.Queue()
    threading.Thread(target=_lines, args=(process.stdout, out), daemon=True).start()
    try:
        while True:
            key, _, value = out.get(timeout=TIMEOUT).partition(": ")
            if key == "Base URL":
                break
        base = value.strip()
        for _ in range(TIMEOUT * 20):  # listening once uvicorn runs, just after the banner
            try:
                httpx.get(f"{base}/.well-known/openid-configuration", timeout=TIMEOUT)
                break
            except httpx.ConnectError:
                threading.Event().wait(0.05)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=TIMEOUT)


_SOURCES = itertools.count(1)


def _client(source: str | None = None) -> httpx.Client:
    """A client from ``source``, or else from an address of its own (127.0.1.N), so that no
    address reaches the server's per-address sign-in throttle."""
    source = source or f"127.0.1.{next(_SOURCES) % 250 + 1}"
    return httpx.Client(transport=httpx.HTTPTransport(local_address=source), timeout=TIMEOUT)


def _pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _authorize(
    url: str,
    source: str = PROBE,
    *,
    headers: dict[str, str] | None = None,
    redirect_uri: str = PORTAL,
    **params: str,
) -> tuple[httpx.Response, dict[str, str], str]:
    """GET /oauth/authorize from ``source``: the answer, the redirect's query, the verifier."""
    verifier, challenge = _pkce()
    query = {
        "response_type": "code",
        "client_id": "selfcare",
        "redirect_uri": redirect_uri,
        "scope": "openid",
        "state": "st-1",
        "nonce": "n-1",
        "prompt": "none",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        **params,
    }
    with _client(source) as http:
        answer = http.get(f"{url}/oauth/authorize", params=query, headers=headers)
    location = answer.headers.get("location", "")
    back = {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}
    return answer, back, verifier


def _exchange(url: str, code: str, verifier: str, redirect_uri: str = PORTAL) -> httpx.Response:
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect_uri,
        "client_id": "selfcare",
        "code_verifier": verifier,
    }
    with _client() as http:
        return http.post(f"{url}/oauth/token", data=form)


def _network_token(url: str, scope: str = "openid") -> dict[str, Any]:
    _, back, verifier = _authorize(url, scope=scope)
    answer = _exchange(url, back["code"], verifier)
    assert answer.status_code == 200, answer.text
    tokens: dict[str, Any] = answer.json()
    return tokens


# -- the SDK ---------------------------------------------------------------------------------


def test_network_login_signs_the_device_in_as_its_line(url: str) -> None:
    device = httpx.HTTPTransport(local_address=DEVICE)
    with Selfcare.network_login(url, transport=device) as sc:
        assert sc.account.get().number.e164 == LINE
        latest = sc.logins.list().first(1)[0]
        assert (latest.method, latest.status, latest.ip) == ("network", "success", DEVICE)
    other = httpx.HTTPTransport(local_address=OTHER_DEVICE)
    with Selfcare.network_login(url, transport=other) as sc:
        assert sc.account.get().number.e164 == OTHER_LINE


async def test_async_network_login(url: str) -> None:
    device = httpx.AsyncHTTPTransport(local_address=DEVICE)
    async with await AsyncSelfcare.network_login(url, transport=device) as sc:
        assert (await sc.account.get()).number.e164 == LINE
        with pytest.raises(AuthenticationError, match="login_required"):
            await AsyncSelfcare.network_login(url)


def test_an_unmapped_address_gets_login_required(url: str) -> None:
    with pytest.raises(AuthenticationError, match="login_required"):
        Selfcare.network_login(url)  # from 127.0.0.1, which no line has


def test_start_and_complete_with_the_portals_redirect(url: str) -> None:
    login = Selfcare.start_network_login(url, redirect_uri=PORTAL)
    query = parse_qs(urlsplit(login.authorization_url).query)
    assert query["prompt"] == ["none"]
    assert query["code_challenge_method"] == ["S256"]
    assert query["response_type"] == ["code"]
    assert query["redirect_uri"] == [PORTAL]
    for name in ("state", "nonce", "code_challenge"):
        assert len(query[name][0]) >= 32
        assert query[name][0] not in repr(login)
    with _client(DEVICE) as phone:  # the browser on the phone follows the link
        back = phone.get(login.authorization_url).headers["location"]
    assert back.startswith(PORTAL + "?")
    with login.complete(back) as sc:
        assert sc.account.get().number.e164 == LINE
    with pytest.raises(AuthenticationError, match="already completed"):
        login.complete(back)


async def test_async_start_and_complete(url: str) -> None:
    login = await AsyncSelfcare.start_network_login(url, redirect_uri=PORTAL)
    with _client(DEVICE) as phone:
        back = phone.get(login.authorization_url).headers["location"]
    async with await login.complete(back) as sc:
        assert (await sc.account.get()).number.e164 == LINE


def test_a_forged_callback_is_refused(url: str) -> None:
    login = Selfcare.start_network_login(url, redirect_uri=PORTAL)
    _, back, _ = _authorize(url)  # a real code, but from another authorization (state st-1)
    forged = f"{PORTAL}?code={back['code']}&state=st-1"
    with pytest.raises(AuthenticationError, match="state"):
        login.complete(forged)


def test_an_id_token_from_another_key_is_refused(url: str) -> None:
    """The token answer's ID token swapped for one signed by another key (a man in the
    middle): the signature check refuses it (see tests/unit/test_id_token.py for each claim)."""
    from joserfc import jwt
    from joserfc.jwk import ECKey

    forger = ECKey.generate_key("P-256")
    issued: list[str] = []

    def swap(path: str, response: httpx.Response) -> None:
        if path == "/oauth/token" and response.status_code == 200:
            response.read()
            body = response.json()
            issued.append(body["access_token"])
            claims = jwt.decode(body["id_token"], _jwks(url)).claims
            body["id_token"] = jwt.encode({"alg": "ES256"}, claims, forger)
            response._content = httpx.Response(200, json=body).content

    class Tampering(httpx.HTTPTransport):
        def handle_request(self, request: httpx.Request) -> httpx.Response:
            response = super().handle_request(request)
            swap(request.url.path, response)
            return response

    with pytest.raises(AuthenticationError, match="signature"):
        Selfcare.network_login(url, transport=Tampering(local_address=DEVICE))
    with _client() as http:  # the session the refused ID token came with was signed out
        bearer = {"Authorization": f"Bearer {issued[0]}"}
        assert http.get(f"{url}/v1/account", headers=bearer).status_code == 401


def _jwks(url: str) -> Any:
    from joserfc.jwk import KeySet

    with _client() as http:
        return KeySet.import_key_set(http.get(f"{url}/oauth/jwks").json())


def test_discovery_and_id_token(url: str) -> None:
    from joserfc import jwt

    with _client() as http:
        meta = http.get(f"{url}/.well-known/openid-configuration").json()
    assert meta["issuer"] == url
    assert meta["code_challenge_methods_supported"] == ["S256"]
    assert meta["token_endpoint"] == f"{url}/oauth/token"
    tokens = _network_token(url, scope="openid phone")
    claims = jwt.decode(tokens["id_token"], _jwks(url)).claims
    assert (claims["iss"], claims["aud"], claims["nonce"]) == (url, "selfcare", "n-1")
    assert claims["phone_number"] == LINE
    assert LINE not in claims["sub"]


# -- attacks on the authorization server ------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        {"X-MSISDN": LINE},
        {"X-Forwarded-For": DEVICE},
        {"X-Forwarded-For": DEVICE, "X-Forwarded-Proto": "https", "X-Real-IP": DEVICE},
        {"Forwarded": f"for={DEVICE}"},
    ],
)
def test_headers_from_an_untrusted_client_are_ignored(url: str, headers: dict[str, str]) -> None:
    answer, back, _ = _authorize(url, "127.0.0.1", headers=headers)
    assert answer.status_code == 302
    assert back["error"] == "login_required"
    assert "code" not in back


def test_a_trusted_proxy_may_name_the_device() -> None:
    operator = FakeOperator()
    network = MobileNetwork.parse([f"{DEVICE}={LINE}"], trusted_proxies=["10.0.0.1"])
    app = create_app(FakeResolver(operator), network=network, redirect_uris=[PORTAL])
    _, challenge = _pkce()
    query = (
        f"/oauth/authorize?response_type=code&client_id=selfcare&scope=openid&state=s"
        f"&redirect_uri={PORTAL}&code_challenge={challenge}&code_challenge_method=S256"
    )
    proxy, stranger = AppClient(app, "10.0.0.1"), AppClient(app, "10.0.0.2")
    for headers in ({"X-MSISDN": "8 916 555-01-23"}, {"X-Forwarded-For": f"1.2.3.4, {DEVICE}"}):
        assert "code=" in proxy.get(query, headers=headers).headers["location"]
        assert "login_required" in stranger.get(query, headers=headers).headers["location"]
    assert "login_required" in proxy.get(query).headers["location"]  # the proxy is no line


def test_a_replayed_code_is_refused_and_revokes_its_tokens(url: str) -> None:
    _, back, verifier = _authorize(url)
    first = _exchange(url, back["code"], verifier)
    assert first.status_code == 200
    token = first.json()["access_token"]
    with _client() as http:
        bearer = {"Authorization": f"Bearer {token}"}
        assert http.get(f"{url}/v1/account", headers=bearer).status_code == 200
        again = _exchange(url, back["code"], verifier)
        assert (again.status_code, again.json()["error"]) == (400, "invalid_grant")
        assert http.get(f"{url}/v1/account", headers=bearer).status_code == 401
    assert back["code"] not in again.text


def test_a_wrong_redirect_uri_is_refused(url: str) -> None:
    answer, back, _ = _authorize(url, redirect_uri="https://evil.example/cb")
    assert answer.status_code == 400  # never redirected to a URI nobody registered
    assert answer.json()["error"] == "invalid_request"
    assert "location" not in answer.headers
    _, back, verifier = _authorize(url)
    swapped = _exchange(url, back["code"], verifier, redirect_uri="http://127.0.0.1/other")
    assert (swapped.status_code, swapped.json()["error"]) == (400, "invalid_grant")


def test_an_oversized_state_is_refused_not_echoed(url: str) -> None:
    answer, _, _ = _authorize(url, state="s" * 600)
    assert (answer.status_code, answer.json()["error"]) == (400, "invalid_request")
    assert "state" in answer.json()["error_description"]
    assert "s" * 600 not in answer.text + answer.headers.get("location", "")


def test_a_pkce_verifier_mismatch_is_refused(url: str) -> None:
    _, back, _ = _authorize(url)
    other, _ = _pkce()
    wrong = _exchange(url, back["code"], other)
    assert (wrong.status_code, wrong.json()["error"]) == (400, "invalid_grant")
    assert "code_verifier" in wrong.json()["error_description"]


@pytest.mark.parametrize(
    ("params", "error"),
    [
        ({"code_challenge_method": "plain"}, "invalid_request"),
        ({"code_challenge": ""}, "invalid_request"),
        ({"response_type": "token"}, "unsupported_response_type"),
        ({"scope": "profile"}, "invalid_scope"),
    ],
)
def test_bad_authorization_requests_are_sent_back(
    url: str, params: dict[str, str], error: str
) -> None:
    answer, back, _ = _authorize(url, **params)
    assert answer.status_code == 302
    assert (back["error"], back["state"], back["iss"]) == (error, "st-1", url)


def test_authorization_requests_are_throttled_per_address() -> None:
    operator = FakeOperator(limits=RateLimits(sign_in_requests=Bucket(per_minute=1, burst=2)))
    app = create_app(FakeResolver(operator), network=MobileNetwork.parse([f"{DEVICE}={LINE}"]))
    flood, other = AppClient(app, "10.9.9.9"), AppClient(app, "10.9.9.8")
    answers = [flood.get("/oauth/authorize?client_id=selfcare") for _ in range(3)]
    assert [a.status_code for a in answers] == [400, 400, 429]
    assert answers[2].json()["error"] == "slow_down"
    assert int(answers[2].headers["retry-after"]) > 0
    token = flood.post("/oauth/token", data={"grant_type": "authorization_code"})
    assert token.status_code == 429
    assert other.get("/oauth/authorize?client_id=selfcare").status_code == 400


def test_an_expired_code_is_refused() -> None:
    clock = ManualClock(NOW)
    operator = FakeOperator(clock=clock)
    app = create_app(FakeResolver(operator), network=MobileNetwork.parse([f"{DEVICE}={LINE}"]))
    verifier, challenge = _pkce()
    redirect = "http://127.0.0.1:9/cb"
    location = (
        AppClient(app, DEVICE)
        .get(
            f"/oauth/authorize?response_type=code&client_id=selfcare&scope=openid"
            f"&redirect_uri={redirect}&code_challenge={challenge}&code_challenge_method=S256"
        )
        .headers["location"]
    )
    code = parse_qs(urlsplit(location).query)["code"][0]
    clock.advance(timedelta(seconds=61))
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect,
        "client_id": "selfcare",
        "code_verifier": verifier,
    }
    late = AppClient(app).post("/oauth/token", data=form)
    assert (late.status_code, late.json()["error_description"]) == (400, "the code expired")


# -- Number Verification ------------------------------------------------------------------------


def test_number_verification_answers_for_network_tokens(url: str) -> None:
    scope = "openid number-verification:verify number-verification:device-phone-number:read"
    token = _network_token(url, scope=scope)["access_token"]
    hashed = hashlib.sha256(LINE.encode()).hexdigest()
    with _client() as http:
        http.headers.update({"Authorization": f"Bearer {token}", "x-correlator": "c-1"})
        mine = http.post(f"{url}{NV}/verify", json={"phoneNumber": LINE})
        assert mine.json() == {"devicePhoneNumberVerified": True}
        assert mine.headers["x-correlator"] == "c-1"
        not_mine = http.post(f"{url}{NV}/verify", json={"phoneNumber": OTHER_LINE})
        assert not_mine.json() == {"devicePhoneNumberVerified": False}
        by_hash = http.post(f"{url}{NV}/verify", json={"hashedPhoneNumber": hashed})
        assert by_hash.json() == {"devicePhoneNumberVerified": True}
        assert http.get(f"{url}{NV}/device-phone-number").json() == {"devicePhoneNumber": LINE}
        both = http.post(
            f"{url}{NV}/verify", json={"phoneNumber": LINE, "hashedPhoneNumber": hashed}
        )
        assert (both.status_code, both.json()["code"]) == (400, "INVALID_ARGUMENT")
        bad = http.post(f"{url}{NV}/verify", json={"phoneNumber": "89165550123"})
        assert (bad.status_code, bad.json()["code"]) == (400, "INVALID_ARGUMENT")


def _otp_token(url: str) -> str:
    with _client() as http:
        http.post(f"{url}/v1/auth/otp", json={"number": LINE})
        code = http.get(f"{url}/v1/_test/otp", params={"number": LINE}).json()["code"]
        answer = http.post(f"{url}/v1/auth/otp/confirm", json={"number": LINE, "code": code})
        token: str = answer.json()["access_token"]
        return token


def _password_token(url: str) -> str:
    with _client() as http:
        body = {"number": LINE, "password": "demo-password-1"}
        token: str = http.post(f"{url}/v1/auth/password", json=body).json()["access_token"]
        return token


def test_number_verification_refuses_other_tokens(url: str) -> None:
    for token in (_password_token(url), _otp_token(url)):
        with _client() as http:
            http.headers["Authorization"] = f"Bearer {token}"
            for answer in (
                http.post(f"{url}{NV}/verify", json={"phoneNumber": LINE}),
                http.get(f"{url}{NV}/device-phone-number"),
            ):
                assert answer.status_code == 403
                assert answer.json()["code"] == NOT_BY_NETWORK
    with _client() as http:
        nobody = http.get(f"{url}{NV}/device-phone-number")
        assert (nobody.status_code, nobody.json()["code"]) == (401, "UNAUTHENTICATED")
        forged = http.get(f"{url}{NV}/device-phone-number", headers={"Authorization": "Bearer x"})
        assert (forged.status_code, forged.json()["code"]) == (401, "UNAUTHENTICATED")
        unscoped = _network_token(url)["access_token"]  # scope openid only
        denied = http.get(
            f"{url}{NV}/device-phone-number", headers={"Authorization": f"Bearer {unscoped}"}
        )
        assert (denied.status_code, denied.json()["code"]) == (403, "PERMISSION_DENIED")


# -- one sign-in for every service ----------------------------------------------------------------


def _signed_in(url: str, method: str) -> Selfcare:
    if method == "network":
        return Selfcare.network_login(url, transport=httpx.HTTPTransport(local_address=DEVICE))
    if method == "password":
        return Selfcare.login(url, LINE, password="demo-password-1")
    pending = Selfcare.start_login(url, LINE)
    with _client() as http:
        code = http.get(f"{url}/v1/_test/otp", params={"number": LINE}).json()["code"]
    return pending.confirm(code)


@pytest.mark.parametrize("method", ["network", "password", "otp"])
def test_every_method_opens_the_same_session(url: str, method: str) -> None:
    sc = _signed_in(url, method)
    latest = sc.logins.list(method=method).first(1)[0]
    assert (latest.method, latest.status) == (method, "success")
    contact = sc.contacts.add(f"Friend by {method}", phones=["+79031112233"])
    group = sc.contacts.lists.create(f"list-{method}", [contact])
    assert group.name == f"list-{method}"
    assert sc.expenses.list().first(1)
    session = sc.backend.auth.session  # type: ignore[attr-defined]
    sc.close()
    with _client() as http:  # refreshing and signing out are the same for every method
        # (the operator allows a subscriber 10 refreshes at once: one route per method)
        oauth = method != "password"
        form = {
            "grant_type": "refresh_token",
            "refresh_token": session.refresh_token.reveal(),
            "client_id": "selfcare",
        }

        def refresh() -> httpx.Response:
            if oauth:  # the OAuth token endpoint, as an OIDC library would refresh
                return http.post(f"{url}/oauth/token", data=form)
            return http.post(
                f"{url}/v1/auth/refresh", json={"refresh_token": form["refresh_token"]}
            )

        fresh = refresh()
        assert fresh.status_code == 200
        assert fresh.json().get("token_type", "Bearer") == "Bearer"
        bearer = {"Authorization": f"Bearer {fresh.json()['access_token']}"}
        assert http.get(f"{url}/v1/contacts", headers=bearer).status_code == 200
        assert http.post(f"{url}/v1/auth/logout", headers=bearer).status_code == 200
        assert http.get(f"{url}/v1/contacts", headers=bearer).status_code == 401
        assert refresh().status_code in (400, 401)  # invalid_grant, or the problem


def test_no_token_verifier_or_nonce_in_logs_or_reprs(
    url: str, caplog: pytest.LogCaptureFixture
) -> None:
    for name in ("selfcare", "httpx", "httpcore"):
        caplog.set_level(logging.DEBUG, logger=name)
    login = Selfcare.start_network_login(
        url, redirect_uri=PORTAL, transport=httpx.HTTPTransport(local_address=DEVICE)
    )
    request = login._request
    with _client(DEVICE) as phone:
        back = phone.get(login.authorization_url).headers["location"]
    sc = login.complete(back)
    session = sc.backend.auth.session  # type: ignore[attr-defined]
    secrets_ = [
        session.access_token.reveal(),
        session.refresh_token.reveal(),
        request.verifier.reveal(),
    ]
    shown = caplog.text + repr(login) + repr(sc) + repr(request) + repr(sc.backend)
    assert any(r.name.startswith("httpcore") for r in caplog.records)
    for value in secrets_:
        assert value not in shown
    assert request.nonce.reveal() not in repr(request) + repr(login)
    sc.close()


# -- the same session, whichever way it was opened, on the fake and over HTTP ------------------


@pytest.fixture(scope="module")
def fake_operator() -> FakeOperator:
    return FakeOperator(seed=42, clock=ManualClock(NOW))


def _signed_in_to_fake(operator: FakeOperator, method: str) -> Selfcare:
    """The three sign-ins in process: the network's is the authorization server's call
    (``with_network``) once the gateway recognised the line; the SDK then acts with it."""
    from selfcare.backends.fake import FakeBackend
    from selfcare.model import PhoneNumber

    if method == "network":
        clock = operator.clock
        session = operator.sign_in.with_network(PhoneNumber(LINE), clock.now(), "web")
        return Selfcare(FakeBackend(operator).signed_in(session))
    if method == "password":
        return Selfcare.login(number=LINE, password="demo-password-1", operator=operator)
    pending = Selfcare.start_login(number=LINE, operator=operator)
    return pending.confirm(operator.sign_in.last_code(PhoneNumber(LINE)).code.reveal())


def _every_area(sc: Selfcare, tag: str) -> None:
    """One call in each area: a session opens all of them, the phonebook and lists too."""
    assert sc.account.get().number.e164 == LINE
    sc.account.balance()
    sc.account.bills().first(1)
    assert sc.expenses.list().first(1)
    sc.calls.list().first(1)
    sc.forwarding.get()
    sc.messages.list().first(1)
    sc.payments.list().first(1)
    sc.services.connected()
    sc.complaints.list().first(1)
    sc.alerts.get()
    sc.events.list().first(1)
    assert [line.number.e164 for line in sc.lines.list()] == [LINE]
    sc.logins.operations().first(1)
    contact = sc.contacts.add(f"Friend by {tag}", phones=["+79031112233"])
    group = sc.contacts.lists.create(f"list-{tag}", [contact])
    assert [m.contact_id for m in sc.contacts.lists.get(group.id).members] == [contact.id]


@pytest.mark.parametrize("where", ["fake", "http"])
@pytest.mark.parametrize("method", ["network", "password", "otp"])
def test_a_session_of_every_method_opens_every_area_and_ends_alike(
    url: str, fake_operator: FakeOperator, where: str, method: str
) -> None:
    """Whichever way the subscriber signed in, the session reaches every area, the login log
    records the method, and signing out ends it the same way (refresh: on the fake's clock
    here; over HTTP by each token endpoint in ``test_every_method_opens_the_same_session``)."""
    tag = f"{method}-{where}"
    sc = _signed_in_to_fake(fake_operator, method) if where == "fake" else _signed_in(url, method)
    latest = sc.logins.list(method=method).first(1)[0]
    assert (latest.method, latest.status) == (method, "success")
    _every_area(sc, tag)
    if where == "fake":  # the access token expires in 15 minutes: refreshed silently
        assert isinstance(fake_operator.clock, ManualClock)
        fake_operator.clock.advance(timedelta(minutes=16))
        assert sc.account.get().number.e164 == LINE
        assert sc.logins.list(method="token").first(1)[0].status == "success"
    sc.logout()
    with pytest.raises(AuthenticationError, match="signed out"):
        sc.account.get()
    sc.close()
