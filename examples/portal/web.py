"""The portal's plumbing: server-side sessions, templates, and SDK errors as readable pages.

The browser holds a signed cookie with a random session id (and its CSRF token) and nothing
else; the subscriber's token and the ``AsyncSelfcare`` client made from it stay in
:class:`Portal` on the server, until the session expires, is signed out, or is pushed out by
newer ones.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass, field, fields
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import anyio
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup
from security import CSRF_FIELD, csrf_token, origin_allowed, token_matches
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.templating import Jinja2Templates

from selfcare import (
    Account,
    AsyncNetworkLogin,
    AsyncPendingLogin,
    AsyncSelfcare,
    Money,
    Secret,
    SelfcareError,
    ValidationError,
    _i18n,
)
from selfcare._i18n import N_
from selfcare.keypad import KeypadRegistry
from selfcare.labels import LABELS, OPERATIONS

HERE = Path(__file__).resolve().parent
log = logging.getLogger("selfcare.portal")

Connect = Callable[[str], AsyncSelfcare]
"""Makes a client for a subscriber's token (over HTTP, or on a fake in tests). It may also
have an ``aclose()`` (a shared connection pool), which the portal calls when it stops."""

MAX_TOKEN = 4096
"""Longer "tokens" are refused before the operator is asked (no real one comes close)."""
ECHO = 300
"""At most this many characters of a message go on a page: input is never echoed in full."""


@dataclass(frozen=True)
class Settings:
    """The portal's limits (all configurable, see ``create_portal`` and ``--help``)."""

    session_max_age: int = 8 * 3600
    """Seconds a session lives however busy (the cookie's max-age too)."""
    session_idle: int = 30 * 60
    """Seconds without a request after which a session ends."""
    sessions_per_subscriber: int = 5
    """Sessions one subscriber may have at once; a new sign-in ends the oldest."""
    max_sessions: int = 1000
    """Sessions of everyone together; a new sign-in ends the oldest."""
    max_upload_bytes: int = 1024 * 1024
    """The largest vCard import request (the file and its form)."""
    max_form_bytes: int = 64 * 1024
    """The largest body of any other form."""
    trusted_origins: tuple[str, ...] = ()
    """Origins (``https://portal.example``) forms may be posted from; empty means the
    portal's own, from the request's scheme and Host (set it behind a reverse proxy)."""
    code_resend_cooldown: int = 60
    """Seconds before a new one-time code may be asked for the same sign-in."""
    code_attempts: int = 5
    """Wrong codes one sign-in may try before it has to ask for a new code (the operator
    locks a number for a while after five wrong ones)."""
    pending_signin: int = 10 * 60
    """Seconds a sign-in waiting for its code or for the mobile network is kept."""
    max_live_streams: int = 20
    """Live event streams (``/events``) open at once, everyone together: each holds a
    connection to the operator, so keep it well below the pool's 50."""
    live_streams_per_session: int = 3
    """Live streams one session may have (tabs); a new one ends the oldest."""

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, int) and value <= 0:
                raise ValueError(f"{f.name}={value!r} must be a positive number")


@dataclass
class UserSession:
    """One signed-in browser: its client, account and the messages to show once."""

    client: AsyncSelfcare
    account: Account
    created: float = 0.0
    seen: float = 0.0
    flashes: list[tuple[str, str]] = field(default_factory=list)
    sms_price: Money | None = None
    sms_price_known: bool = False

    @property
    def zone(self) -> ZoneInfo:
        return self.account.zone

    @property
    def subscriber(self) -> str:
        return self.account.number.e164

    def flash(self, text: str, kind: str = "info") -> None:
        self.flashes.append((kind, clip(text)))

    def take_flashes(self) -> list[tuple[str, str]]:
        taken, self.flashes = self.flashes, []
        return taken


@dataclass
class PendingCode:
    """A sign-in waiting for the one-time code texted to ``number``."""

    login: AsyncPendingLogin
    number: str
    sent: float
    """When the code was asked for (the portal's clock): the resend cool-down counts from it."""
    started: float
    wrong: int = 0


@dataclass
class PendingNetwork:
    """A sign-in by the mobile network, waiting for the operator to send the browser back."""

    login: AsyncNetworkLogin
    started: float


Pending = PendingCode | PendingNetwork


