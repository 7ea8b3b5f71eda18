"""The subscriber's own history: sign-ins, and the operations they performed and how each ended."""

from __future__ import annotations

import enum
from typing import Any

import attrs

from selfcare._errors import ValidationError
from selfcare._time import Instant
from selfcare.model._repr import compact_repr

__all__ = [
    "LoginMethod",
    "LoginRecord",
    "LoginStatus",
    "OperationParameter",
    "OperationRecord",
    "OperationStatus",
]


class OperationStatus(enum.StrEnum):
    """How an operation ended."""

    DONE = "done"
    FAILED = "failed"
    PENDING = "pending"


@attrs.frozen
class OperationParameter:
    """One parameter of a logged operation as the log shows it (secrets masked, long text
    cut): on the wire ``{"name": "condition", "value": "busy"}``."""

    name: str
    value: str


@attrs.frozen(repr=False)
class OperationRecord:
    """One operation from the subscriber's log: what, when, through which channel, and how it
    ended. Secret parameters (PINs, passwords) are masked before they are recorded."""

    __repr__ = compact_repr

    id: str
    at: Instant
    channel: str
    """Where it came from: ``api`` (over HTTP), ``sdk`` (in-process), ``web``, ``cli``…"""
    operation: str
    """The operation's name, e.g. ``send_sms`` or ``activate_card``."""
    parameters: tuple[OperationParameter, ...]
    """The parameters it was given, in order (see :meth:`parameter`)."""
    status: OperationStatus
    reason: str | None = None

    def parameter(self, name: str) -> str | None:
        """The value of the parameter called ``name`` as logged (``None`` if it had none)."""
        return next((p.value for p in self.parameters if p.name == name), None)


class LoginMethod(enum.StrEnum):
    """How the subscriber proved who they were."""

    PASSWORD = "password"  # noqa: S105  (a method name, not a secret)
    OTP = "otp"
    """A one-time code sent by SMS."""
    TOKEN = "token"  # noqa: S105  (a method name, not a secret)
    """A stored token (an app staying signed in, or an API token)."""
    NETWORK = "network"
    """The operator recognised the line from the mobile data connection (no password)."""


class LoginStatus(enum.StrEnum):
    """Whether the sign-in worked."""

    SUCCESS = "success"
    FAILED = "failed"


def _reason(instance: Any, attribute: Any, value: str | None) -> None:
    if (value is None) != (instance.status is LoginStatus.SUCCESS):
        raise ValidationError(
            f"reason={value!r}: a failed sign-in has a reason and a successful one has none",
            field="reason",
        )


@attrs.frozen(repr=False)
class LoginRecord:
    """One sign-in attempt: when, where from, how, and whether it worked (and why not)."""

    __repr__ = compact_repr

    id: str
    at: Instant
    channel: str
    """Where: ``web``, ``app``, ``api``, ``sdk``…"""
    method: LoginMethod
    status: LoginStatus
    reason: str | None = attrs.field(default=None, validator=_reason)
    ip: str | None = None
    client: str | None = None
    """The browser or app, as it named itself."""

    @property
    def failed(self) -> bool:
        """The attempt did not sign the subscriber in."""
        return self.status is LoginStatus.FAILED
