"""The portal under attack, over its ASGI app (no browser, no sockets): each test plays one
attack from the security review (issue 20) and checks it fails, and that the honest use right
beside it still works.

The portal talks to selfcare's reference server on a fake operator through
``httpx.ASGITransport`` too, sharing one pool as ``http_connect`` does in production. Session
expiry runs on an injected clock, never on sleeps. docs/portal.md maps these tests to OWASP
ASVS 4.0 level 1.
"""

from __future__ import annotations

import asyncio
import re
import threading
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest

from selfcare import AsyncSelfcare
from selfcare.backends.fake import FakeOperator, ManualClock
from selfcare.server import FakeResolver, create_app
from tests.conftest import NOW
from tests.portal.conftest import PORTAL_DIR

PORTAL = "http://portal.test"
EVIL = "https://evil.example"
REMOTE = ("203.0.113.7", 40000)
LOOPBACK = ("127.0.0.1", 40000)
VCARD = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Olga Sidorova\r\nTEL:+79265550101\r\nEND:VCARD\r\n"


class Ticks:
    """The portal's clock in seconds, moved by hand."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class Counted:
    """A ``connect`` that remembers every client it made and which of them were closed."""

    def __init__(self, connect: Callable[[str], AsyncSelfcare]) -> None:
        self.connect = connect
        self.made: list[AsyncSelfcare] = []
        self.closed: set[int] = set()

    def __call__(self, token: str) -> AsyncSelfcare:
        client = self.connect(token)
        self.made.append(client)
        real_close = client.aclose

        async def aclose() -> None:
            self.closed.add(id(client))
            await real_close()

        client.aclose = aclose  # type: ignore[method-assign]
        return client

    @property
    def open(self) -> int:
        return sum(id(c) not in self.closed for c in self.made)

    def is_closed(self, index: int) -> bool:
        return id(self.made[index]) in self.closed

    async def aclose(self) -> None:
        close = getattr(self.connect, "aclose", None)
        if close is not None:
            await close()


@pytest.fixture(scope="module")
def portal_modules(portal_module: Any) -> tuple[Any, Any, Any]:
    import views
    import web

    return portal_module, web, views


@pytest.fixture(scope="module")
def operator() -> FakeOperator:
    """One operator for the module (seeding one takes seconds); tests only add to it."""
    return FakeOperator(seed=42, clock=ManualClock(NOW))


@pytest.fixture(scope="module")
def api(operator: FakeOperator) -> httpx.ASGITransport:
    return httpx.ASGITransport(app=create_app(FakeResolver(operator)))


@pytest.fixture
def ticks() -> Ticks:
    return Ticks()


@pytest.fixture
def connect(portal_modules: Any, api: httpx.ASGITransport) -> Counted:
    app_module = portal_modules[0]
    return Counted(app_module.http_connect("http://api.test", transport=api))


@pytest.fixture
def make_portal(
    portal_modules: Any, operator: FakeOperator, connect: Counted, ticks: Ticks
) -> Callable[..., Any]:
    """``make_portal(**create_portal options)``: the portal on the fake, on the test clock."""
    app_module = portal_modules[0]

    def make(**options: Any) -> Any:
        options.setdefault("demo_token", operator.token().reveal())
        options.setdefault("secret_key", "test-secret")
        return app_module.create_portal(connect, clock=ticks, **options)

    return make


@pytest.fixture
def portal(make_portal: Callable[..., Any]) -> Any:
    return make_portal()


@pytest.fixture
def token(operator: FakeOperator) -> str:
    return operator.token().reveal()


def browser(
    app: Any, *, client: tuple[str, int] = LOOPBACK, base: str = PORTAL, origin: str | None = None
) -> httpx.AsyncClient:
    """A browser's requests to the portal: its cookie jar, its address, its Origin header."""
    headers = {"Origin": origin or base}
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, client=client), base_url=base, headers=headers
    )