class LiveStreams:
    """The open streams, by session: at most ``per_session`` each (a new one ends the
    oldest) and ``limit`` in all (beyond it, new ones are refused)."""

    def __init__(self, limit: int, per_session: int) -> None:
        self.limit = limit
        self.per_session = per_session
        self.streams: dict[int, list[asyncio.Task[None]]] = {}

    def __len__(self) -> int:
        return sum(len(tasks) for tasks in self.streams.values())

    def admit(self, user: UserSession) -> bool:
        mine = self.streams.get(id(user), [])
        while mine and len(mine) >= self.per_session:
            mine.pop(0).cancel()  # the oldest tab's stream gives way
        return len(self) < self.limit

    def started(self, user: UserSession, task: asyncio.Task[None]) -> None:
        self.streams.setdefault(id(user), []).append(task)

    def ended(self, user: UserSession, task: asyncio.Task[None]) -> None:
        mine = self.streams.get(id(user), [])
        if task in mine:
            mine.remove(task)
        if not mine:
            self.streams.pop(id(user), None)

    def stop(self, user: UserSession | None = None) -> None:
        """End the streams of ``user`` (its session ended), or every stream."""
        keys = list(self.streams) if user is None else [id(user)]
        for key in keys:
            for task in self.streams.pop(key, []):
                task.cancel()


@pass_context
def _people_money(context: Context, value: Any) -> Any:
    """Every ``{{ money }}`` in a page, written as the signed-in account's region writes it
    (``1 234,50 ₽``; ``SELFCARE_LOCALE`` overrides), through :meth:`Money.format`."""
    if isinstance(value, Money):
        account = context.get("account")
        return value.format(default=None if account is None else account.locale)
    return value


