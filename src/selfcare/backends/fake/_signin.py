"""The fake operator's front door: passwords, one-time codes by SMS, sessions and lockout.

Rules (documented in ``docs/signing-in.md`` and ``docs/fake-operator.md``):

* a sign-in opens a session: an access token good for :data:`ACCESS_TTL` and a refresh token
  good for :data:`REFRESH_TTL` that gets new access tokens (it is not rotated);
* a one-time code is six digits, works for :data:`CODE_TTL`, once; asking again replaces it;
* :data:`MAX_FAILURES` wrong passwords or codes for a number within :data:`FAILURE_WINDOW`
  lock that number's sign-in for :data:`LOCKOUT`;
* every attempt on a subscriber's number lands in their login history, with its reason.

Everything is computed from the clock when asked; nothing runs in the background. Passwords
are kept as salted digests, codes and tokens only inside :class:`~selfcare.Secret`.
"""

from __future__ import annotations

import hashlib
import hmac
import random
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Final

import attrs

from selfcare._errors import AuthenticationError, Conflict, NotFound, TokenExpired, TooManyAttempts
from selfcare._secret import Secret
from selfcare.model import CodeSent, LoginMethod, LoginStatus, PhoneNumber, SignedIn

if TYPE_CHECKING:
    from selfcare.backends.fake._state import Subscriber

__all__ = [
    "ACCESS_TTL",
    "CODE_TTL",
    "FAILURE_WINDOW",
    "LOCKOUT",
    "MAX_FAILURES",
    "REFRESH_TTL",
    "SentCode",
    "SignInDesk",
    "demo_password",
]

ACCESS_TTL: Final = timedelta(minutes=15)
REFRESH_TTL: Final = timedelta(days=30)
CODE_TTL: Final = timedelta(minutes=5)
MAX_FAILURES: Final = 5
"""Wrong passwords or codes per number within :data:`FAILURE_WINDOW` before the lockout."""
FAILURE_WINDOW: Final = timedelta(minutes=15)
LOCKOUT: Final = timedelta(minutes=15)
WRONG_CREDENTIALS: Final = "wrong number or password"
WRONG_CODE: Final = "wrong code"


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
    revoked: bool = False


@attrs.define
class _Attempts:
    failures: list[datetime] = attrs.Factory(list)
    locked_until: datetime | None = None


