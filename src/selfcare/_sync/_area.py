# Generated from selfcare/_async/_area.py by scripts/unasync.py. Do not edit.
"""What every area client shares: a handle on the client that owns it."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from selfcare._sync._client import Selfcare

__all__ = ["Area"]


class Area:
    """An area of the API (expenses, calls, …) reached through its owning client."""

    def __init__(self, client: Selfcare) -> None:
        self._client = client

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"
