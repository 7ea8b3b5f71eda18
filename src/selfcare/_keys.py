"""Passing a caller's idempotency key on to an operation, or letting the operation make one."""

from __future__ import annotations

from selfcare.operations import new_idempotency_key

__all__ = ["key_or_new"]


def key_or_new(idempotency_key: str | None) -> str:
    """The caller's key, or a fresh one when they gave none (the operation validates it)."""
    return new_idempotency_key() if idempotency_key is None else idempotency_key