def csrf_of(html: str) -> str:
    """The CSRF token the page's forms carry ("" if none)."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    return found.group(1) if found else ""


async def sign_in(http: httpx.AsyncClient, token: str) -> str:
    """Sign in as a person does (the form, then its post); the CSRF token of the session."""
    form = await http.get("/signin")
    answer = await http.post("/signin", data={"token": token, "csrf_token": csrf_of(form.text)})
    assert answer.status_code == 303 and answer.headers["location"] == "/dashboard", answer.text
    return csrf_of((await http.get("/forwarding")).text)


async def sign_in_with_password(http: httpx.AsyncClient, number: str, password: str) -> str:
    """Sign in with a phone number and password, as a subscriber does; the session's CSRF
    token."""
    form = await http.get("/signin")
    data = {"number": number, "password": password, "csrf_token": csrf_of(form.text)}
    answer = await http.post("/signin/password", data=data)
    assert answer.status_code == 303 and answer.headers["location"] == "/dashboard", answer.text
    return csrf_of((await http.get("/forwarding")).text)


async def signed_in(http: httpx.AsyncClient) -> bool:
    """Whether the browser is signed in (a light page; the dashboard reads a year of bills)."""
    answer = await http.get("/forwarding")
    return answer.status_code == 200


# --- 1. sessions expire, are capped, and share one connection pool ------------------------


async def test_300_sign_ins_leave_a_bounded_number_of_sessions_and_clients(
    portal: Any, connect: Counted, token: str
) -> None:
    """The review's leak: every sign-in kept a session and its HTTP client forever."""
    browsers = []
    for _ in range(300):
        http = browser(portal)
        await sign_in(http, token)
        browsers.append(http)
    store = portal.state.portal
    limit = store.settings.sessions_per_subscriber
    assert len(store.sessions) == limit
    assert connect.open == limit
    assert all(connect.is_closed(i) for i in range(300 - limit))  # the oldest were closed
    assert not await signed_in(browsers[0])
    assert await signed_in(browsers[-1])
    for http in browsers:
        await http.aclose()


async def test_sessions_are_capped_overall(
    make_portal: Callable[..., Any], connect: Counted, operator: FakeOperator
) -> None:
    portal = make_portal(max_sessions=2)
    people = []
    for key in ("demo", "oleg", "aigerim"):
        http = browser(portal)
        await sign_in(http, operator.token(key).reveal())
        people.append(http)
    assert len(portal.state.portal.sessions) == 2 and connect.open == 2
    assert connect.is_closed(0)
    assert [await signed_in(http) for http in people] == [False, True, True]


async def test_an_idle_session_expires_and_its_client_is_closed(
    portal: Any, connect: Counted, token: str, ticks: Ticks
) -> None:
    idle = portal.state.portal.settings.session_idle
    async with browser(portal) as http:
        csrf = await sign_in(http, token)
        for _ in range(5):  # in use: each visit restarts the idle time
            ticks.advance(idle - 1)
            assert await signed_in(http)
        ticks.advance(idle + 1)
        late = await http.post("/forwarding/disable", data={"condition": "all", "csrf_token": csrf})
        assert late.status_code == 303 and late.headers["location"] == "/signin"
        assert not await signed_in(http)
    assert connect.is_closed(0) and not portal.state.portal.sessions


async def test_a_session_expires_at_its_max_age_however_busy(
    portal: Any, connect: Counted, token: str, ticks: Ticks
) -> None:
    settings = portal.state.portal.settings
    assert settings.session_max_age == 8 * 3600  # the cookie's max-age
    async with browser(portal) as http:
        await sign_in(http, token)
        step = settings.session_idle / 2
        lived = 0.0
        while lived + step < settings.session_max_age:
            ticks.advance(step)
            lived += step
            assert await signed_in(http)
        ticks.advance(step)
        assert not await signed_in(http)
    assert connect.is_closed(0)


