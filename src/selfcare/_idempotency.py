"""Putting a caller's idempotency key on an operation (the op's validator checks it)."""

from __future__ import annotations

from typing import Any, TypeVar

import attrs

from selfcare.operations import MutatingOperation

__all__ = ["keyed"]

M = TypeVar("M", bound=MutatingOperation[Any])


def keyed(op: M, key: str | None) -> M:
    """``op`` with ``key`` as its idempotency key, or unchanged (a generated key) for ``None``."""
    return op if key is None else attrs.evolve(op, idempotency_key=key)
