"""The subscriber's own history: the operations they performed and how each ended."""

from __future__ import annotations

import enum

import attrs

from selfcare._time import Instant
from selfcare.model._repr import compact_repr

__all__ = ["OperationRecord", "OperationStatus"]


class OperationStatus(enum.StrEnum):
    """How an operation ended."""

    DONE = "done"
    FAILED = "failed"
    PENDING = "pending"


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
    parameters: tuple[tuple[str, str], ...]
    status: OperationStatus
    reason: str | None = None