async def test_expired_sessions_are_closed_without_their_owner_coming_back(
    portal: Any, connect: Counted, token: str, ticks: Ticks
) -> None:
    async with browser(portal) as gone, browser(portal) as other:
        await sign_in(gone, token)
        ticks.advance(portal.state.portal.settings.session_idle + 1)
        await other.get("/signin")  # anyone's request sweeps the store
        assert connect.is_closed(0) and not portal.state.portal.sessions


async def test_signing_out_closes_the_client(portal: Any, connect: Counted, token: str) -> None:
    async with browser(portal) as http:
        csrf = await sign_in(http, token)
        answer = await http.post("/signout", data={"csrf_token": csrf})
        assert answer.status_code == 303
        assert connect.is_closed(0) and not await signed_in(http)


def test_signed_in_clients_share_one_connection_pool(
    portal_modules: Any, operator: FakeOperator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Over real sockets: 20 sign-ins open one pool (one transport, one SSL context), not 20,
    whether by token (development mode) or by phone number and password (the SDK's
    ``login(..., http_client=)``: it opened a pool per sign-in before)."""
    from selfcare.server import LiveServer

    app_module = portal_modules[0]
    pools: list[object] = []
    init = httpx.AsyncHTTPTransport.__init__

    def counting_init(self: httpx.AsyncHTTPTransport, *args: Any, **kwargs: Any) -> None:
        pools.append(self)
        init(self, *args, **kwargs)

    monkeypatch.setattr(httpx.AsyncHTTPTransport, "__init__", counting_init)

    async def main(url: str) -> None:
        connect = app_module.http_connect(url)
        portal = app_module.create_portal(connect, secret_key="k", demo_token="shown")
        for n in range(20):
            async with browser(portal) as http:
                if n % 2:
                    await sign_in(http, operator.token().reveal())
                else:
                    await sign_in_with_password(http, "8 916 555-01-23", "demo-password-1")
                assert await signed_in(http)
        await portal.state.portal.close()

    with LiveServer(create_app(FakeResolver(operator))) as api:
        asyncio.run(main(api.url))
    assert len(pools) == 1


# --- 2. uploads are bounded and parsed off the event loop ---------------------------------


BOUNDARY = "b0undary"
MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"


class Body:
    """A multipart upload of ``total`` bytes that counts how much of it the server pulled."""

    def __init__(self, total: int, chunk: int = 64 * 1024, csrf: str = "") -> None:
        self.total, self.chunk, self.pulled = total, chunk, 0
        self.head = (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n'
            f'{csrf}\r\n--{BOUNDARY}\r\nContent-Disposition: form-data; name="vcard"; '
            f'filename="big.vcf"\r\nContent-Type: text/vcard\r\n\r\n'
        ).encode()

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield self.head
        sent = len(self.head)
        while sent < self.total:
            size = min(self.chunk, self.total - sent)
            self.pulled += size
            sent += size
            yield b"x" * size


async def test_an_oversized_upload_is_refused_before_it_is_read(
    portal: Any, token: str, operator: FakeOperator
) -> None:
    limit = portal.state.portal.settings.max_upload_bytes
    async with browser(portal) as http:
        body = Body(6 * 1024 * 1024, csrf=await sign_in(http, token))
        answer = await http.post(
            "/contacts/import",
            content=body,
            headers={"Content-Type": MULTIPART, "Content-Length": str(body.total)},
        )
        assert answer.status_code == 413
        assert "too large" in answer.text and f"{limit // 1024} KiB" in answer.text
        assert "Traceback" not in answer.text
        assert body.pulled == 0  # refused on its Content-Length, not read
        assert await signed_in(http)


async def test_a_chunked_upload_is_cut_off_at_the_limit(portal: Any, token: str) -> None:
    limit = portal.state.portal.settings.max_upload_bytes
    async with browser(portal) as http:
        body = Body(6 * 1024 * 1024, csrf=await sign_in(http, token))
        answer = await http.post(
            "/contacts/import",
            content=body,  # no Content-Length: sent chunked
            headers={"Content-Type": MULTIPART},
        )
        assert answer.status_code == 413 and "too large" in answer.text
        assert body.pulled <= limit + body.chunk


async def test_other_forms_have_a_smaller_limit(portal: Any, token: str) -> None:
    async with browser(portal) as http:
        csrf = await sign_in(http, token)
        form = {"subject": "s", "text": "x" * 200_000, "category": "billing", "csrf_token": csrf}
        answer = await http.post("/complaints/file", data=form)
        assert answer.status_code == 413


async def test_an_import_within_the_limit_works(portal: Any, token: str) -> None:
    async with browser(portal) as http:
        csrf = await sign_in(http, token)
        answer = await http.post(
            "/contacts/import",
            data={"csrf_token": csrf},
            files={"vcard": ("olga.vcf", VCARD.encode(), "text/vcard")},
            follow_redirects=True,
        )
        assert "Imported 1 contact from olga.vcf." in answer.text


async def test_parsing_an_upload_does_not_hold_up_other_users(
    portal: Any, token: str, operator: FakeOperator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The review's stall: a big vCard parsed on the event loop froze every other page.

    The parser is held until another user's page has been served; on the event loop it
    would hold that page up instead (until the safety timeout), and the order would flip."""
    import selfcare._async.contacts
    import selfcare._client.phonebook_io

    parse = selfcare._client.phonebook_io.read_vcard
    release = threading.Event()
    order: list[str] = []

    def held_parse(data: Any, region: str) -> Any:
        order.append("parsing")
        release.wait(timeout=10)
        order.append("parsed")
        return parse(data, region)

    monkeypatch.setattr(selfcare._client.phonebook_io, "read_vcard", held_parse)
    monkeypatch.setattr(selfcare._async.contacts, "read_vcard", held_parse)

    async with browser(portal) as uploader, browser(portal) as other:
        csrf = await sign_in(uploader, token)
        await sign_in(other, operator.token("oleg").reveal())

        async def upload() -> httpx.Response:
            return await uploader.post(
                "/contacts/import",
                data={"csrf_token": csrf},
                files={"vcard": ("olga.vcf", VCARD.encode(), "text/vcard")},
            )

        async def other_page() -> None:
            while "parsing" not in order:
                await asyncio.sleep(0)
            assert await signed_in(other)
            order.append("other page served")
            release.set()

        uploaded, _ = await asyncio.gather(upload(), other_page())
    assert order == ["parsing", "other page served", "parsed"]
    assert uploaded.status_code == 303


# --- 3. the preset token ------------------------------------------------------------------


async def test_the_preset_token_is_not_handed_to_a_remote_visitor(
    make_portal: Callable[..., Any], token: str
) -> None:
    """The review's attack: ``POST /signin preset=1`` from anywhere signed in as the portal's
    configured subscriber."""
    portal = make_portal(demo_token=None, preset_token=token)
    async with browser(portal, client=REMOTE) as http:
        form = await http.get("/signin")
        assert 'id="use-preset"' not in form.text
        answer = await http.post("/signin", data={"preset": "1", "csrf_token": csrf_of(form.text)})
        assert answer.status_code == 403 and token not in answer.text
        assert not portal.state.portal.sessions and not await signed_in(http)


async def test_the_preset_token_needs_the_csrf_token_even_on_loopback(
    make_portal: Callable[..., Any], token: str
) -> None:
    portal = make_portal(demo_token=None, preset_token=token)
    async with browser(portal, origin=EVIL) as http:  # a page elsewhere posting to 127.0.0.1
        answer = await http.post("/signin", data={"preset": "1"})
        assert answer.status_code == 403
    async with browser(portal) as http:
        answer = await http.post("/signin", data={"preset": "1"})  # no token
        assert answer.status_code == 403
        assert not portal.state.portal.sessions


async def test_the_preset_token_signs_in_from_loopback(
    make_portal: Callable[..., Any], token: str
) -> None:
    portal = make_portal(demo_token=None, preset_token=token)
    async with browser(portal) as http:
        form = await http.get("/signin")
        assert 'id="use-preset"' in form.text and token not in form.text
        answer = await http.post("/signin", data={"preset": "1", "csrf_token": csrf_of(form.text)})
        assert answer.headers["location"] == "/dashboard" and await signed_in(http)


# --- 4. headers, CSRF, cookies, echoes ----------------------------------------------------


def _directives(csp: str) -> dict[str, str]:
    return {d.split()[0]: d.strip() for d in csp.split(";") if d.strip()}


async def test_every_response_carries_the_security_headers(portal: Any, token: str) -> None:
    async with browser(portal) as http:
        answers = [await http.get("/signin"), await http.get("/static/app.js")]
        answers.append(await http.get("/nowhere"))
        answers.append(await http.post("/signout"))  # refused: no CSRF token
        await sign_in(http, token)
        answers += [await http.get("/payments"), await http.get("/dashboard")]
    for answer in answers:
        headers = answer.headers
        csp = _directives(headers["content-security-policy"])
        assert csp["frame-ancestors"] == "frame-ancestors 'none'"
        assert csp["script-src"] == "script-src 'self'"  # no inline script, no eval
        assert csp["default-src"] == "default-src 'none'"
        assert csp["form-action"] == "form-action 'self'"
        assert "unsafe-inline" not in headers["content-security-policy"]
        assert headers["x-frame-options"] == "DENY"
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "same-origin"
        assert "access-control-allow-origin" not in headers
        assert "strict-transport-security" not in headers  # plain HTTP
        assert "charset=utf-8" in headers.get("content-type", "charset=utf-8")
    for page in answers[-2:]:  # a subscriber's data is never kept in a cache
        assert page.headers["cache-control"] == "no-store"


def test_templates_need_no_inline_script_or_style() -> None:
    """What the CSP forbids is not in the templates: inline scripts, event handler
    attributes, style attributes or elements, javascript: URLs."""
    for template in sorted((PORTAL_DIR / "templates").glob("*.html")):
        text = template.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), template.name
        assert not re.search(r"\son[a-z]+\s*=", text), template.name
        assert not re.search(r"\sstyle\s*=|<style", text), template.name
        assert "javascript:" not in text, template.name


