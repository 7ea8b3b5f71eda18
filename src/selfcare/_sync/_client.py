# Generated from selfcare/_async/_client.py by scripts/unasync.py. Do not edit.
"""The facade: one object that picks a backend and hands out the area clients."""

from __future__ import annotations

from functools import cached_property
from types import TracebackType
from typing import TYPE_CHECKING, TypeVar

from selfcare._sync._network import NetworkLogin, begin, run_on_device
from selfcare._sync._signin import (
    PendingLogin,
    door,
    execute_or_close,
    http_backend,
    phone_number,
    secret,
)
from selfcare._sync.account import AccountArea
from selfcare._sync.alerts import AlertsArea
from selfcare._sync.calls import Calls
from selfcare._sync.complaints import Complaints
from selfcare._sync.contacts import Contacts
from selfcare._sync.events import Events
from selfcare._sync.expenses import Expenses
from selfcare._sync.forwarding import Forwarding
from selfcare._sync.lines import Lines
from selfcare._sync.logins import Logins
from selfcare._sync.messages import Messages
from selfcare._sync.payments import Payments
from selfcare._sync.services import Services
from selfcare._sync.webhooks import Webhooks
from selfcare._client.context import Context
from selfcare._client.localize import localizer
from selfcare._errors import NotSupported, ValidationError
from selfcare._secret import Secret
from selfcare.backends import Backend
from selfcare.model import PhoneNumber
from selfcare.operations import (
    Capability,
    GetAccount,
    Operation,
    RequestCode,
    SignInWithPassword,
    SignOut,
)

if TYPE_CHECKING:  # imported where used: the fake, TMF and httpx load only when needed
    import httpx

    from selfcare.backends.fake import Clock, FakeOperator
    from selfcare.backends.http._sync import HttpBackend
    from selfcare.tmf import TmfProfile

__all__ = ["Selfcare"]

R = TypeVar("R")


