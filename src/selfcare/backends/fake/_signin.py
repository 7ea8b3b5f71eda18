"""The fake operator's front door: passwords, one-time codes by SMS, sessions and lockout.

Rules (documented in ``docs/signing-in.md`` and ``docs/fake-operator.md``):

* a sign-in opens a session: an access token good for :data:`ACCESS_TTL` and a refresh token
  good for :data:`REFRESH_TTL` that gets new access tokens (it is not rotated); refreshes are
  rate-limited per subscriber (``RateLimits.refreshes``);
* a one-time code is six digits, works for :data:`CODE_TTL`, once; asking again replaces it;
* wrong passwords or codes slow sign-in down per number and client as
  :class:`~selfcare.backends.fake.Lockout` says: the lock of one client (an attacker's
  address) does not keep another (the owner's) out;
* the operator's network may vouch for a line (:meth:`SignInDesk.with_network`, called by
  the authorization server only): that session is like any other, with method ``network``;
* every attempt on a subscriber's number lands in their login history, with its reason,
  except the attempts a lock refuses: those are counted on the lock (one record per lock).

Every secret (tokens, codes, the password salt) comes from :mod:`secrets`: the seed makes the
fake's data, never anything a caller could predict. Everything is computed from the clock
when asked; nothing runs in the background. Passwords are kept as salted digests, codes and
tokens only inside :class:`~selfcare.Secret`.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Final

import attrs

from selfcare._errors import AuthenticationError, Conflict, NotFound, TokenExpired, TooManyAttempts
from selfcare._secret import Secret
from selfcare.backends.fake._limits import Lockout, RateLimits
from selfcare.model import CodeSent, LoginMethod, LoginStatus, PhoneNumber, SignedIn

if TYPE_CHECKING:
    from selfcare.backends.fake._roster import Roster
    from selfcare.backends.fake._state import Subscriber

__all__ = [
    "ACCESS_TTL",
    "CODE_TTL",
    "REFRESH_TTL",
    "LockView",
    "SentCode",
    "SignInDesk",
    "demo_password",
]

ACCESS_TTL: Final = timedelta(minutes=15)
REFRESH_TTL: Final = timedelta(days=30)
CODE_TTL: Final = timedelta(minutes=5)
WRONG_CREDENTIALS: Final = "wrong number or password"
WRONG_CODE: Final = "wrong code"
LOCKED: Final = "sign-in locked after too many wrong attempts"
GUARDED: Final = "sign-in from new places paused after too many wrong attempts"
IN_PROCESS: Final = ""
"""The client key of everything in one process (no address): one client."""
SWEEP_AT: Final = 10_000
"""How many (number, client) counters are kept before the idle ones are dropped."""


def demo_password(key: str) -> Secret:
    """The documented password of a seeded subscriber: ``demo-password-1`` for ``demo``."""
    return Secret(f"{key}-password-1")


def _digest(salt: str, secret: Secret) -> str:
    return hashlib.sha256(f"{salt}:{secret.reveal()}".encode()).hexdigest()


@attrs.define
class SentCode:
    """A one-time code as the operator's SMS centre sent it (the code stays a Secret)."""

    number: PhoneNumber
    code: Secret = attrs.field(repr=False)
    sent_at: datetime
    expires_at: datetime
    used: bool = False

    @property
    def text(self) -> str:
        """The SMS as the phone shows it (this is the one place the code is spelled out)."""
        return f"{self.code.reveal()} is your selfcare sign-in code. It works for 5 minutes."


@attrs.define
class _Session:
    id: str
    subscriber: Subscriber
    access: Secret = attrs.field(repr=False)
    access_expires_at: datetime
    refresh: Secret = attrs.field(repr=False)
    refresh_expires_at: datetime
    method: LoginMethod = LoginMethod.PASSWORD
    """How the subscriber proved who they were when the session opened."""
    scopes: frozenset[str] = frozenset()
    """What an OAuth client was granted (network sign-in); empty for the SDK's own sign-ins."""
    revoked: bool = False


@attrs.define
class _Counter:
    """Recent wrong attempts of one number (from one client, or from all), and their lock."""

    failures: list[datetime] = attrs.Factory(list)
    locked_until: datetime | None = None
    lockouts: int = 0
    """Locks in a row: each lasts twice the one before (up to ``Lockout.longest``)."""
    refused: int = 0
    """Attempts the current (or last) lock refused: counted here, not logged one by one."""

    def active(self, now: datetime) -> bool:
        return self.locked_until is not None and now < self.locked_until

    def fail(self, now: datetime, policy: Lockout, threshold: int) -> bool:
        """Count a wrong attempt; ``True`` when it starts a lock."""
        if self.locked_until is not None and now >= self.locked_until + policy.longest:
            self.lockouts = 0  # a quiet spell as long as the longest lock forgives
        self.failures = [at for at in self.failures if now - at < policy.window] + [now]
        if len(self.failures) < threshold:
            return False
        self.lockouts += 1
        self.locked_until = now + policy.duration(self.lockouts)
        self.failures, self.refused = [], 0
        return True

    def idle(self, now: datetime, policy: Lockout) -> bool:
        """Nothing left to remember: no recent failure, and any lock long forgiven."""
        recent = any(now - at < policy.window for at in self.failures)
        return not recent and (
            self.locked_until is None or now >= self.locked_until + policy.longest
        )


