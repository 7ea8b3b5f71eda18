"""The fake operator (seeded subscribers and a clock) and the backend that fronts one of them."""

from __future__ import annotations

import copy
import secrets
import threading
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from datetime import datetime
from typing import Any, TypeVar

from selfcare._errors import (
    AuthenticationError,
    ClientClosed,
    IdempotencyKeyReused,
    NotFound,
    NotSupported,
    RateLimited,
    SelfcareError,
    TokenExpired,
    ValidationError,
)
from selfcare._secret import Secret
from selfcare.backends.fake import (  # noqa: F401  (registers handlers)
    _account,
    _auth,
    _autopay,
    _complaints,
    _contacts,
    _events,
    _forwarding,
    _history,
    _lines,
    _messaging,
    _payments,
    _services,
    _usage,
    _webhooks,
)
from selfcare.backends.fake._billing import close_periods
from selfcare.backends.fake._cards import CardStore
from selfcare.backends.fake._clock import Clock, ManualClock, SystemClock
from selfcare.backends.fake._eventlog import Signal, weak_callback
from selfcare.backends.fake._handlers import HANDLERS, PUBLIC_HANDLERS, Front, Session
from selfcare.backends.fake._idempotency import (
    IdempotencyLimits,
    Remembered,
    detached,
    request_digest,
)
from selfcare.backends.fake._limits import RateLimits, rate_cost
from selfcare.backends.fake._roster import Roster, Seat
from selfcare.backends.fake._seed import DEFAULT_PROFILES, Profile, generate, seeded_token
from selfcare.backends.fake._seed_fleet import Fleet, LineSpec, seeded_fleets
from selfcare.backends.fake._signin import SignInDesk
from selfcare.backends.fake._state import Subscriber
from selfcare.model import (
    AccountStatus,
    ExpenseKind,
    Line,
    LineRole,
    OperationStatus,
    PhoneNumber,
    SignedIn,
    TariffRef,
)
from selfcare.model.events import Event, EventType
from selfcare.model.webhooks import WebhookEndpoint
from selfcare.operations import ListCalls, ListExpenses, MutatingOperation, Operation, ReadEvents

__all__ = ["AsyncFakeBackend", "FakeBackend", "FakeOperator"]

R = TypeVar("R")
DEMO = "demo"
STREAM_POLL = 1.0
"""Seconds an event stream of the fake waits before it looks again unprompted."""
READ_BATCH = ReadEvents().limit
READ_LINES_KEPT = 16
"""How many of a fleet's lines that nothing was done on the operator keeps once read, by
default (the most recently read): any other is made again from its seed, the same, when
read again."""