class SignInDesk:
    """Who may sign in and how: the operator's passwords, codes, sessions and lockouts."""

    def __init__(self, subscribers: dict[str, Subscriber], *, seed: int) -> None:
        self._subscribers = subscribers
        self._rng = random.Random(f"{seed}:sign-in")  # noqa: S311  (a simulation, not crypto)
        self._salt = f"{self._rng.getrandbits(64):016x}"
        self._passwords = {key: _digest(self._salt, demo_password(key)) for key in subscribers}
        self._codes: dict[str, SentCode] = {}
        self._sent: dict[str, list[SentCode]] = {}
        self._sessions: dict[str, _Session] = {}
        self._attempts: dict[str, _Attempts] = {}

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

    def send_code(self, number: PhoneNumber, now: datetime) -> CodeSent:
        """Text a fresh code to ``number`` if it is a subscriber's (it replaces any earlier one).

        Unknown numbers get the same answer and no SMS, so the answer reveals nothing.
        """
        self._check_lock(number, now, None)
        if self._owner(number) is not None:
            code = SentCode(
                number, Secret(f"{self._rng.randrange(10**6):06d}"), now, now + CODE_TTL
            )
            self._codes[number.e164] = code
            self._sent.setdefault(number.e164, []).append(code)
        return CodeSent(number=number, expires_at=now + CODE_TTL)

    def with_password(
        self, number: PhoneNumber, password: Secret, now: datetime, channel: str
    ) -> SignedIn:
        """Open a session for the number's subscriber if the password is theirs."""
        owner = self._owner(number)
        self._check_lock(number, now, owner, LoginMethod.PASSWORD, channel)
        key = None if owner is None else self._key(owner)
        stored = self._passwords.get(key, "") if key is not None else ""
        # constant time, and a digest is computed for unknown numbers too
        right = hmac.compare_digest(_digest(self._salt, password), stored) and key is not None
        if owner is None or not right:
            self._fail(number, now, owner, LoginMethod.PASSWORD, channel, WRONG_CREDENTIALS)
            raise AuthenticationError(WRONG_CREDENTIALS, field="password")
        return self._open(owner, now, LoginMethod.PASSWORD, channel)

    def with_code(self, number: PhoneNumber, code: Secret, now: datetime, channel: str) -> SignedIn:
        """Open a session if ``code`` is the live, unused code sent to ``number``."""
        owner = self._owner(number)
        self._check_lock(number, now, owner, LoginMethod.OTP, channel)
        sent = self._codes.get(number.e164)
        if owner is None or sent is None or sent.code != code:
            self._fail(number, now, owner, LoginMethod.OTP, channel, WRONG_CODE)
            raise AuthenticationError(f"{WRONG_CODE} for {number.e164}", field="code")
        if sent.used or now >= sent.expires_at:
            why = "the code was already used" if sent.used else "the code expired"
            owner.record_login(now, channel, LoginMethod.OTP, LoginStatus.FAILED, why)
            raise AuthenticationError(f"{why}: ask for a new one", field="code")
        sent.used = True
        return self._open(owner, now, LoginMethod.OTP, channel)

    # -- sessions ------------------------------------------------------------------------

    def refresh(self, token: Secret, now: datetime, channel: str) -> SignedIn:
        """A new access token for the session ``token`` (a refresh token) belongs to."""
        session = self._session(token, "r")
        if session is None or session.refresh != token:
            raise AuthenticationError("the refresh token is not valid: sign in again")
        sub = session.subscriber
        if session.revoked or now >= session.refresh_expires_at:
            why = "the session was signed out" if session.revoked else "the session expired"
            sub.record_login(now, channel, LoginMethod.TOKEN, LoginStatus.FAILED, why)
            raise AuthenticationError(f"{why}: sign in again")
        session.access = self._token("a", session.id)
        session.access_expires_at = now + ACCESS_TTL
        sub.record_login(now, channel, LoginMethod.TOKEN, LoginStatus.SUCCESS)
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
        for sub in self._subscribers.values():
            if sub.account.number == number:
                return sub
        return None

    def _key(self, sub: Subscriber) -> str:
        return next(k for k, s in self._subscribers.items() if s is sub)

    def _check_lock(
        self,
        number: PhoneNumber,
        now: datetime,
        owner: Subscriber | None,
        method: LoginMethod | None = None,
        channel: str = "",
    ) -> None:
        state = self._attempts.get(number.e164)
        if state is None or state.locked_until is None or now >= state.locked_until:
            return
        wait = state.locked_until - now
        if owner is not None and method is not None:
            reason = "sign-in locked after too many wrong attempts"
            owner.record_login(now, channel, method, LoginStatus.FAILED, reason)
        raise TooManyAttempts(
            f"sign-in for {number.e164} is locked after {MAX_FAILURES} wrong attempts; "
            f"try again in {_minutes(wait)}",
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
    ) -> None:
        if owner is not None:
            owner.record_login(now, channel, method, LoginStatus.FAILED, reason)
        state = self._attempts.setdefault(number.e164, _Attempts())
        state.failures = [at for at in state.failures if now - at < FAILURE_WINDOW] + [now]
        if len(state.failures) >= MAX_FAILURES:
            state.locked_until = now + LOCKOUT
            state.failures = []

    def _open(self, sub: Subscriber, now: datetime, method: LoginMethod, channel: str) -> SignedIn:
        self._attempts.pop(sub.account.number.e164, None)
        sid = f"{self._rng.getrandbits(48):012x}"
        session = _Session(
            id=sid,
            subscriber=sub,
            access=self._token("a", sid),
            access_expires_at=now + ACCESS_TTL,
            refresh=self._token("r", sid),
            refresh_expires_at=now + REFRESH_TTL,
        )
        self._sessions[sid] = session
        sub.record_login(now, channel, method, LoginStatus.SUCCESS)
        return self._view(session)

    def _token(self, kind: str, sid: str) -> Secret:
        return Secret(f"s{kind}_{sid}_{self._rng.getrandbits(128):032x}")

    def _session(self, token: Secret, kind: str) -> _Session | None:
        parts = token.reveal().split("_")
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


def _minutes(wait: timedelta) -> str:
    minutes = max(1, -(-int(wait.total_seconds()) // 60))
    return f"{minutes} min"