async def _pages(http: httpx.AsyncClient) -> dict[str, str]:
    """Every page a signed-in subscriber sees, by path, with the ids their links name."""
    pages = {}
    for path in (
        "/dashboard",
        "/expenses",
        "/calls",
        "/forwarding",
        "/messages",
        "/contacts",
        "/payments",
        "/history",
        "/complaints",
    ):
        pages[path] = (await http.get(path)).text
    await http.post(
        "/contacts/add",
        data={"name": "A", "phones": "+79161234567", "csrf_token": csrf_of(pages["/contacts"])},
    )
    await http.post(
        "/lists/create",
        data={"name": "L", "numbers": "+79161234567", "csrf_token": csrf_of(pages["/contacts"])},
    )
    contacts = (await http.get("/contacts")).text
    for link in re.findall(r'href="(/(?:contacts|lists|complaints)/[^"]+)"', contacts):
        pages[link] = (await http.get(link)).text
    complaints = pages["/complaints"]
    for link in re.findall(r'href="(/complaints/[^"]+)"', complaints)[:1]:
        pages[link] = (await http.get(link)).text
    return pages


async def test_every_post_form_carries_the_sessions_csrf_token(portal: Any, token: str) -> None:
    async with browser(portal) as http:
        signin = (await http.get("/signin")).text
        assert csrf_of(signin)
        csrf = await sign_in(http, token)
        assert csrf and csrf != csrf_of(signin)  # a new token with the new session
        pages = await _pages(http)
    assert len(pages) > 10
    for path, html in pages.items():
        forms = re.findall(r"<form[^>]*>.*?</form>", html, re.S)
        posts = [f for f in forms if 'method="post"' in f]
        assert posts, path  # every page has at least the sign-out form
        for form in posts:
            assert f'name="csrf_token" value="{csrf}"' in form, (path, form[:200])