class FakeOperator:
    """An in-memory mobile operator: seeded subscribers whose data keeps real invariants.

    The same ``seed`` and the same clock start give the same data. The clock drives everything
    that happens over time (message delivery, overdue bills); pass a
    :class:`~selfcare.backends.fake.ManualClock` to control it. A fleet's lines are made
    from their seeds when read; ``read_lines_kept`` of those only read stay in memory.
    """

    def __init__(
        self,
        *,
        seed: int = 42,
        clock: Clock | None = None,
        profiles: Iterable[Profile] = DEFAULT_PROFILES,
        limits: RateLimits | None = None,
        idempotency: IdempotencyLimits | None = None,
        fleets: Iterable[Fleet] | None = None,
        read_lines_kept: int = READ_LINES_KEPT,
    ) -> None:
        self.seed = seed
        if type(read_lines_kept) is not int or read_lines_kept < 1:
            raise ValidationError(
                f"read_lines_kept={read_lines_kept!r} must be a whole number from 1",
                field="read_lines_kept",
            )
        self.read_lines_kept = read_lines_kept
        """How many of the fleets' lines only read it keeps (the most recently read; any
        other is made again from its seed when read again): a few by default, so reading a
        whole fleet costs a few lines' memory; the fleet's size to keep them all (a
        benchmark reading the same lines again and again)."""
        self.limits = limits or RateLimits()
        """Rate limits (sends, card attempts, refreshes, sign-in requests) and the sign-in
        lockout (see ``RateLimits``)."""
        self.idempotency = idempotency or IdempotencyLimits()
        """How long and how many idempotency keys each subscriber's cache holds."""
        self.clock: Clock = clock or SystemClock()
        self._profiles = tuple(profiles)
        self._fleets = None if fleets is None else tuple(fleets)
        self.lock = threading.RLock()
        self.events_changed = Signal()
        """Notified when events may have happened: after an operation that added some, and
        when a :class:`~selfcare.backends.fake.ManualClock` moves (stream readers wake)."""
        self._seed_state()
        on_advance = getattr(self.clock, "on_advance", None)
        if on_advance is not None:
            on_advance(weak_callback(self.events_changed.notify))

    @property
    def _repeats(self) -> bool:
        """Whether another operator may be seeded at this clock's instant, so a replayed
        history is worth keeping for it: only a manual clock stands still (tests); a system
        or sandbox clock never gives the same ``now`` twice."""
        return isinstance(self.clock, ManualClock)

    def _seed_state(self) -> None:
        now = self.clock.now()
        self._born = now
        self.fleets: tuple[Fleet, ...] = (
            seeded_fleets(self.seed) if self._fleets is None else self._fleets
        )
        """Accounts with several lines (the seeded ``family`` and ``acme``): their lines with a
        login are subscribers; the others are generated when first read (:meth:`line`)."""
        self._lines: dict[str, Subscriber] = {}
        """The fleets' lines kept: those with a login (as its subscriber), those something
        was done on, and those with events; kept for the operator's life."""
        self._read_lines: OrderedDict[str, Subscriber] = OrderedDict()
        """The fleets' lines only read so far, the most recent last: at most
        ``read_lines_kept``, so reading a whole fleet costs a few lines' memory."""
        seats = {
            profile.key: Seat(
                profile.number, seeded_token(profile, self.seed), self._maker(profile, True)
            )
            for profile in self._profiles
        }
        for fleet in self.fleets:
            for key, spec in fleet.logins.items():
                seats[key] = Seat(
                    spec.profile.number,
                    seeded_token(spec.profile, self.seed),
                    self._maker(spec.profile, spec.cached, line=True),
                )
        self.subscribers: Roster = Roster(seats, self.lock)
        """The subscribers with a login, by key: each generated when first used, so an
        operator costs only the subscribers something reads (see ``_roster``)."""
        self.cards = CardStore.seeded(now.date())
        """The prepaid payment cards the operator has printed (see ``docs/payments.md``)."""
        self.sign_in = SignInDesk(self.subscribers, limits=lambda: self.limits)
        """Passwords, one-time codes, sessions and lockouts (see ``docs/signing-in.md``)."""

    def _maker(
        self, profile: Profile, cached: bool, *, line: bool = False
    ) -> Callable[[], Subscriber]:
        """What replays ``profile`` as of the operator's birth, its events started then (as
        if it had been generated with the operator: when it happens makes no difference)."""

        def make() -> Subscriber:
            sub = generate(profile, seed=self.seed, now=self._born, cached=cached and self._repeats)
            _events.start_events(sub, self._born)
            if line:
                self._lines[profile.number] = sub
            return sub

        return make

    def reset(self) -> None:
        """Back to the seed: every subscriber's data, the cards, sessions, codes and lockouts
        as a new operator with this seed would have them at the clock's time now (the clock
        itself does not move back). The subscribers keep their API tokens."""
        with self.lock:
            tokens = self.subscribers.tokens()
            self._seed_state()
            for key, token in tokens.items():
                if key in self.subscribers:
                    self.subscribers.set_token(key, token)

    def flush_events(self, now: datetime) -> None:
        """Number and append the events the rules staged (call with the lock held)."""
        added = 0
        made = (*self.subscribers.made(), *self._lines.values(), *self._read_lines.values())
        lines = {id(sub): sub for sub in made}  # a fleet's login is in both
        for sub in lines.values():
            if sub.events.has_staged:
                _events.advance(sub, now)  # anything due before what was staged comes first
                added += sub.events.flush(sub.account.number)
                self.keep_line(sub)  # its events are news now: never made again
        if added:
            self.events_changed.notify()

    # -- webhooks and TMF hubs: the outboxes the reference server's dispatcher delivers ---

    def _all_lines(self) -> list[Subscriber]:
        """The lines that may have webhook endpoints or hubs: the logins made so far and the
        lines kept (registering either keeps its line; a line only read has none)."""
        lines = {id(sub): sub for sub in (*self.subscribers.made(), *self._lines.values())}
        return list(lines.values())

    def _catch_up(self, sub: Subscriber, now: datetime) -> datetime:
        """Fire what the clock brought on ``sub``'s line (a message delivered, a bill overdue)
        and log it; the time now in the line's zone (call with the lock held)."""
        at = now.astimezone(sub.account.zone)
        _autopay.run_autopay(sub, at)
        close_periods(sub, at)
        _events.advance(sub, at)
        self.flush_events(at)
        return at

    def due_deliveries(self) -> list[_webhooks.Delivery]:
        """The deliveries whose time has come on the clock, to webhook endpoints and TMF hubs
        alike: the head of each outbox (one per endpoint, so each gets its events in order),
        after firing what the clock brought (a message delivered, a bill overdue). Each is in
        flight until :meth:`delivered` records how it went. A hub whose registering token no
        longer works is deleted here, before it is sent anything more."""
        with self.lock:
            now = self.clock.now()
            found = []
            for sub in self._all_lines():
                store = sub.webhooks
                for record in list(store.hubs.values()):
                    credential = None if record.hub is None else record.hub.credential
                    if credential is not None and not self._still_valid(credential):
                        del store.hubs[record.endpoint.id]
                if not store.endpoints and not store.hubs:
                    continue
                found += _webhooks.due(sub, self._catch_up(sub, now))
            return found

    def _still_valid(self, credential: Secret) -> bool:
        try:
            self.authenticate(credential)
        except AuthenticationError:  # signed out, revoked, expired, replaced
            return False
        return True

    def delivered(self, delivery: _webhooks.Delivery, ok: bool, *, sent: bool = True) -> None:
        """Record an attempt: ``ok`` (the endpoint answered 2xx) moves its outbox on to the
        next event; a failure schedules the same event again (``RETRY_SCHEDULE``).
        ``sent=False``: the server had nothing to send for it (a TMF hub's query filtered
        its notification out); the outbox moves on without counting a delivery."""
        with self.lock:
            _webhooks.outcome(delivery.line, delivery, ok, self.clock.now(), sent=sent)

    def acting_on(self, credential: Secret, line: PhoneNumber | None) -> Subscriber:
        """The line a request with ``credential`` acts on: its login's own, or ``line`` if
        the login may act on it (:meth:`line`: ``NotFound`` otherwise)."""
        login = self.authenticate(credential)
        return login if line is None else self.line(login, line)

    def add_hub(
        self,
        credential: Secret,
        line: PhoneNumber | None,
        callback: str,
        types: tuple[EventType, ...],
        hub: _webhooks.HubSpec,
    ) -> WebhookEndpoint:
        """Register a TMF hub (TMF630) for the line of ``credential`` (or ``line``, if the
        token may act on it; ``NotFound`` otherwise): the events of ``types`` logged from
        now on are POSTed to ``callback``, through the same outboxes and retries as webhook
        endpoints, as the TMF envelope ``hub`` describes (the TMF face renders it). At most
        :data:`~selfcare.backends.fake._webhooks.HUBS_PER_LINE` per line (``Conflict``)."""
        with self.lock:
            sub = self.acting_on(credential, line)
            self.keep_line(sub)  # a line only read could be made again, without the hub
            at = self._catch_up(sub, self.clock.now())
            return _webhooks.add_hub(sub, callback, types, hub, at)

    def remove_hub(
        self, credential: Secret, line: PhoneNumber | None, api: str, hub_id: str
    ) -> None:
        """Delete the hub ``hub_id`` of ``api`` of the line of ``credential`` (or ``line``);
        ``NotFound`` unless that line has it (whoever else's it is)."""
        with self.lock:
            _webhooks.remove_hub(self.acting_on(credential, line), api, hub_id)

    def hub_records(self) -> list[tuple[_webhooks.EndpointRecord, list[Event]]]:
        """Every line's TMF hubs, each with the events waiting in its outbox (a snapshot, for
        the TMF face's ``TmfHubs.hubs`` and for tests)."""
        with self.lock:
            return [
                (copy.copy(record), record.waiting(sub.events.by_seq))
                for sub in self._all_lines()
                for record in sub.webhooks.hubs.values()
            ]

    def next_delivery(self, after: _webhooks.Delivery) -> _webhooks.Delivery | None:
        """The same endpoint's next delivery if it is due now (after :meth:`delivered`
        recorded ``after``), in flight; ``None`` when its outbox is empty or waits for a
        retry. A dispatcher keeps each endpoint busy with it, without a round for all."""
        with self.lock:
            record = after.line.webhooks.get(after.endpoint.id)
            if record is None:
                return None
            return _webhooks.take(after.line, record, self.clock.now())

    def next_delivery_at(self) -> datetime | None:
        """When the earliest retry is due (``None``: nothing waits for a retry)."""
        with self.lock:
            times = [
                record.next_at
                for sub in self._all_lines()
                for record in sub.webhooks.records()
                if record.next_at is not None and not record.in_flight
            ]
            return min(times, default=None)

    def undelivered(self) -> int:
        """How many events wait in every outbox (delivered or given up ones do not)."""
        with self.lock:
            return sum(_webhooks.pending(sub) for sub in self._all_lines())

    def token(self, key: str = DEMO) -> Secret:
        """The bearer token of subscriber ``key`` (the demo subscriber by default)."""
        try:
            return self.subscribers.token(key)
        except KeyError:
            raise NotFound(f"the fake operator has no subscriber {key!r}") from None

    def issue_random_tokens(self) -> None:
        """Give every subscriber a new API token from :mod:`secrets`, so that nobody can
        compute it from the seed (``selfcare serve`` does this unless told
        ``--deterministic-tokens``). The old tokens stop working."""
        with self.lock:
            for key in self.subscribers:
                self.subscribers.set_token(key, Secret(f"sc_{key}_{secrets.token_hex(16)}"))

    def subscriber(self, key: str = DEMO) -> Subscriber:
        """The subscriber called ``key``."""
        try:
            return self.subscribers[key]
        except KeyError:
            raise NotFound(f"the fake operator has no subscriber {key!r}") from None

    def authenticate(self, token: Secret | str) -> Subscriber:
        """The subscriber a bearer token belongs to: a subscriber's long-lived API token
        (compared in constant time) or a live session's access token (``TokenExpired`` when
        it ran out, so the client refreshes it)."""
        token = Secret(token)
        key = self.subscribers.key_for_token(token)  # compares every token
        found = None if key is None else self.subscribers[key]
        if found is None:
            with self.lock:
                found = self.sign_in.authenticate(token, self.clock.now())
        if found is None:
            raise AuthenticationError("the token is not valid")
        return found

    # -- lines: who may see and act on which (the one place that decides) ----------------

    def _own_line(self, login: Subscriber) -> tuple[Fleet | None, LineSpec | None]:
        number = login.account.number.e164
        for fleet in self.fleets:
            if number in fleet.lines:
                return fleet, fleet.lines[number]
        return None, None

    def _line_of(self, fleet: Fleet, number: str) -> Subscriber:
        """The subscriber of one of ``fleet``'s lines, generated from its seed on first read
        (and again after it left the few lines only read that are kept)."""
        sub = self._lines.get(number)
        if sub is not None:
            return sub
        sub = self._read_lines.get(number)
        if sub is not None:
            self._read_lines.move_to_end(number)
            return sub
        spec = fleet.lines[number]
        if spec.login is not None:  # a login's line is that login's subscriber
            return self.subscribers[spec.login]
        sub = generate(
            spec.profile, seed=self.seed, now=self._born, cached=spec.cached and self._repeats
        )
        _events.start_events(sub, self._born)
        self._read_lines[number] = sub
        while len(self._read_lines) > self.read_lines_kept:
            self._read_lines.popitem(last=False)
        return sub

    def keep_line(self, sub: Subscriber) -> None:
        """Keep line ``sub`` for the operator's life: something was done on it (call with the
        lock held; a line already kept, or not a fleet's, is left as it is)."""
        number = sub.account.number.e164
        if self._read_lines.get(number) is sub:
            del self._read_lines[number]
            self._lines[number] = sub

    @property
    def generated_lines(self) -> int:
        """How many of the fleets' lines without a login of their own are in memory now:
        those something was done on, and at most ``read_lines_kept`` only read; the rest
        cost nothing until read. (The lines with a login are subscribers, generated on the
        login's first use: ``subscribers.made()``.)"""
        logins = {id(sub) for sub in self.subscribers.made()}
        kept = sum(id(sub) not in logins for sub in self._lines.values())
        return kept + len(self._read_lines)

    def visible_lines(self, login: Subscriber) -> list[Line]:
        """The lines ``login`` may see, by number: its whole account's for an owner or a
        manager, its own for a member (and for a subscriber with one line, its owner)."""
        fleet, own = self._own_line(login)
        if fleet is None or own is None:
            return [_line_view(login, LineRole.OWNER)]
        if not own.role.sees_all_lines:
            return [_line_view(login, own.role)]
        lines = sorted(fleet.lines.items())
        return [self._spec_view(number, spec) for number, spec in lines]

    def _spec_view(self, number: str, spec: LineSpec) -> Line:
        sub = self._lines.get(number)
        if sub is None:
            sub = self._read_lines.get(number)
        if sub is not None:
            return _line_view(sub, spec.role)
        profile = spec.profile
        return Line(
            number=PhoneNumber(number),
            holder=profile.holder,
            role=spec.role,
            tariff=TariffRef(profile.tariff.code, profile.tariff.name),
            status=AccountStatus.ACTIVE,
        )

    def line(self, login: Subscriber, number: PhoneNumber) -> Subscriber:
        """The subscriber of line ``number`` if ``login`` may act on it: its own line always;
        any line of its account if it is the owner's or a manager's login. Anything else,
        another member's line or another account's, is ``NotFound`` worded the same whether
        or not the number exists, so nobody learns which numbers are lines."""
        if number == login.account.number:
            return login
        fleet, own = self._own_line(login)
        if (
            fleet is not None
            and own is not None
            and own.role.sees_all_lines
            and number.e164 in fleet.lines
        ):
            return self._line_of(fleet, number.e164)
        raise NotFound("no such line among the lines this login may see")

    def key_of(self, subscriber: Subscriber) -> str:
        """The key (``demo``, ``oleg``…) of one of this operator's subscribers."""
        return self.subscribers.key_of(subscriber)

    def backend(self, key: str = DEMO, *, channel: str = "sdk") -> FakeBackend:
        """A backend signed in as subscriber ``key``; ``channel`` names it in operation logs."""
        return FakeBackend(self, subscriber=key, channel=channel)

    def __repr__(self) -> str:
        return f"FakeOperator(seed={self.seed}, subscribers={list(self.subscribers)})"


