# Generated from selfcare/_async/_signin.py by scripts/unasync.py. Do not edit.
"""Signing in as a subscriber does: the helpers behind ``Selfcare.login``/``start_login``.

Sign-in operations go to a backend nobody is signed in on (over HTTP: no token at all; on the
fake: the operator's front door); the session they open is then given to that backend's
``signed_in`` copy, which the returned client uses.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from selfcare._errors import ValidationError
from selfcare._secret import Secret
from selfcare.model import PhoneNumber
from selfcare.operations import Operation, SignInWithCode

if TYPE_CHECKING:  # imported where used: httpx and the fake load only when needed
    from typing import TypeAlias

    import httpx

    from selfcare._sync._client import Selfcare
    from selfcare.backends.fake import FakeBackend, FakeOperator
    from selfcare.backends.http._sync import HttpBackend
    from selfcare.protocol._http import WireProtocol

    Door: TypeAlias = HttpBackend | FakeBackend

__all__ = [
    "PendingLogin",
    "door",
    "execute_or_close",
    "http_backend",
    "phone_number",
    "secret",
]

R = TypeVar("R")


def phone_number(number: object, region: str) -> PhoneNumber:
    """The subscriber's number as typed (``8 916 555-01-23``), read in ``region``."""
    if number is None:
        raise ValidationError("number is required: the subscriber's phone number", field="number")
    return PhoneNumber.parse(number, region, field="number")  # type: ignore[arg-type]


def secret(value: object, name: str) -> Secret:
    """A password or code as a :class:`~selfcare.Secret`; empty or non-text is refused
    without ever showing the value."""
    if isinstance(value, str | Secret) and value:
        return Secret(value)
    kind = "empty" if isinstance(value, str | Secret) else type(value).__name__
    raise ValidationError(f"{name} must be non-empty text, not {kind}", field=name)


def http_backend(
    base_url: str | None,
    token: str | Secret | None = None,
    *,
    protocol: WireProtocol | None = None,
    max_retries: int | None = None,
    timeout: float | None = None,
    deadline: float | None = None,
    anonymous: bool = False,
    http_client: httpx.Client | None = None,
) -> HttpBackend:
    """An HTTP backend; httpx is imported here, on first use, not with ``selfcare``."""
    from selfcare.backends.http._sync import HttpBackend
    from selfcare.protocol._http import DEFAULT_TIMEOUT

    return HttpBackend(
        base_url,
        token,
        protocol=protocol,
        max_retries=max_retries,
        timeout=timeout or DEFAULT_TIMEOUT,
        deadline=deadline,
        anonymous=anonymous,
        http_client=http_client,
    )


def door(
    base_url: str | None,
    operator: FakeOperator | None,
    options: dict[str, Any],
) -> Door:
    """The backend sign-in operations go to: the fake's front door or a server, tokenless."""
    if operator is not None:
        if base_url is not None:
            raise ValidationError(
                "give base_url (a server) or operator (the fake), not both", field="operator"
            )
        from selfcare.backends.fake import FakeBackend

        return FakeBackend(operator, subscriber=None)
    return http_backend(base_url, anonymous=True, **options)


def execute_or_close(backend: Door, op: Operation[R]) -> R:
    """Run a sign-in operation, closing the backend if it fails."""
    try:
        return backend.execute(op)
    except BaseException:
        backend.close()
        raise


class PendingLogin:
    """A sign-in waiting for the one-time code the operator texted to :attr:`number`.

    ``pending.confirm("123456")`` gives the signed-in client; a wrong code can be
    corrected (five wrong ones lock sign-in for a while). The code works until
    :attr:`expires_at`, once.
    """

    def __init__(
        self,
        client_type: type[Selfcare],
        backend: Door,
        number: PhoneNumber,
        expires_at: datetime,
    ) -> None:
        self._client_type = client_type
        self._backend = backend
        self.number = number
        """The number the code went to."""
        self.expires_at = expires_at
        """When the code stops working."""

    def confirm(self, code: str | Secret) -> Selfcare:
        """Sign in with the code and return the signed-in client."""
        op = SignInWithCode(number=self.number, code=secret(code, "code"))
        session = self._backend.execute(op)
        return self._client_type(self._backend.signed_in(session))

    def close(self) -> None:
        """Give up on this sign-in and release its connections."""
        self._backend.close()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} number={self.number.e164!r} until={self.expires_at}>"