def _post_routes(portal: Any) -> list[str]:
    from starlette.routing import Route

    paths = []
    for route in portal.routes:
        if isinstance(route, Route) and "POST" in (route.methods or ()):
            paths.append(re.sub(r"\{[^}]+\}", "x1", route.path))
    return paths


async def test_every_post_refuses_a_missing_or_wrong_csrf_token(
    portal: Any, token: str, operator: FakeOperator
) -> None:
    """Cross-site request forgery: a page elsewhere cannot read the token, so cannot post."""
    paths = _post_routes(portal)
    assert "/signin" in paths and "/payments/card" in paths and len(paths) >= 16
    sub = operator.subscriber()
    async with browser(portal) as http:
        await sign_in(http, token)
        before = len(sub.operations)
        for path in paths:
            for data in ({}, {"csrf_token": "forged"}):
                answer = await http.post(path, data={**data, "condition": "all", "text": "x"})
                assert answer.status_code == 403, (path, data, answer.status_code)
                assert "Traceback" not in answer.text
        assert await signed_in(http)  # nothing, sign-out included, was done
        assert await signed_in(http)
    assert len(sub.operations) == before


async def test_a_post_from_another_origin_is_refused_even_with_the_token(
    portal: Any, token: str
) -> None:
    async with browser(portal) as http:
        csrf = await sign_in(http, token)
        form = {"condition": "all", "csrf_token": csrf}
        cases = [
            ({"Origin": EVIL}, 403),
            ({"Origin": "null"}, 403),
            ({"Origin": "http://portal.test:8080"}, 403),
            ({"Origin": "", "Referer": EVIL + "/page"}, 403),
            ({"Origin": "", "Referer": ""}, 403),  # neither: refused, not guessed
            ({"Origin": "", "Referer": PORTAL + "/forwarding"}, 303),
            ({"Origin": PORTAL}, 303),
        ]
        for headers, status in cases:
            sent = {k: v for k, v in headers.items() if v}
            request = http.build_request("POST", "/forwarding/disable", data=form)
            for name in ("Origin", "Referer"):
                request.headers.pop(name, None)
            request.headers.update(sent)
            answer = await http.send(request)
            assert answer.status_code == status, (headers, answer.status_code)