def _line_view(sub: Subscriber, role: LineRole) -> Line:
    account = sub.account
    return Line(account.number, account.holder, role, account.tariff, account.status)


class FakeBackend:
    """The :class:`~selfcare.backends.Backend` of one subscriber of a :class:`FakeOperator`.

    In process it acts for ``subscriber`` without a token. Signed in (:meth:`signed_in`, or
    ``token=``) it acts for whoever the token belongs to, checking it on every operation as
    a server would: a signed-out session fails, an expired access token is refreshed once
    with the session's refresh token. ``subscriber=None`` serves only the sign-in operations.
    """

    def __init__(
        self,
        operator: FakeOperator | None = None,
        *,
        subscriber: str | None = DEMO,
        seed: int = 42,
        clock: Clock | None = None,
        channel: str = "sdk",
        token: Secret | None = None,
        client: str | None = None,
    ) -> None:
        self.operator = operator or FakeOperator(seed=seed, clock=clock)
        self._subscriber: Subscriber | None = None
        if subscriber is not None and token is None:
            self._subscriber = self.operator.subscriber(subscriber)
        self._token = token
        self._session: SignedIn | None = None
        self.channel = channel
        self.client = client
        self._closed = False
        """The caller's address as a server saw it (``None`` in process): sign-in locks
        and the login history go by it."""
        self.line: PhoneNumber | None = None
        """The line operations act on (``None``: the login's own); see :meth:`for_line`."""
        self._login: FakeBackend | None = None
        """The backend a line-scoped copy signs in through (so they share one session)."""

    def signed_in(self, session: SignedIn) -> FakeBackend:
        """A backend acting with ``session``'s access token, refreshing it when it expires."""
        backend = FakeBackend(
            self.operator, channel=self.channel, token=session.access_token, client=self.client
        )
        backend._session = session
        return backend

    def for_line(self, number: PhoneNumber) -> FakeBackend:
        """This backend acting on line ``number``: allowed or ``NotFound`` on each operation,
        as :meth:`FakeOperator.line` decides for the login."""
        other = copy.copy(self)
        other.line = number
        other._login = self._login or self  # one session, refreshed in one place
        return other

    @property
    def capabilities(self) -> frozenset[str]:
        """Everything: the fake implements every operation selfcare has."""
        return frozenset(op.capability for op in (*HANDLERS, *PUBLIC_HANDLERS))

    def execute(self, op: Operation[R]) -> R:
        """Apply the fake operator's rules to ``op``."""
        if self._closed or (self._login is not None and self._login._closed):
            raise ClientClosed(
                f"cannot {op.operation_name()}: the client is closed (by close()/aclose() or "
                "by leaving its with block); make a new one"
            )
        public = PUBLIC_HANDLERS.get(type(op))
        if public is not None:
            with self.operator.lock:
                now = self.operator.clock.now()
                try:
                    result: Any = public(Front(self.operator, now, self.channel, self.client), op)
                finally:
                    self.operator.flush_events(now)
                return result  # type: ignore[no-any-return]
        handler = HANDLERS.get(type(op))
        if handler is None:
            raise NotSupported(f"the fake backend cannot perform {type(op).__name__}")
        with self.operator.lock:
            subscriber = self._who()
            if self.line is not None and op.line_scoped:
                subscriber = self.operator.line(subscriber, self.line)
            now = self.operator.clock.now().astimezone(subscriber.account.zone)
            try:
                _autopay.run_autopay(subscriber, now)
                close_periods(subscriber, now)
                _events.advance(subscriber, now)
                self.operator.flush_events(now)  # a reader sees what the clock brought
                session = Session(self.operator, subscriber, now, self._token)
                if isinstance(op, MutatingOperation):
                    self.operator.keep_line(subscriber)  # what is done on it must last
                    return self._perform_once(session, handler, op)  # type: ignore[no-any-return]
                result = handler(session, op)
                return result  # type: ignore[no-any-return]
            finally:
                self.operator.flush_events(now)

    def seek(self, op: Operation[Any], offset: int) -> tuple[str | None, int] | None:
        """For a listing the ledger can seek (expenses of every kind or calls, filtered by
        time only): the cursor at ``offset`` records in, and how many records it has,
        without reading those before it (``None`` for any other listing). Offset-paged
        faces (TMF) use it so a deep page costs what the first one does."""
        ledger: Any
        if isinstance(op, ListExpenses) and op.counterpart is None:
            if op.kinds and set(op.kinds) != set(ExpenseKind):
                return None
            ledger = "expenses"
        elif isinstance(op, ListCalls) and (op.direction, op.missed, op.counterpart) == (
            None,
            None,
            None,
        ):
            ledger = "calls"
        else:
            return None
        with self.operator.lock:
            subscriber = self._who()
            if self.line is not None:  # the line's ledger, as execute reads it
                subscriber = self.operator.line(subscriber, self.line)
            now = self.operator.clock.now().astimezone(subscriber.account.zone)
            _autopay.run_autopay(subscriber, now)
            close_periods(subscriber, now)
            found: tuple[str | None, int] = getattr(subscriber, ledger).seek(
                since=op.since, until=op.until, offset=offset
            )
            return found

    def _who(self) -> Subscriber:
        """The subscriber this backend acts for now (checking and refreshing its token)."""
        if self._login is not None:
            return self._login._who()
        if self._token is None:
            if self._subscriber is None:
                raise AuthenticationError("not signed in: sign in first (Selfcare.login)")
            return self._subscriber
        try:
            return self.operator.authenticate(self._token)
        except TokenExpired:
            if self._session is None:
                raise
        now = self.operator.clock.now()
        self._session = self.operator.sign_in.refresh(
            self._session.refresh_token, now, self.channel, self.client
        )
        self._token = self._session.access_token
        return self.operator.authenticate(self._token)

    def _perform_once(self, s: Session, handler: Any, op: MutatingOperation[Any]) -> Any:
        """Run a mutating operation once per idempotency key, and log it either way."""
        sub = s.subscriber
        limits = self.operator.idempotency
        remembered = sub.idempotency.get(op.idempotency_key, s.now, limits)
        if remembered is not None:
            if not remembered.matches(op):
                raise IdempotencyKeyReused(
                    f"idempotency key {op.idempotency_key!r} was already used for a different "
                    f"{remembered.operation} request",
                    field="idempotency_key",
                )
            if remembered.error is not None:
                raise detached(remembered.error)
            return remembered.result
        digest, name = request_digest(op), op.operation_name()
        try:
            cost = rate_cost(op)
            if cost is not None:
                sub.limiter(self.operator.limits).take(*cost, s.now)
            result = handler(s, op)
        except RateLimited:
            raise  # not performed: a later retry with the same key may succeed
        except SelfcareError as exc:
            sub.log_operation(s.now, self.channel, op, OperationStatus.FAILED, str(exc))
            error = detached(exc)
            sub.idempotency.remember(
                op.idempotency_key, Remembered(s.now, digest, name, error=error), limits
            )
            raise
        status = getattr(result, "operation_status", OperationStatus.DONE)
        record = sub.log_operation(s.now, self.channel, op, status)
        if status is OperationStatus.PENDING:
            sub.pending[record.id] = (record, result.id)
        sub.idempotency.remember(
            op.idempotency_key, Remembered(s.now, digest, name, result=result), limits
        )
        return result

    def stream_events(
        self, *, after: str | None, types: tuple[EventType, ...], poll: float = STREAM_POLL
    ) -> Iterator[Event]:
        """The line's events after ``after`` as they happen (``sc.events.stream()`` drives
        this): it reads what the log has, then waits until the operator says something may
        have happened (an operation, a :class:`ManualClock` moving) or ``poll`` seconds
        pass (a real clock brings deliveries and bills without anyone asking)."""
        signal = self.operator.events_changed
        while True:
            version = signal.version
            batch = self.execute(ReadEvents(after=after, types=types))
            for event in batch:
                after = event.id
                yield event
            if len(batch) < READ_BATCH:
                signal.wait(version, poll)

    def close(self) -> None:
        """Nothing to release, but a closed backend refuses to be used (as an HTTP one does):
        :class:`~selfcare.ClientClosed`. The operator and its state stay."""
        self._closed = True

    def __repr__(self) -> str:
        if self._token is not None:
            return "FakeBackend(signed in with a token)"
        if self._subscriber is None:
            return "FakeBackend(not signed in)"
        line = "" if self.line is None else f", line={self.line.e164!r}"
        return f"FakeBackend(subscriber={self._subscriber.account.number.e164!r}{line})"


