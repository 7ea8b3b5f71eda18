"""Backends: where operations are executed."""

from selfcare.backends._base import AsyncBackend, Backend
from selfcare.backends.fake import AsyncFakeBackend, FakeBackend, FakeOperator

__all__ = ["AsyncBackend", "AsyncFakeBackend", "Backend", "FakeBackend", "FakeOperator"]
