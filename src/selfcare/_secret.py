"""A wrapper that keeps tokens, PINs and passwords out of reprs, logs and tracebacks."""

from __future__ import annotations

import hmac
from typing import Final

__all__ = ["Secret"]

_MASK: Final = "***"


class Secret:
    """A secret string: ``repr``/``str``/``format`` show ``***``; :meth:`reveal` gives the value.

    Equality is constant-time so a secret can be compared against a stored one safely.
    Secrets are not picklable and not hashable, to keep them from leaking into caches.
    """

    __slots__ = ("_value",)

    def __init__(self, value: str | Secret) -> None:
        if isinstance(value, Secret):
            value = value.reveal()
        if not isinstance(value, str):
            raise TypeError(f"a Secret wraps a str, not {type(value).__name__}")
        self._value = value

    def reveal(self) -> str:
        """The secret value itself. Call this only where the value is really sent."""
        return self._value

    def masked(self, keep_last: int = 0) -> str:
        """``***`` followed by at most ``keep_last`` trailing characters (for operation logs)."""
        if keep_last <= 0 or len(self._value) <= keep_last:
            return _MASK
        return _MASK + self._value[-keep_last:]

    def __len__(self) -> int:
        return len(self._value)

    def __bool__(self) -> bool:
        return bool(self._value)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Secret):
            other = other._value
        if not isinstance(other, str):
            return NotImplemented
        return hmac.compare_digest(self._value.encode(), other.encode())

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Secret('{_MASK}')"

    def __str__(self) -> str:
        return _MASK

    def __format__(self, spec: str) -> str:
        return _MASK

    def __reduce__(self) -> str:
        raise TypeError("a Secret cannot be pickled")

    def __copy__(self) -> Secret:
        return self  # immutable: a copy may share it, and nothing leaves the process

    def __deepcopy__(self, memo: object) -> Secret:
        return self