class AsyncFakeBackend:
    """The fake operator behind the :class:`~selfcare.backends.AsyncBackend` interface."""

    def __init__(
        self,
        operator: FakeOperator | None = None,
        *,
        subscriber: str | None = DEMO,
        seed: int = 42,
        clock: Clock | None = None,
        channel: str = "sdk",
    ) -> None:
        self.sync = FakeBackend(
            operator, subscriber=subscriber, seed=seed, clock=clock, channel=channel
        )

    @classmethod
    def wrap(cls, backend: FakeBackend) -> AsyncFakeBackend:
        """The async face of an existing fake backend."""
        wrapper = cls.__new__(cls)
        wrapper.sync = backend
        return wrapper

    @property
    def operator(self) -> FakeOperator:
        """The operator behind this backend."""
        return self.sync.operator

    def signed_in(self, session: SignedIn) -> AsyncFakeBackend:
        """The async face of :meth:`FakeBackend.signed_in`."""
        return AsyncFakeBackend.wrap(self.sync.signed_in(session))

    def for_line(self, number: PhoneNumber) -> AsyncFakeBackend:
        """The async face of :meth:`FakeBackend.for_line`."""
        return AsyncFakeBackend.wrap(self.sync.for_line(number))

    @property
    def capabilities(self) -> frozenset[str]:
        """Same as the sync fake's."""
        return self.sync.capabilities

    async def execute(self, op: Operation[R]) -> R:
        """Run ``op`` on the in-memory operator (it never blocks on I/O)."""
        return self.sync.execute(op)

    async def seek(self, op: Operation[Any], offset: int) -> tuple[str | None, int] | None:
        """As :meth:`FakeBackend.seek`."""
        return self.sync.seek(op, offset)

    async def stream_events(
        self, *, after: str | None, types: tuple[EventType, ...], poll: float = STREAM_POLL
    ) -> AsyncIterator[Event]:
        """As :meth:`FakeBackend.stream_events`, waiting without blocking the event loop."""
        signal = self.operator.events_changed
        while True:
            version = signal.version
            batch = self.sync.execute(ReadEvents(after=after, types=types))
            for event in batch:
                after = event.id
                yield event
            if len(batch) < READ_BATCH:
                await signal.wait_async(version, poll)

    async def aclose(self) -> None:
        """As :meth:`FakeBackend.close`."""
        self.sync.close()

    def __repr__(self) -> str:
        return f"Async{self.sync!r}"