class Portal:
    """The portal's server-side state: sessions by id, keypads, templates.

    Sessions end ``session_idle`` seconds after their last request and ``session_max_age``
    after signing in, whichever comes first; a subscriber has at most
    ``sessions_per_subscriber`` and everyone together ``max_sessions`` (the oldest go first).
    Ending a session closes its client. Expired sessions are swept on every request, so they
    go even if their browser never comes back. ``clock`` gives seconds (tests move it).
    """

    def __init__(
        self,
        connect: Connect,
        demo_token: str | None = None,
        preset_token: str | None = None,
        *,
        settings: Settings | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.connect = connect
        self.demo_token = demo_token
        # A real subscriber's token given with --token: offered as a button, never shown.
        self.preset_token = Secret(preset_token) if preset_token else None
        self.settings = settings or Settings()
        self.clock = clock
        self.sessions: dict[str, UserSession] = {}  # in sign-in order, oldest first
        self.pending: dict[str, Pending] = {}  # sign-ins under way, oldest first
        self._parsers: anyio.CapacityLimiter | None = None
        self.keypads = KeypadRegistry()
        self.live = LiveStreams(
            self.settings.max_live_streams, self.settings.live_streams_per_session
        )
        self.templates = Jinja2Templates(directory=str(HERE / "templates"))
        env = self.templates.env
        env.filters["local"] = local_time
        env.filters["day"] = lambda value: "" if value is None else value.isoformat()
        env.filters["duration"] = duration
        env.finalize = _people_money
        env.filters["money"] = _people_money
        env.filters["label"] = lambda value: label(value, _LANGUAGE.get())
        env.filters["operation"] = lambda name: operation_label(name, _LANGUAGE.get())
        env.filters["long_date"] = lambda value: long_date(value, _LANGUAGE.get())
        env.filters["clock"] = lambda value: clock_time(value, _LANGUAGE.get())
        # {% trans %} and _() in templates: the selfcare catalogs, in the request's language.
        env.add_extension("jinja2.ext.i18n")
        env.install_gettext_callables(  # type: ignore[attr-defined]
            gettext=lambda message: _i18n.gettext(message, _LANGUAGE.get()),
            ngettext=lambda one, many, n: _i18n.ngettext(one, many, n, _LANGUAGE.get()),
            pgettext=lambda context, message: _i18n.pgettext(context, message, _LANGUAGE.get()),
            newstyle=True,
        )

    @property
    def subscriber_signin(self) -> bool:
        """Whether subscribers can sign in with a password, a code or the mobile network
        (``connect`` is a :class:`~app.SharedPool` over HTTP, not a token-only test double)."""
        return hasattr(self.connect, "login")

    @property
    def tokens(self) -> bool:
        """Whether the page takes access tokens: only in development mode (the fake's demo
        token, or ``--base-url/--token``), or when ``connect`` can do nothing else."""
        return (
            self.demo_token is not None
            or self.preset_token is not None
            or not self.subscriber_signin
        )

    async def sign_in(self, request: Request, token: str) -> UserSession:
        """Check ``token`` by reading the account; keep the client under a fresh session id
        (and a fresh CSRF token: nothing from before signing in counts after it)."""
        token = token.strip()
        if not token:
            raise ValidationError("enter your access token", field="token")
        if len(token) > MAX_TOKEN:
            raise ValidationError(
                f"that is not an access token (over {MAX_TOKEN} characters)", field="token"
            )
        return await self.open_session(request, self.connect(token))

    async def open_session(self, request: Request, client: AsyncSelfcare) -> UserSession:
        """Keep a signed-in ``client`` (whatever the sign-in) under a fresh session id and
        CSRF token, once reading its account works; closes it if that fails."""
        try:
            account = await client.account.get()
        except BaseException:
            await client.aclose()
            raise
        # The pending sign-in that led here is done; its connections are the client's now.
        self.pending.pop(request.session.get("pending", ""), None)
        await self.sweep()
        now = self.clock()
        user = UserSession(client, account, created=now, seen=now)
        await self._make_room(user.subscriber)
        sid = secrets.token_urlsafe(32)
        self.sessions[sid] = user
        request.session.clear()
        request.session["sid"] = sid
        csrf_token(request)
        return user

    # -- sign-ins under way (a code, the mobile network): kept on the server, bounded ------

    async def hold(self, request: Request, pending: Pending) -> None:
        """Keep ``pending`` for this browser (replacing any earlier one of it)."""
        await self.drop_pending(request)
        await self.sweep()
        while len(self.pending) >= self.settings.max_sessions:
            await _close_pending(self.pending.pop(next(iter(self.pending))))
        pid = secrets.token_urlsafe(32)
        self.pending[pid] = pending
        request.session["pending"] = pid

    def pending_of(self, request: Request) -> Pending | None:
        return self.pending.get(request.session.get("pending", ""))

    async def drop_pending(self, request: Request) -> None:
        pending = self.pending.pop(request.session.pop("pending", ""), None)
        if pending is not None:
            await _close_pending(pending)

    async def sign_out(self, request: Request) -> None:
        user = self.sessions.pop(request.session.get("sid", ""), None)
        request.session.clear()
        if user is not None:
            await self._end(user)

    async def user(self, request: Request) -> UserSession | None:
        """The signed-in user of this request (None if none, or if the session ended)."""
        await self.sweep()
        user = self.sessions.get(request.session.get("sid", ""))
        if user is not None:
            user.seen = self.clock()
        return user

    def expired(self, user: UserSession, now: float) -> bool:
        limits = self.settings
        return now - user.seen > limits.session_idle or now - user.created >= limits.session_max_age

    async def sweep(self) -> None:
        """End every expired session, closing its client."""
        now = self.clock()
        for sid in [sid for sid, user in self.sessions.items() if self.expired(user, now)]:
            await self._end(self.sessions.pop(sid))
        old = now - self.settings.pending_signin
        for pid in [pid for pid, p in self.pending.items() if p.started < old]:
            await _close_pending(self.pending.pop(pid))

    async def _make_room(self, subscriber: str) -> None:
        """End the oldest sessions until one more fits under both caps."""
        limits = self.settings
        mine = [sid for sid, user in self.sessions.items() if user.subscriber == subscriber]
        while len(mine) >= limits.sessions_per_subscriber:
            await self._end(self.sessions.pop(mine.pop(0)))
        while len(self.sessions) >= limits.max_sessions:
            await self._end(self.sessions.pop(next(iter(self.sessions))))

    async def _end(self, user: UserSession) -> None:
        """End a session: its live streams, then its client."""
        self.live.stop(user)
        await _close(user)

    async def parse_off_loop(self, func: Callable[..., Any], *args: Any) -> Any:
        """``func(*args)`` in a worker thread, two at a time: a big upload being parsed never
        holds up other users' pages."""
        if self._parsers is None:
            self._parsers = anyio.CapacityLimiter(2)
        return await anyio.to_thread.run_sync(func, *args, limiter=self._parsers)

    async def close(self) -> None:
        pending, self.pending = list(self.pending.values()), {}
        for waiting in pending:
            await _close_pending(waiting)
        sessions, self.sessions = list(self.sessions.values()), {}
        for user in sessions:
            await self._end(user)
        close_pool = getattr(self.connect, "aclose", None)
        if close_pool is not None:
            await close_pool()

    def render(
        self,
        request: Request,
        template: str,
        context: dict[str, Any] | None = None,
        *,
        user: UserSession | None = None,
        status_code: int = 200,
    ) -> HTMLResponse:
        lang, chosen = request_language(request)
        _LANGUAGE.set(lang)
        values: dict[str, Any] = {"user": user, "path": request.url.path, "lang": lang}
        values["languages"] = _i18n.LANGUAGES
        if "session" in request.scope:
            token = csrf_token(request)
            values["csrf_token"] = token
            values["csrf_field"] = Markup('<input type="hidden" name="{}" value="{}">').format(
                CSRF_FIELD, token
            )
        if user is not None:
            values["zone"] = user.zone
            values["account"] = user.account
            values["flashes"] = user.take_flashes()
        values.update(context or {})
        response = self.templates.TemplateResponse(
            request, template, values, status_code=status_code
        )
        response.headers["Cache-Control"] = "no-store"
        response.headers["Vary"] = "Accept-Language, Cookie"
        if chosen:  # the switch (?lang=ru) is remembered for the next pages
            response.set_cookie(
                LANGUAGE_COOKIE, lang, max_age=365 * 86400, httponly=True, samesite="lax"
            )
        return response


LANGUAGE_COOKIE = "lang"
_LANGUAGE: ContextVar[str] = ContextVar("portal_language", default=_i18n.DEFAULT_LANGUAGE)
"""The language of the page being rendered (templates render inside the request's task)."""


def request_language(request: Request) -> tuple[str, bool]:
    """The page's language and whether the reader just chose it: ``?lang=ru`` (the switch),
    else the ``lang`` cookie the switch set, else the best of ``Accept-Language`` that the
    catalogs have (by q-value), else English."""
    asked = request.query_params.get("lang", "")
    if asked in _i18n.LANGUAGES:
        return asked, True
    remembered = request.cookies.get(LANGUAGE_COOKIE, "")
    if remembered in _i18n.LANGUAGES:
        return remembered, False
    return accepted_language(request.headers.get("accept-language", "")), False


def accepted_language(header: str) -> str:
    """The language of ``Accept-Language`` (RFC 9110) the catalogs have, highest q first."""
    ranked: list[tuple[float, int, str]] = []
    for at, item in enumerate(header[:1000].split(",")):
        tag, _, params = item.strip().partition(";")
        q = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        code = tag.strip().split("-")[0].lower()
        if code in _i18n.LANGUAGES and q > 0:
            ranked.append((-q, at, code))
    return min(ranked)[2] if ranked else _i18n.DEFAULT_LANGUAGE


async def _close(user: UserSession) -> None:
    try:
        await user.client.aclose()
    except Exception:  # a client that fails to close must not fail the request that ended it
        log.exception("closing a session's client failed")


async def _close_pending(pending: Pending) -> None:
    try:
        await pending.login.aclose()
    except Exception:
        log.exception("closing a pending sign-in failed")


def label(value: Any, lang: str) -> str:
    """A model enumeration's member as people read it (``voice_out`` → ``voice out``,
    ``исходящий звонок``): the labels the CLI shows, in the page's language."""
    english = LABELS.get(value)
    if english is None:
        return str(getattr(value, "value", value)).replace("_", " ")
    return _i18n.pgettext(type(value).__name__, english, lang)


def operation_label(name: str, lang: str) -> str:
    """An operation of the log (``set_forwarding``) as people read it, in ``lang``."""
    english = OPERATIONS.get(name)
    if english is None:
        return name.replace("_", " ")
    return _i18n.pgettext("operation", english, lang)


def long_date(value: date | datetime | None, lang: str, zone: ZoneInfo | None = None) -> str:
    """A day in a sentence, as ``lang`` writes it (``5 December 2026``, ``5 декабря 2026 г.``),
    through Babel; an instant is read in ``zone`` first."""
    if value is None:
        return ""
    from babel.dates import format_date

    if isinstance(value, datetime):
        value = value.astimezone(zone).date() if zone is not None else value.date()
    return str(format_date(value, "long", locale=lang))


def clock_time(value: datetime | None, lang: str) -> str:
    """The time of day of an instant in UTC, as ``lang`` writes it (``12:05``), through Babel."""
    if value is None:
        return ""
    from babel.dates import format_time

    return str(format_time(value, "short", tzinfo=ZoneInfo("UTC"), locale=lang))


def say(request: Request, message: str, **values: Any) -> str:
    """``message`` (an English message of the catalog, marked with ``N_``) in the request's
    language, with ``values`` filled in (``%(name)s``)."""
    text = _i18n.gettext(message, request_language(request)[0])
    return text % values if values else text


def clip(text: str, limit: int = ECHO) -> str:
    """``text`` cut to ``limit`` characters (with "…"): what goes back on a page."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def readable(exc: BaseException) -> str:
    """What an SDK error says, for a person: its message (clipped), never a traceback.

    Anything else is logged with a reference shown on the page, to find it in the log."""
    if isinstance(exc, SelfcareError | ValueError):
        return clip(str(exc).strip() or type(exc).__name__)
    ref = secrets.token_hex(4)
    log.error("unexpected error, ref %s", ref, exc_info=exc)
    return f"Something went wrong (reference {ref}); please try again."


Handler = Callable[[Request, UserSession], Awaitable[Response]]
Endpoint = Callable[[Request], Awaitable[Response]]


def protected(endpoint: Endpoint) -> Endpoint:
    """A POST that came from one of the portal's own forms, or 403: the ``Origin`` (or
    ``Referer``) is the portal's, and the form's CSRF token is the session's. ``create_portal``
    wraps every POST route in it, sign-in and sign-out included."""

    async def checked(request: Request) -> Response:
        portal: Portal = request.app.state.portal
        if origin_allowed(request, portal.settings.trusted_origins):
            form = await request.form()
            if token_matches(request, form.get(CSRF_FIELD)):
                return await endpoint(request)
        log.warning("refused a cross-site or stale form post to %s", request.url.path)
        return portal.render(
            request,
            "error.html",
            {
                "error": say(
                    request,
                    N_(
                        "This form came from another site, or the page it was on is out of "
                        "date. Go back, reload the page, and try again."
                    ),
                ),
                "back": "/",
            },
            status_code=403,
        )

    return checked


def page(handler: Handler) -> Endpoint:
    """A signed-in page; an SDK error replaces the page with a readable message."""

    async def endpoint(request: Request) -> Response:
        portal: Portal = request.app.state.portal
        user = await portal.user(request)
        if user is None:
            return RedirectResponse("/signin", status_code=303)
        try:
            return await handler(request, user)
        except Exception as exc:
            return portal.render(
                request,
                "error.html",
                {"error": readable(exc), "back": request.url.path},
                user=user,
                status_code=_status(exc),
            )

    return endpoint


def action(back: str) -> Callable[[Handler], Endpoint]:
    """A signed-in POST; on an SDK error, show it on the ``back`` page (post/redirect/get)."""

    def wrap(handler: Handler) -> Endpoint:
        async def endpoint(request: Request) -> Response:
            portal: Portal = request.app.state.portal
            user = await portal.user(request)
            if user is None:
                return RedirectResponse("/signin", status_code=303)
            try:
                return await handler(request, user)
            except Exception as exc:
                user.flash(readable(exc), "error")
                target = back.format(**request.path_params)
                return RedirectResponse(target, status_code=303)

        return endpoint

    return wrap


def _status(exc: BaseException) -> int:
    status = getattr(exc, "status", None)
    if isinstance(status, int) and 400 <= status < 600:
        return status
    return 400 if isinstance(exc, ValueError) else 500


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def local_time(value: datetime | None, zone: ZoneInfo, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """An aware instant (UTC over HTTP) as a wall-clock time in the account's zone."""
    return "" if value is None else value.astimezone(zone).strftime(fmt)


def duration(value: timedelta | None) -> str:
    if value is None:
        return ""
    seconds = int(value.total_seconds())
    return f"{seconds // 60}:{seconds % 60:02d}"


def day(value: str | None, field_name: str) -> date | None:
    """A ``<input type=date>`` value as a date (None when empty)."""
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationError(f"{field_name}={value!r} is not a date", field=field_name) from None


def local_datetime(value: str | None, zone: ZoneInfo, field_name: str) -> datetime | None:
    """A ``<input type=datetime-local>`` value read in the account's zone (None when empty)."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value).replace(tzinfo=zone)
    except ValueError:
        raise ValidationError(
            f"{field_name}={value!r} is not a date and time", field=field_name
        ) from None


def whole_number(value: object, field_name: str) -> int | None:
    """A form's whole number (a select's value; None when empty), refused by name if not one."""
    if not value:
        return None
    try:
        return int(str(value))
    except ValueError:
        raise ValidationError(
            f"{field_name}={value!r} is not a whole number", field=field_name
        ) from None
