"""The Backend seam: the only door between selfcare's clients and the world."""

from __future__ import annotations

from typing import Protocol, TypeVar, runtime_checkable

from selfcare.operations import Operation

__all__ = ["AsyncBackend", "Backend"]

R = TypeVar("R")


@runtime_checkable
class Backend(Protocol):
    """Executes operations synchronously."""

    @property
    def capabilities(self) -> frozenset[str]:
        """The :class:`~selfcare.operations.Capability` names this backend supports."""
        ...

    def execute(self, op: Operation[R]) -> R:
        """Perform ``op`` and return its result, or raise a :class:`~selfcare.SelfcareError`."""
        ...

    def close(self) -> None:
        """Release connections and other resources."""
        ...


@runtime_checkable
class AsyncBackend(Protocol):
    """Executes operations asynchronously."""

    @property
    def capabilities(self) -> frozenset[str]:
        """The :class:`~selfcare.operations.Capability` names this backend supports."""
        ...

    async def execute(self, op: Operation[R]) -> R:
        """Perform ``op`` and return its result, or raise a :class:`~selfcare.SelfcareError`."""
        ...

    async def aclose(self) -> None:
        """Release connections and other resources."""
        ...
