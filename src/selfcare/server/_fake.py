"""Serving the fake operator: each subscriber's token opens that subscriber's backend."""

from __future__ import annotations

from datetime import datetime, timedelta

from selfcare._errors import NotSupported
from selfcare._secret import Secret
from selfcare.backends.fake import AsyncFakeBackend, FakeBackend, FakeOperator, TmfDocuments
from selfcare.backends.fake._limits import ClientThrottle
from selfcare.backends.fake._signin import SentCode
from selfcare.model import LoginMethod, PhoneNumber, SignedIn

__all__ = ["FakeResolver"]


class FakeResolver:
    """Maps bearer tokens to the fake operator's subscribers (channel ``api`` in their logs).

    A subscriber's long-lived API token opens that subscriber's backend; a session's access
    token opens a backend that checks the token on every operation, so signing out and
    expiry take effect at once. :meth:`public` serves the sign-in routes, throttled per
    client address (``RateLimits.sign_in_requests`` on the operator's clock),
    :meth:`tmf_documents` hands the TMF face the documents the operator keeps for the line a
    request acts on. :meth:`last_code`, :meth:`reset`, :meth:`now` and :meth:`advance_clock` are
    what the ``/v1/_test/`` hooks call (``create_app(..., test_hooks=True)``).
    """

    def __init__(self, operator: FakeOperator) -> None:
        self.operator = operator
        self._backends: dict[str, AsyncFakeBackend] = {}
        self._public = AsyncFakeBackend.wrap(FakeBackend(operator, subscriber=None, channel="api"))
        self._throttle = ClientThrottle("sign_in_requests")

    def __call__(self, token: Secret) -> AsyncFakeBackend:
        subscriber = self.operator.authenticate(token)
        if subscriber.token != token:  # a session's access token
            return AsyncFakeBackend.wrap(FakeBackend(self.operator, token=token, channel="api"))
        key = self.operator.key_of(subscriber)
        if key not in self._backends:
            backend = FakeBackend(self.operator, subscriber=key, channel="api")
            self._backends[key] = AsyncFakeBackend.wrap(backend)
        return self._backends[key]

    def public(self, client: str | None = None) -> AsyncFakeBackend:
        """The backend of the routes served without a token (signing in) for the caller at
        address ``client``: ``RateLimited`` when that address asks too often. Its failed
        attempts lock only that address out of a number (see ``Lockout``)."""
        if client is None:
            return self._public
        with self.operator.lock:
            self._throttle.take(client, self.operator.limits, self.operator.clock.now())
        backend = FakeBackend(self.operator, subscriber=None, channel="api", client=client)
        return AsyncFakeBackend.wrap(backend)

    def now(self) -> datetime:
        """The operator's time (codes and ID tokens of the authorization server use it)."""
        return self.operator.clock.now()

    def network_sign_in(
        self, number: PhoneNumber, client: str | None, scopes: frozenset[str]
    ) -> SignedIn:
        """Open a session for the line the mobile network recognised (the authorization
        server's token endpoint calls this after checking the code; never a public route)."""
        with self.operator.lock:
            return self.operator.sign_in.with_network(
                number, self.operator.clock.now(), "api", client, scopes
            )

    def session_of(self, token: Secret) -> tuple[PhoneNumber, LoginMethod, frozenset[str]] | None:
        """The line, sign-in method and scopes of a session's access token; ``None`` for an
        API token; ``AuthenticationError`` (or ``TokenExpired``) for no valid token at all."""
        with self.operator.lock:
            subscriber = self.operator.authenticate(token)
            if subscriber.token == token:
                return None
            found = self.operator.sign_in.session_of(token, self.operator.clock.now())
        assert found is not None
        owner, method, scopes = found
        return owner.account.number, method, scopes

    def revoke(self, token: Secret) -> None:
        """End the session of ``token`` (the tokens of a replayed authorization code)."""
        with self.operator.lock:
            self.operator.sign_in.revoke(token)

    def tmf_documents(
        self, token: Secret, line: PhoneNumber | None = None, *, writing: bool = False
    ) -> TmfDocuments:
        """The TMF documents the operator keeps for the line a request acts on (what the TMF
        face created or changed that selfcare's model has no place for): the line of
        ``token``, or ``line`` when the request names one the token may act on (``NotFound``
        otherwise), so no line ever sees another's. ``writing``: the request may change
        them, so the line is kept for the operator's life (a fleet line only read may be
        made again from its seed, with no documents)."""
        with self.operator.lock:
            sub = self.operator.acting_on(token, line)
            if writing:
                self.operator.keep_line(sub)
            return sub.tmf_documents

    def reset(self) -> datetime:
        """Put the operator back to its seed (see ``FakeOperator.reset``): sessions, codes,
        rate limits and every change are gone, API tokens stay. Returns the clock's time."""
        with self.operator.lock:
            self.operator.reset()
            self._backends.clear()
            self._throttle = ClientThrottle("sign_in_requests")
            return self.operator.clock.now()

    def advance_clock(self, delta: timedelta) -> datetime:
        """Move the operator's clock forward by ``delta`` and return the new time
        (``NotSupported`` for a clock that cannot move, such as the machine's own)."""
        advance = getattr(self.operator.clock, "advance", None)
        if advance is None:
            raise NotSupported(
                f"this fake runs on {type(self.operator.clock).__name__}, which cannot be "
                "moved: give the FakeOperator a SandboxClock or a ManualClock"
            )
        with self.operator.lock:
            moved: datetime = advance(delta)
            return moved

    def last_code(self, number: PhoneNumber) -> SentCode:
        """The newest sign-in code the fake texted to ``number`` (``NotFound`` if none)."""
        with self.operator.lock:
            return self.operator.sign_in.last_code(number)