@attrs.frozen
class LockView:
    """A lock on signing in to a number, as an operator's back office shows it."""

    scope: str
    """``client`` (one address, or ``in process``) or ``number`` (the guard over all)."""
    client: str | None
    locked_until: datetime
    lockouts: int
    """Locks in a row (the lock lasted ``Lockout.duration(lockouts)``)."""
    refused: int
    """Attempts it refused."""


class SignInDesk:
    """Who may sign in and how: the operator's passwords, codes, sessions and lockouts.

    ``limits`` gives the operator's current :class:`~selfcare.backends.fake.RateLimits`
    (read on every call, so changing ``operator.limits`` takes effect at once). ``client``
    arguments are the caller's address as the server saw it (``None`` in process).
    """

    def __init__(
        self, subscribers: Roster, *, limits: Callable[[], RateLimits] = RateLimits
    ) -> None:
        self._subscribers = subscribers
        self._limits = limits
        self._salt = secrets.token_hex(16)
        self._passwords = {key: _digest(self._salt, demo_password(key)) for key in subscribers}
        self._codes: dict[str, SentCode] = {}
        self._sent: dict[str, list[SentCode]] = {}
        self._sessions: dict[str, _Session] = {}
        self._lanes: dict[tuple[str, str], _Counter] = {}
        self._guards: dict[str, _Counter] = {}
        self._known: dict[str, dict[str, datetime]] = {}

    # -- passwords and codes -------------------------------------------------------------

    def set_password(self, key: str, password: Secret | str) -> None:
        """Give subscriber ``key`` a new password (the seeded ones are documented)."""
        if key not in self._subscribers:
            raise NotFound(f"the fake operator has no subscriber {key!r}")
        self._passwords[key] = _digest(self._salt, Secret(password))

    def sent_codes(self, number: PhoneNumber) -> list[SentCode]:
        """Every sign-in code the operator has sent to ``number``, oldest first."""
        return list(self._sent.get(number.e164, ()))

    def last_code(self, number: PhoneNumber) -> SentCode:
        """The newest code sent to ``number`` (what the phone would show)."""
        sent = self._sent.get(number.e164)
        if not sent:
            raise NotFound(f"no sign-in code was sent to {number.e164}", field="number")
        return sent[-1]

    def send_code(self, number: PhoneNumber, now: datetime, client: str | None = None) -> CodeSent:
        """Text a fresh code to ``number`` if it is a subscriber's (it replaces any earlier one).

        Unknown numbers get the same answer and no SMS, so the answer reveals nothing: its
        time is in UTC, as on the wire (the account's zone would tell whose number it is).
        """
        self._admit(number, now, _client(client))
        if self._owner(number) is not None:
            code = SentCode(number, Secret(f"{secrets.randbelow(10**6):06d}"), now, now + CODE_TTL)
            self._codes[number.e164] = code
            self._sent.setdefault(number.e164, []).append(code)
        return CodeSent(number=number, expires_at=(now + CODE_TTL).astimezone(UTC))

    def with_password(
        self,
        number: PhoneNumber,
        password: Secret,
        now: datetime,
        channel: str,
        client: str | None = None,
    ) -> SignedIn:
        """Open a session for the number's subscriber if the password is theirs."""
        who = _client(client)
        self._admit(number, now, who)
        owner = self._owner(number)
        key = None if owner is None else self._key(owner)
        stored = self._passwords.get(key, "") if key is not None else ""
        # constant time, and a digest is computed for unknown numbers too
        right = hmac.compare_digest(_digest(self._salt, password), stored) and key is not None
        if owner is None or not right:
            self._fail(number, now, owner, LoginMethod.PASSWORD, channel, WRONG_CREDENTIALS, who)
            raise AuthenticationError(WRONG_CREDENTIALS, field="password")
        return self._open(owner, now, LoginMethod.PASSWORD, channel, who)

    def with_code(
        self,
        number: PhoneNumber,
        code: Secret,
        now: datetime,
        channel: str,
        client: str | None = None,
    ) -> SignedIn:
        """Open a session if ``code`` is the live, unused code sent to ``number``."""
        who = _client(client)
        self._admit(number, now, who)
        owner = self._owner(number)
        sent = self._codes.get(number.e164)
        if owner is None or sent is None or sent.code != code:
            self._fail(number, now, owner, LoginMethod.OTP, channel, WRONG_CODE, who)
            raise AuthenticationError(f"{WRONG_CODE} for {number.e164}", field="code")
        if sent.used or now >= sent.expires_at:
            why = "the code was already used" if sent.used else "the code expired"
            owner.record_login(now, channel, LoginMethod.OTP, LoginStatus.FAILED, why, ip=client)
            raise AuthenticationError(f"{why}: ask for a new one", field="code")
        sent.used = True
        return self._open(owner, now, LoginMethod.OTP, channel, who)

    def with_network(
        self,
        number: PhoneNumber,
        now: datetime,
        channel: str,
        client: str | None = None,
        scopes: frozenset[str] = frozenset(),
    ) -> SignedIn:
        """Open a session for the line the operator's network recognised as ``number``.

        The caller is the authorization server, which saw the request arrive from an
        address its gateway assigned to that line: there is no secret to check here, so this
        is never reachable from a public route. ``NotFound`` when no subscriber has the line.
        """
        owner = self._owner(number)
        if owner is None:
            raise NotFound(f"the network line {number.e164} is no subscriber's", field="number")
        return self._open(owner, now, LoginMethod.NETWORK, channel, _client(client), scopes)

    def session_of(
        self, token: Secret, now: datetime
    ) -> tuple[Subscriber, LoginMethod, frozenset[str]] | None:
        """The subscriber, sign-in method and granted scopes of a live access token
        (``None`` when it is no session's; errors as :meth:`authenticate`)."""
        subscriber = self.authenticate(token, now)
        if subscriber is None:
            return None
        session = self._session(token, "a")
        assert session is not None
        return subscriber, session.method, session.scopes

    def revoke(self, token: Secret) -> None:
        """End the session of access token ``token`` if it is one (a replayed code's)."""
        session = self._session(token, "a")
        if session is not None and session.access == token:
            session.revoked = True

    def locks(self, number: PhoneNumber, now: datetime) -> list[LockView]:
        """The locks on signing in to ``number`` still in force at ``now``, with how many
        attempts each refused (the login history has one record per lock, not per attempt)."""
        views = [
            LockView("client", who or "in process", lane.locked_until, lane.lockouts, lane.refused)
            for (e164, who), lane in self._lanes.items()
            if e164 == number.e164 and lane.active(now) and lane.locked_until is not None
        ]
        guard = self._guards.get(number.e164)
        if guard is not None and guard.active(now) and guard.locked_until is not None:
            views.append(
                LockView("number", None, guard.locked_until, guard.lockouts, guard.refused)
            )
        return views

    # -- sessions ------------------------------------------------------------------------

    def refresh(
        self, token: Secret, now: datetime, channel: str, client: str | None = None
    ) -> SignedIn:
        """A new access token for the session ``token`` (a refresh token) belongs to.

        Refreshes are rate-limited per subscriber (``RateLimits.refreshes``): ``RateLimited``,
        with nothing logged, when they come faster than any client needs them.
        """
        session = self._session(token, "r")
        if session is None or session.refresh != token:
            raise AuthenticationError("the refresh token is not valid: sign in again")
        sub = session.subscriber
        sub.limiter(self._limits()).take("refreshes", 1, now)
        if session.revoked or now >= session.refresh_expires_at:
            why = "the session was signed out" if session.revoked else "the session expired"
            sub.record_login(now, channel, LoginMethod.TOKEN, LoginStatus.FAILED, why, ip=client)
            raise AuthenticationError(f"{why}: sign in again")
        session.access = self._token("a", session.id)
        session.access_expires_at = now + ACCESS_TTL
        sub.record_login(now, channel, LoginMethod.TOKEN, LoginStatus.SUCCESS, ip=client)
        return self._view(session)

    def authenticate(self, token: Secret, now: datetime) -> Subscriber | None:
        """The subscriber of a live access token; ``None`` when it is no session token at all."""
        session = self._session(token, "a")
        if session is None or session.access != token:
            return None
        if session.revoked:
            raise AuthenticationError("the session was signed out: sign in again")
        if now >= session.access_expires_at:
            raise TokenExpired(
                f"the access token expired at {session.access_expires_at.isoformat()}: refresh it"
            )
        return session.subscriber

    def sign_out(self, token: Secret | None) -> None:
        """End the session of access token ``token`` (both its tokens stop working)."""
        session = None if token is None else self._session(token, "a")
        if session is None or token is None or session.access != token:
            raise Conflict(
                "this client is not signed in with a session (an API token or the in-process "
                "fake): there is no session to sign out of"
            )
        session.revoked = True

    # -- internals -----------------------------------------------------------------------

    def _owner(self, number: PhoneNumber) -> Subscriber | None:
        key = self._subscribers.key_for_number(number.e164)
        return None if key is None else self._subscribers[key]

    def _key(self, sub: Subscriber) -> str:
        return self._subscribers.key_of(sub)

    def _is_known(self, number: PhoneNumber, client: str, now: datetime) -> bool:
        at = self._known.get(number.e164, {}).get(client)
        return at is not None and now - at < REFRESH_TTL

    def _admit(self, number: PhoneNumber, now: datetime, client: str) -> None:
        """Refuse (and count, without logging) an attempt a lock holds back."""
        policy = self._limits().lockout
        lane = self._lanes.get((number.e164, client))
        if lane is not None and lane.active(now) and lane.locked_until is not None:
            lane.refused += 1
            wait = lane.locked_until - now
            raise TooManyAttempts(
                f"sign-in for {number.e164} is locked after {policy.max_failures} wrong "
                f"attempts; try again in {_minutes(wait)}",
                retry_after=wait,
                field="number",
            )
        guard = self._guards.get(number.e164)
        if guard is None or not guard.active(now) or guard.locked_until is None:
            return
        if self._is_known(number, client, now):
            return
        guard.refused += 1
        wait = guard.locked_until - now
        raise TooManyAttempts(
            f"sign-in for {number.e164} is paused after many wrong attempts from several "
            f"places; try again in {_minutes(wait)}, or from a device that signed in before",
            retry_after=wait,
            field="number",
        )

    def _fail(
        self,
        number: PhoneNumber,
        now: datetime,
        owner: Subscriber | None,
        method: LoginMethod,
        channel: str,
        reason: str,
        client: str,
    ) -> None:
        ip = client or None
        if owner is not None:
            owner.record_login(now, channel, method, LoginStatus.FAILED, reason, ip=ip)
        policy = self._limits().lockout
        if len(self._lanes) + len(self._guards) >= SWEEP_AT:
            self._sweep(now, policy)
        lane = self._lanes.setdefault((number.e164, client), _Counter())
        locked = lane.fail(now, policy, policy.max_failures)
        guard = self._guards.setdefault(number.e164, _Counter())
        guarded = not guard.active(now) and guard.fail(now, policy, policy.number_max_failures)
        for started, why in ((locked, LOCKED), (guarded, GUARDED)):
            if started and owner is not None:  # one record per lock, whatever it refuses
                owner.record_login(now, channel, method, LoginStatus.FAILED, why, ip=ip)

    def _sweep(self, now: datetime, policy: Lockout) -> None:
        for key in [k for k, lane in self._lanes.items() if lane.idle(now, policy)]:
            del self._lanes[key]
        for e164 in [k for k, guard in self._guards.items() if guard.idle(now, policy)]:
            del self._guards[e164]

    def _open(
        self,
        sub: Subscriber,
        now: datetime,
        method: LoginMethod,
        channel: str,
        client: str,
        scopes: frozenset[str] = frozenset(),
    ) -> SignedIn:
        number = sub.account.number.e164
        self._lanes.pop((number, client), None)
        known = self._known.setdefault(number, {})
        for old in [who for who, at in known.items() if now - at >= REFRESH_TTL]:
            del known[old]
        known[client] = now
        sid = secrets.token_hex(8)
        while sid in self._sessions:  # pragma: no cover  (64 random bits)
            sid = secrets.token_hex(8)
        session = _Session(
            id=sid,
            subscriber=sub,
            access=self._token("a", sid),
            access_expires_at=now + ACCESS_TTL,
            refresh=self._token("r", sid),
            refresh_expires_at=now + REFRESH_TTL,
            method=method,
            scopes=scopes,
        )
        self._sessions[sid] = session
        sub.record_login(now, channel, method, LoginStatus.SUCCESS, ip=client or None)
        return self._view(session)

    @staticmethod
    def _token(kind: str, sid: str) -> Secret:
        return Secret(f"s{kind}_{sid}_{secrets.token_urlsafe(32)}")

    def _session(self, token: Secret, kind: str) -> _Session | None:
        parts = token.reveal().split("_", 2)
        if len(parts) != 3 or parts[0] != f"s{kind}":
            return None
        return self._sessions.get(parts[1])

    @staticmethod
    def _view(session: _Session) -> SignedIn:
        return SignedIn(
            access_token=session.access,
            access_expires_at=session.access_expires_at,
            refresh_token=session.refresh,
            refresh_expires_at=session.refresh_expires_at,
        )


def _client(client: str | None) -> str:
    return IN_PROCESS if client is None else client


def _minutes(wait: timedelta) -> str:
    minutes = max(1, -(-int(wait.total_seconds()) // 60))
    return f"{minutes} min"
