"""Public names that load their module on first use (PEP 562).

A package lists them in a table, imports them again under ``TYPE_CHECKING`` (so mypy and
IDEs see them as ordinary imports) and defines::

    def __getattr__(name: str) -> Any:
        return _lazy.attribute(globals(), _LAZY, name)

``tests/test_packaging.py`` checks that ``import selfcare`` leaves the heavy parts unloaded.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any

__all__ = ["attribute", "names"]


def attribute(namespace: dict[str, Any], table: Mapping[str, str], name: str) -> Any:
    """``name`` from the module ``table`` maps it to, kept in ``namespace`` from then on."""
    module = table.get(name)
    if module is None:
        raise AttributeError(f"module {namespace['__name__']!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    namespace[name] = value  # the module's own attribute now: __getattr__ is not asked again
    return value


def names(namespace: dict[str, Any], table: Mapping[str, str]) -> list[str]:
    """What ``dir()`` of the module shows: its attributes and the names not loaded yet."""
    return sorted({*namespace, *table})