class Selfcare:
    """A subscriber's self-service, over any backend.

    ``Selfcare(base_url=..., token=...)`` talks to a server over HTTP (arguments first,
    then the ``SELFCARE_BASE_URL`` and ``SELFCARE_TOKEN`` environment variables);
    ``Selfcare.fake(seed=42)`` to the in-memory operator; ``Selfcare(backend)`` to
    any other backend; ``Selfcare.login(base_url, number, password=...)`` and
    :meth:`start_login` sign in as a subscriber does. Area clients hang off the instance:
    ``sc.expenses``, ``sc.calls``,
    ``sc.account``, ``sc.payments``, ``sc.messages``, ``sc.contacts``, ``sc.forwarding``,
    ``sc.services``, ``sc.logins``, ``sc.complaints``, ``sc.events``, ``sc.alerts``,
    ``sc.webhooks``, ``sc.lines``; ``sc.line(number)`` is the same surface on another line of
    the account
    (``docs/lines.md``). Use it as a context manager to release connections.
    ``http_client=`` (an ``httpx.Client`` you own and close) lets many clients, say one
    per signed-in user of a web app, share one connection pool.
    """

    def __init__(
        self,
        backend: Backend | None = None,
        *,
        base_url: str | None = None,
        token: str | Secret | None = None,
        max_retries: int | None = None,
        timeout: float | None = None,
        deadline: float | None = None,
        http_client: httpx.Client | None = None,
    ) -> None:
        self._backend = backend or http_backend(
            base_url,
            token,
            max_retries=max_retries,
            timeout=timeout,
            deadline=deadline,
            http_client=http_client,
        )
        self._ctx: Context | None = None
        self._line: PhoneNumber | None = None

    @classmethod
    def fake(
        cls,
        *,
        seed: int = 42,
        clock: Clock | None = None,
        operator: FakeOperator | None = None,
        subscriber: str = "demo",
    ) -> Selfcare:
        """A client on the fake operator (seeded, deterministic, in memory)."""
        from selfcare.backends.fake import FakeBackend

        return cls(FakeBackend(operator, subscriber=subscriber, seed=seed, clock=clock))

    @classmethod
    def tmf(
        cls,
        *,
        base_url: str | None = None,
        token: str | Secret | None = None,
        profile: TmfProfile | None = None,
        version: int | None = None,
        max_retries: int | None = None,
        timeout: float | None = None,
        deadline: float | None = None,
    ) -> Selfcare:
        """A client on an operator's TM Forum Open APIs, named as ``profile`` says
        (:data:`~selfcare.tmf.DEFAULT_PROFILE` if not given). ``version=5`` speaks v5 to
        every API that has one (TMF666, 678, 620, 637, 622, 621) and v4 to the rest; without
        it, the profile's ``versions`` (v4 unless it names others). Same timeouts, retries and
        idempotency keys as the selfcare protocol; see ``sc.capabilities`` for what it maps."""
        from selfcare.tmf import DEFAULT_PROFILE, TmfProtocol

        chosen = profile or DEFAULT_PROFILE
        if version is not None:
            chosen = chosen.with_version(version)
        protocol = TmfProtocol(chosen)
        return cls(
            http_backend(
                base_url,
                token,
                protocol=protocol,
                max_retries=max_retries,
                timeout=timeout,
                deadline=deadline,
            )
        )

    @classmethod
    def login(
        cls,
        base_url: str | None = None,
        number: str | PhoneNumber | None = None,
        *,
        password: str | Secret,
        operator: FakeOperator | None = None,
        region: str = "RU",
        max_retries: int | None = None,
        timeout: float | None = None,
        deadline: float | None = None,
        http_client: httpx.Client | None = None,
    ) -> Selfcare:
        """Sign in with the subscriber's number (as typed, read in ``region``) and password;
        the client returned acts with the session, refreshing it silently as it expires.

        ``base_url`` is the server (or ``SELFCARE_BASE_URL``); ``operator=`` signs in to
        the fake in process instead. Wrong passwords raise :class:`~selfcare.AuthenticationError`;
        five within 15 minutes lock the number's sign-in (:class:`~selfcare.TooManyAttempts`).
        ``http_client=`` sends through a connection pool you own and share, as for the
        constructor (a web app signing many subscribers in).
        """
        phone = phone_number(number, region)
        op = SignInWithPassword(number=phone, password=secret(password, "password"))
        options = _http_options(max_retries, timeout, deadline, http_client)
        backend = door(base_url, operator, options)
        session = execute_or_close(backend, op)
        return cls(backend.signed_in(session))

    @classmethod
    def start_login(
        cls,
        base_url: str | None = None,
        number: str | PhoneNumber | None = None,
        *,
        operator: FakeOperator | None = None,
        region: str = "RU",
        max_retries: int | None = None,
        timeout: float | None = None,
        deadline: float | None = None,
        http_client: httpx.Client | None = None,
    ) -> PendingLogin:
        """Ask the operator to text a one-time code to ``number``; ``await
        pending.confirm(code)`` on the result signs in. Arguments as for :meth:`login`."""
        phone = phone_number(number, region)
        options = _http_options(max_retries, timeout, deadline, http_client)
        backend = door(base_url, operator, options)
        sent = execute_or_close(backend, RequestCode(number=phone))
        return PendingLogin(cls, backend, sent.number, sent.expires_at)

    @classmethod
    def start_network_login(
        cls,
        base_url: str | None = None,
        *,
        redirect_uri: str,
        client_id: str = "selfcare",
        scope: str = "openid",
        transport: httpx.BaseTransport | None = None,
        timeout: float | None = None,
        http_client: httpx.Client | None = None,
    ) -> NetworkLogin:
        """Start a sign-in by the mobile network (OIDC authorization code with PKCE S256,
        ``state``, ``nonce``, ``prompt=none``): send the device to the result's
        ``authorization_url`` over its mobile data; ``login.complete(callback_url)``
        with the URL the operator redirected it to (``redirect_uri?code=...``) gives the
        signed-in client. ``transport`` (an httpx transport) carries every request, the
        sign-in's and the client's; or ``http_client=`` (a pool you own and share, as for the
        constructor) does: a web app starting many sign-ins keeps one pool."""
        backend = _network_backend(base_url, transport, timeout, http_client)
        return begin(
            cls, backend, redirect_uri=redirect_uri, client_id=client_id, scope=scope
        )

    @classmethod
    def network_login(
        cls,
        base_url: str | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
        client_id: str = "selfcare",
        scope: str = "openid",
        redirect_uri: str | None = None,
        timeout: float | None = None,
    ) -> Selfcare:
        """Sign in as the line this device is on, with no password: the whole flow runs from
        the device over its own connection (``transport``, e.g.
        ``httpx.HTTPTransport(local_address=...)`` for the mobile-data interface).
        Raises :class:`~selfcare.AuthenticationError` (``login_required``) when the operator
        does not recognise the connection as one of its lines."""
        from selfcare._client.oidc import DEFAULT_REDIRECT_URI

        login = cls.start_network_login(
            base_url,
            redirect_uri=redirect_uri or DEFAULT_REDIRECT_URI,
            client_id=client_id,
            scope=scope,
            transport=transport,
            timeout=timeout,
        )
        return run_on_device(login)

    def logout(self) -> None:
        """End this client's session on the server: its tokens stop working at once."""
        self._execute(SignOut())

    def with_options(
        self,
        *,
        max_retries: int | None = None,
        timeout: float | None = None,
        deadline: float | None = None,
    ) -> Selfcare:
        """This client with other retry or timeout settings, for one call or a few:
        ``sc.with_options(max_retries=5).messages.send_sms(...)``; ``deadline`` bounds a
        whole call, retries and waits included, in seconds (default 120). It shares the
        original's connections, so close the original, not the copy. Backends without
        retries (the fake) ignore the settings."""
        backend = self._backend
        configure = getattr(backend, "with_options", None)
        if configure is not None:
            backend = configure(max_retries=max_retries, timeout=timeout, deadline=deadline)
        clone = type(self)(backend)
        clone._ctx, clone._line = self._ctx, self._line
        return clone

    def line(self, number: str | PhoneNumber, *, region: str = "RU") -> Selfcare:
        """This client acting on line ``number`` (as typed, read in ``region``): the same
        surface, every operation on that line. No request is made here; the first one
        raises :class:`~selfcare.NotFound` if this login may not act on the line (a member
        acts on their own line only; ``docs/lines.md``). Close this client, not the copy."""
        phone = phone_number(number, region)
        for_line = getattr(self._backend, "for_line", None)
        if for_line is None or Capability.LINES not in self.capabilities:
            raise NotSupported(
                f"{type(self._backend).__name__} has no lines: this client acts on its "
                "login's own line only"
            )
        scoped = type(self)(for_line(phone))
        scoped._line = phone
        return scoped

    @property
    def backend(self) -> Backend:
        """The backend operations go to."""
        return self._backend

    @property
    def capabilities(self) -> frozenset[str]:
        """What the backend can do (see :class:`~selfcare.operations.Capability`)."""
        return self._backend.capabilities

    @cached_property
    def expenses(self) -> Expenses:
        """The detailed bill."""
        return Expenses(self)

    @cached_property
    def calls(self) -> Calls:
        """The call log."""
        return Calls(self)

    @cached_property
    def account(self) -> AccountArea:
        """The account, balance and bills."""
        return AccountArea(self)

    @cached_property
    def payments(self) -> Payments:
        """Debts and due dates, payments, payment cards and the payment history."""
        return Payments(self)

    @cached_property
    def messages(self) -> Messages:
        """SMS and MMS: send, follow delivery, cancel, broadcast."""
        return Messages(self)

    @cached_property
    def contacts(self) -> Contacts:
        """The phonebook on the server and its mailing lists."""
        return Contacts(self)

    @cached_property
    def forwarding(self) -> Forwarding:
        """Call forwarding: to a number or to voicemail."""
        return Forwarding(self)

    @cached_property
    def services(self) -> Services:
        """The tariff plan and options."""
        return Services(self)

    @cached_property
    def logins(self) -> Logins:
        """The subscriber's own history: sign-ins and the operation log."""
        return Logins(self)

    @cached_property
    def complaints(self) -> Complaints:
        """Complaints to the operator and their progress."""
        return Complaints(self)

    @cached_property
    def events(self) -> Events:
        """What happened on the line: listed, or followed as it happens."""
        return Events(self)

    @cached_property
    def alerts(self) -> AlertsArea:
        """Alerts on low balance, bills falling due and spending."""
        return AlertsArea(self)

    @cached_property
    def webhooks(self) -> Webhooks:
        """URLs the line's events are pushed to, signed (Standard Webhooks)."""
        return Webhooks(self)

    @cached_property
    def lines(self) -> Lines:
        """The lines this login may see, and their data across lines."""
        return Lines(self)

    def execute(self, op: Operation[R]) -> R:
        """Run one operation on the backend (the area clients are built on this)."""
        return self._execute(op)

    def _execute(self, op: Operation[R]) -> R:
        result = self._backend.execute(op)
        localize = localizer(op.result)
        if localize is None or result is None:
            return result
        zone = (self._context()).zone
        localized: R = localize(result, zone, getattr(self._backend, "fresh_results", False))
        return localized

    def _context(self) -> Context:
        if self._ctx is None:
            self._ctx = Context.of(self._execute(GetAccount()))
        return self._ctx

    def close(self) -> None:
        """Release the backend's connections."""
        self._backend.close()

    def __enter__(self) -> Selfcare:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        line = "" if self._line is None else f" line={self._line.e164!r}"
        return f"<{type(self).__name__} backend={self._backend!r}{line}>"


def _network_backend(
    base_url: str | None,
    transport: httpx.BaseTransport | None,
    timeout: float | None,
    http_client: httpx.Client | None = None,
) -> HttpBackend:
    from selfcare.backends.http._sync import HttpBackend
    from selfcare.protocol._http import DEFAULT_TIMEOUT

    if transport is not None and http_client is not None:
        raise ValidationError(
            "give transport (the device's connection) or http_client (a shared pool), not both",
            field="http_client",
        )
    return HttpBackend(
        base_url,
        anonymous=True,
        transport=transport,
        timeout=timeout or DEFAULT_TIMEOUT,
        http_client=http_client,
    )


def _http_options(
    max_retries: int | None,
    timeout: float | None,
    deadline: float | None,
    http_client: httpx.Client | None = None,
) -> dict[str, object]:
    options: dict[str, object] = {"max_retries": max_retries, "timeout": timeout}
    options["deadline"] = deadline
    if http_client is not None:
        options["http_client"] = http_client
    return options