async def test_a_configured_origin_is_trusted_behind_a_proxy(
    make_portal: Callable[..., Any], token: str
) -> None:
    portal = make_portal(trusted_origins=("https://portal.example",))
    async with browser(portal, origin="https://portal.example") as http:
        await sign_in(http, token)
    async with browser(portal) as http:  # its own Host is no longer enough
        form = await http.get("/signin")
        answer = await http.post("/signin", data={"token": token, "csrf_token": csrf_of(form.text)})
        assert answer.status_code == 403


async def test_login_csrf_is_refused(portal: Any, operator: FakeOperator) -> None:
    """A page elsewhere signing the victim's browser in as the attacker (who then reads the
    SMS the victim sends): refused without the sign-in page's token, or from another origin."""
    attacker = operator.token("oleg").reveal()
    async with browser(portal, origin=EVIL) as http:
        form = await http.get("/signin")
        answer = await http.post(
            "/signin", data={"token": attacker, "csrf_token": csrf_of(form.text)}
        )
        assert answer.status_code == 403
    async with browser(portal) as http:
        answer = await http.post("/signin", data={"token": attacker})
        assert answer.status_code == 403
    assert not portal.state.portal.sessions


async def test_sign_in_starts_a_new_session(portal: Any, token: str) -> None:
    """Session fixation: the cookie and the CSRF token from before signing in stop counting."""
    async with browser(portal) as http:
        form = await http.get("/signin")
        before_cookie, before_csrf = http.cookies["portal_session"], csrf_of(form.text)
        after_csrf = await sign_in(http, token)
        assert http.cookies["portal_session"] != before_cookie and after_csrf != before_csrf
        answer = await http.post(
            "/forwarding/disable", data={"condition": "all", "csrf_token": before_csrf}
        )
        assert answer.status_code == 403


