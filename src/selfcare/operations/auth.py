"""Signing in as a subscriber does: a number and a password, or a one-time code by SMS.

Every operation here but :class:`SignOut` is *public*: it is what a caller does before it
has a token, so the server serves it without one.
"""

from __future__ import annotations

from typing import Any

import attrs

from selfcare._errors import ValidationError
from selfcare._secret import Secret
from selfcare.model import CodeSent, PhoneNumber, SignedIn
from selfcare.operations._base import Capability, Operation

__all__ = [
    "PUBLIC_OPERATIONS",
    "RefreshSession",
    "RequestCode",
    "SignInWithCode",
    "SignInWithPassword",
    "SignOut",
]


def _secret(instance: Any, attribute: Any, value: Any) -> None:
    if not isinstance(value, Secret) or not value:
        raise ValidationError(
            f"{attribute.name} must be given (and is never shown)", field=attribute.name
        )


CODE_DIGITS = 6
"""A one-time sign-in code is six digits."""


def _code(instance: Any, attribute: Any, value: Any) -> None:
    """Six digits, checked before anything is sent: a typo costs no attempt towards the
    lockout. The error never shows the code."""
    _secret(instance, attribute, value)
    text = value.reveal()
    if len(text) != CODE_DIGITS or not all("0" <= c <= "9" for c in text):
        raise ValidationError(
            f"code must be the {CODE_DIGITS} digits from the SMS (it is not shown); "
            "nothing was sent and no attempt was used",
            field="code",
        )


def _phone(instance: Any, attribute: Any, value: Any) -> None:
    if not isinstance(value, PhoneNumber):
        raise ValidationError(
            f"{attribute.name}={value!r} must be a PhoneNumber", field=attribute.name
        )


@attrs.frozen
class SignInWithPassword(Operation[SignedIn]):
    """Open a session with the subscriber's number and password."""

    result = SignedIn
    capability = Capability.SIGN_IN

    number: PhoneNumber = attrs.field(validator=_phone)
    password: Secret = attrs.field(validator=_secret, repr=False)


@attrs.frozen
class RequestCode(Operation[CodeSent]):
    """Ask the operator to send a one-time sign-in code by SMS to ``number``."""

    result = CodeSent
    capability = Capability.SIGN_IN

    number: PhoneNumber = attrs.field(validator=_phone)


@attrs.frozen
class SignInWithCode(Operation[SignedIn]):
    """Open a session with the one-time code the operator sent to ``number``."""

    result = SignedIn
    capability = Capability.SIGN_IN

    number: PhoneNumber = attrs.field(validator=_phone)
    code: Secret = attrs.field(validator=_code, repr=False)


@attrs.frozen
class RefreshSession(Operation[SignedIn]):
    """A new access token for the session a refresh token belongs to."""

    result = SignedIn
    capability = Capability.SIGN_IN

    refresh_token: Secret = attrs.field(validator=_secret, repr=False)


@attrs.frozen
class SignOut(Operation[None]):
    """End the session the request is made with: its tokens stop working at once."""

    result = None
    capability = Capability.SIGN_IN
    line_scoped = False


PUBLIC_OPERATIONS: frozenset[type[Operation[Any]]] = frozenset(
    {SignInWithPassword, RequestCode, SignInWithCode, RefreshSession}
)
"""The operations made without a token (they are how a caller gets one)."""
