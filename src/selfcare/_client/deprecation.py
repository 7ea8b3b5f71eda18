"""Old public names kept working for a while, each with a DeprecationWarning naming the new one.

Every alias is listed in CHANGELOG.md under the release that renamed it.
"""

from __future__ import annotations

import warnings
from typing import Any, TypeVar

__all__ = ["renamed_argument", "renamed_attributes"]

T = TypeVar("T")


def renamed_argument(old: str, new: str, old_value: T, new_value: T) -> T:
    """The value of argument ``new``, from ``old`` (warning) if only that is given."""
    if old_value is None:  # ``None`` means "not given" for both
        return new_value
    if new_value is not None:
        raise TypeError(f"give {new}= only ({old}= is its deprecated old name)")
    warnings.warn(
        f"the argument {old}= is deprecated; call it {new}=", DeprecationWarning, stacklevel=3
    )
    return old_value


def renamed_attributes(namespace: dict[str, Any], renames: dict[str, str]) -> Any:
    """A module ``__getattr__`` that serves each old name in ``renames`` as its new one, warning."""

    def __getattr__(name: str) -> Any:
        if name not in renames:
            raise AttributeError(f"module {namespace['__name__']!r} has no attribute {name!r}")
        new = renames[name]
        warnings.warn(
            f"{namespace['__name__']}.{name} is deprecated; use {new}",
            DeprecationWarning,
            stacklevel=2,
        )
        return namespace[new]

    return __getattr__