async def test_session_cookie_flags(portal: Any, token: str) -> None:
    async with browser(portal) as http:
        answer = await http.get("/signin")
        cookie = answer.headers["set-cookie"]
        assert cookie.startswith("portal_session=")
        flags = cookie.lower()
        assert "httponly" in flags and "samesite=strict" in flags and "secure" not in flags
    async with browser(portal, base="https://portal.test") as http:
        answer = await http.get("/signin")
        cookie = answer.headers["set-cookie"]
        assert cookie.startswith("__Host-portal_session=")
        flags = cookie.lower()
        assert "httponly" in flags and "samesite=strict" in flags and "; secure" in flags
        assert "path=/" in flags and "domain" not in flags
        assert answer.headers["strict-transport-security"].startswith("max-age=")
        await sign_in(http, token)
        assert await signed_in(http)


async def test_error_messages_never_echo_oversized_input(portal: Any, token: str) -> None:
    huge = "9" * 5000
    async with browser(portal) as http:
        csrf = await sign_in(http, token)
        page = await http.get(f"/expenses?since={huge}")
        assert page.status_code in (400, 422) and huge not in page.text and huge[:40] in page.text
        answer = await http.post(
            "/forwarding/set",
            data={"condition": "busy", "target": "number", "number": huge, "csrf_token": csrf},
            follow_redirects=True,
        )
        assert "forwarding" in str(answer.url) and huge[:40] in answer.text
        assert huge not in answer.text


async def test_a_huge_token_is_refused_without_asking_the_operator(
    portal: Any, connect: Counted
) -> None:
    async with browser(portal) as http:
        form = await http.get("/signin")
        answer = await http.post(
            "/signin", data={"token": "x" * 10_000, "csrf_token": csrf_of(form.text)}
        )
        assert answer.status_code == 400 and "token" in answer.text
        assert "x" * 200 not in answer.text and not connect.made


async def test_an_unexpected_error_is_a_generic_message_with_a_reference(
    portal: Any, token: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from selfcare._async.forwarding import AsyncForwarding

    async def broken(self: Any) -> Any:
        raise RuntimeError("internal detail: /srv/secret/path")

    async with browser(portal) as http:
        await sign_in(http, token)
        monkeypatch.setattr(AsyncForwarding, "get", broken)
        answer = await http.get("/forwarding")
    assert answer.status_code == 500
    found = re.search(r"Something went wrong \(reference ([0-9a-f]{8})\)", answer.text)
    assert found, answer.text
    assert "internal detail" not in answer.text and "Traceback" not in answer.text
    assert any(found.group(1) in r.getMessage() and r.exc_info for r in caplog.records)


async def test_names_are_escaped_on_every_page(portal: Any, token: str) -> None:
    xss = '<script>alert(1)</script>"><img src=x onerror=alert(1)>'
    async with browser(portal) as http:
        csrf = await sign_in(http, token)
        await http.post(
            "/contacts/add", data={"name": xss, "phones": "+79161234567", "csrf_token": csrf}
        )
        page = (await http.get("/contacts")).text
    assert "Added" in page or "&lt;script&gt;" in page
    assert "<script>alert" not in page and "<img src=x" not in page


async def test_unused_methods_and_directory_listings_are_refused(portal: Any) -> None:
    async with browser(portal) as http:
        assert (await http.put("/signin")).status_code == 405
        assert (await http.delete("/contacts/x1")).status_code == 405
        assert (await http.request("TRACE", "/")).status_code == 405
        assert (await http.get("/static/")).status_code == 404
        assert (await http.get("/static/../app.py")).status_code == 404
