"""The portal's plumbing: server-side sessions, templates, and SDK errors as readable pages.

The browser holds a signed cookie with a random session id and nothing else; the subscriber's
token and the ``AsyncSelfcare`` client made from it stay in :class:`Portal` on the server.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import pass_context
from jinja2.runtime import Context
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.templating import Jinja2Templates

from selfcare import Account, AsyncSelfcare, Money, Secret, SelfcareError, ValidationError
from selfcare.keypad import KeypadRegistry

HERE = Path(__file__).resolve().parent
log = logging.getLogger("selfcare.portal")

Connect = Callable[[str], AsyncSelfcare]
"""Makes a client for a subscriber's token (over HTTP, or on a fake in tests)."""


@dataclass
class UserSession:
    """One signed-in browser: its client, account and the messages to show once."""

    client: AsyncSelfcare
    account: Account
    flashes: list[tuple[str, str]] = field(default_factory=list)
    sms_price: Money | None = None
    sms_price_known: bool = False

    @property
    def zone(self) -> ZoneInfo:
        return self.account.zone

    def flash(self, text: str, kind: str = "info") -> None:
        self.flashes.append((kind, text))

    def take_flashes(self) -> list[tuple[str, str]]:
        taken, self.flashes = self.flashes, []
        return taken


@pass_context
def _people_money(context: Context, value: Any) -> Any:
    """Every ``{{ money }}`` in a page, written as the signed-in account's region writes it
    (``1 234,50 ₽``; ``SELFCARE_LOCALE`` overrides), through :meth:`Money.format`."""
    if isinstance(value, Money):
        account = context.get("account")
        return value.format(default=None if account is None else account.locale)
    return value


class Portal:
    """The portal's server-side state: sessions by id, keypads, templates."""

    def __init__(
        self, connect: Connect, demo_token: str | None = None, preset_token: str | None = None
    ) -> None:
        self.connect = connect
        self.demo_token = demo_token
        # A real subscriber's token given with --token: offered as a button, never shown.
        self.preset_token = Secret(preset_token) if preset_token else None
        self.sessions: dict[str, UserSession] = {}
        self.keypads = KeypadRegistry()
        self.templates = Jinja2Templates(directory=str(HERE / "templates"))
        env = self.templates.env
        env.filters["local"] = local_time
        env.filters["day"] = lambda value: "" if value is None else value.isoformat()
        env.filters["duration"] = duration
        env.finalize = _people_money

    async def sign_in(self, request: Request, token: str) -> UserSession:
        """Check ``token`` by reading the account; keep the client under a fresh session id."""
        if not token.strip():
            raise ValidationError("enter your access token", field="token")
        client = self.connect(token.strip())
        try:
            account = await client.account.get()
        except BaseException:
            await client.aclose()
            raise
        sid = secrets.token_urlsafe(32)
        self.sessions[sid] = user = UserSession(client, account)
        request.session.clear()
        request.session["sid"] = sid
        return user

    async def sign_out(self, request: Request) -> None:
        user = self.sessions.pop(request.session.pop("sid", ""), None)
        if user is not None:
            await user.client.aclose()

    def user(self, request: Request) -> UserSession | None:
        return self.sessions.get(request.session.get("sid", ""))

    async def close(self) -> None:
        for user in self.sessions.values():
            await user.client.aclose()
        self.sessions.clear()

    def render(
        self,
        request: Request,
        template: str,
        context: dict[str, Any] | None = None,
        *,
        user: UserSession | None = None,
        status_code: int = 200,
    ) -> HTMLResponse:
        values: dict[str, Any] = {"user": user, "path": request.url.path}
        if user is not None:
            values["zone"] = user.zone
            values["account"] = user.account
            values["flashes"] = user.take_flashes()
        values.update(context or {})
        response = self.templates.TemplateResponse(
            request, template, values, status_code=status_code
        )
        response.headers["Cache-Control"] = "no-store"
        return response


def readable(exc: BaseException) -> str:
    """What an SDK error says, for a person: its message, never a traceback."""
    if isinstance(exc, SelfcareError | ValueError):
        return str(exc).strip() or type(exc).__name__
    return f"Something went wrong ({type(exc).__name__}); please try again."


Handler = Callable[[Request, UserSession], Awaitable[Response]]


def page(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
    """A signed-in GET page; an SDK error replaces the page with a readable message."""

    async def endpoint(request: Request) -> Response:
        portal: Portal = request.app.state.portal
        user = portal.user(request)
        if user is None:
            return RedirectResponse("/signin", status_code=303)
        try:
            return await handler(request, user)
        except Exception as exc:
            if not isinstance(exc, SelfcareError | ValueError):
                log.exception("page %s failed", request.url.path)
            return portal.render(
                request,
                "error.html",
                {"error": readable(exc), "back": request.url.path},
                user=user,
                status_code=_status(exc),
            )

    return endpoint


def action(back: str) -> Callable[[Handler], Callable[[Request], Awaitable[Response]]]:
    """A signed-in POST; on an SDK error, show it on the ``back`` page (post/redirect/get)."""

    def wrap(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            portal: Portal = request.app.state.portal
            user = portal.user(request)
            if user is None:
                return RedirectResponse("/signin", status_code=303)
            try:
                return await handler(request, user)
            except Exception as exc:
                if not isinstance(exc, SelfcareError | ValueError):
                    log.exception("action %s failed", request.url.path)
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
