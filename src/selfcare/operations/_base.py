"""The operation base classes: one frozen request class per thing a backend can do."""

from __future__ import annotations

import re
import uuid
from typing import Any, ClassVar, Generic, TypeVar

import attrs

from selfcare._client.paging import DEFAULT_PAGE_SIZE, Page, check_page_size
from selfcare._errors import ValidationError
from selfcare._rules.encoding import check_operation_text

__all__ = ["Capability", "MutatingOperation", "Operation", "PagedOperation", "new_idempotency_key"]

R = TypeVar("R")
T = TypeVar("T")


class Capability:
    """Names of what a backend can do; ``sc.capabilities`` lists those it supports."""

    EXPENSES = "expenses"
    CALLS = "calls"
    ACCOUNT = "account"
    BILLS = "bills"
    PAYMENTS = "payments"
    PAYMENT_CARDS = "payment_cards"
    AUTOPAY = "autopay"
    """Automatic top-ups when the balance runs low (``sc.payments.set_autopay``)."""
    MESSAGES = "messages"
    CONTACTS = "contacts"
    FORWARDING = "forwarding"
    SERVICES = "services"
    LOGINS = "logins"
    """The subscriber's own history: sign-ins and the operation log."""
    COMPLAINTS = "complaints"
    EVENTS = "events"
    """What happened on the line: ``sc.events.list()`` and ``sc.events.stream()``."""
    ALERTS = "alerts"
    """Alerts the subscriber sets (low balance, bill due, spending): ``sc.alerts``."""
    WEBHOOKS = "webhooks"
    """Events pushed to the subscriber's URLs, signed: ``sc.webhooks``."""
    SIGN_IN = "sign_in"
    """Signing in with a password or a one-time code, refreshing and ending sessions."""
    LINES = "lines"
    """Many lines under one login: listing them and acting on one (``sc.line(number)``)."""


class Operation(Generic[R]):
    """A request a :class:`~selfcare.backends.Backend` executes, returning ``R``.

    Subclasses are ``@attrs.frozen`` and say which ``result`` type they return and which
    ``capability`` they belong to, so backends, the wire codec and the route table can all be
    generic over operations.
    """

    __slots__ = ()
    __attrs_attrs__: ClassVar[Any]  # every concrete operation is an attrs class
    result: ClassVar[Any]
    capability: ClassVar[str]
    idempotent: ClassVar[bool] = True
    """Safe to repeat; non-idempotent operations carry an ``idempotency_key`` field."""
    rate_limit: ClassVar[str | None] = None
    line_scoped: ClassVar[bool] = True
    """Acts on one line (the login's own, or the one ``sc.line(number)`` names); ``False``
    for what belongs to the login itself (its lines, its session)."""
    """The operator's rate-limit bucket this operation draws on (``sends``, ``card_attempts``)."""

    @classmethod
    def operation_name(cls) -> str:
        """The name in operation logs and docs: ``SendSms`` → ``send_sms``."""
        return re.sub(r"(?<!^)(?=[A-Z])", "_", cls.__name__).lower()

    def __attrs_post_init__(self) -> None:
        # Every str an operation carries must be encodable (no lone surrogates), so every
        # backend refuses the same text the same way before anything is sent or stored.
        check_operation_text(self)


def _limit_validator(instance: Any, attribute: Any, value: Any) -> None:
    check_page_size(value)


@attrs.frozen
class PagedOperation(Operation[Page[T]]):
    """An operation that lists records newest first, a page at a time."""

    limit: int = attrs.field(default=DEFAULT_PAGE_SIZE, validator=_limit_validator, kw_only=True)
    cursor: str | None = attrs.field(default=None, kw_only=True)


_KEY = re.compile(r"[A-Za-z0-9._:-]{8,255}")


def new_idempotency_key() -> str:
    """A fresh random idempotency key."""
    return str(uuid.uuid4())


def _key_or_new(value: str | None) -> str:
    """The caller's key, or a fresh one for ``None`` (so areas pass theirs straight through)."""
    return new_idempotency_key() if value is None else value


def _key_validator(instance: Any, attribute: Any, value: Any) -> None:
    if type(value) is not str or not _KEY.fullmatch(value):
        raise ValidationError(
            f"idempotency_key={value!r} must be 8–255 characters of letters, digits and ._:-",
            field="idempotency_key",
        )


@attrs.frozen
class MutatingOperation(Operation[R]):
    """An operation that changes something (sends, pays, switches).

    It carries an ``idempotency_key``, generated when not given (or given as ``None``), so a
    retried request is performed once: backends remember each key's result for 24 hours.
    """

    idempotent = False
    idempotency_key: str = attrs.field(
        factory=new_idempotency_key, converter=_key_or_new, validator=_key_validator, kw_only=True
    )
