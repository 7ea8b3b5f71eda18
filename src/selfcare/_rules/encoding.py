"""Text that can travel: every ``str`` an operation carries must be encodable as UTF-8.

A lone surrogate (``"\\ud800"``: half of a UTF-16 pair, or what ``surrogateescape`` makes of
undecodable bytes on a command line) is a valid Python ``str`` but cannot be encoded as UTF-8,
so no JSON request, vCard or CSV file could carry it. It is refused where the text is checked,
on every backend alike, naming the field and where the surrogate is (never echoing the text).
"""

from __future__ import annotations

import re
from typing import Any, Final

from selfcare._errors import ValidationError
from selfcare._secret import Secret

__all__ = ["check_encodable", "check_operation_text"]

_SURROGATE: Final = re.compile("[\ud800-\udfff]")


def check_encodable(value: str, field: str) -> str:
    """``value`` if UTF-8 can encode it; else a :class:`ValidationError` naming ``field``."""
    found = _SURROGATE.search(value)
    if found is not None:
        raise ValidationError(
            f"{field} contains a lone surrogate (U+{ord(found.group()):04X} at position "
            f"{found.start()}), which is not text and cannot be sent; was it decoded with the "
            "wrong encoding?",
            field=field,
        )
    return value


def _walk(value: Any, field: str) -> None:
    if isinstance(value, str):
        check_encodable(value, field)
    elif isinstance(value, Secret):
        check_encodable(value.reveal(), field)
    elif isinstance(value, tuple | list):
        for index, item in enumerate(value):
            _walk(item, f"{field}[{index}]")
    elif hasattr(type(value), "__attrs_attrs__"):
        for attribute in type(value).__attrs_attrs__:
            _walk(getattr(value, attribute.name), f"{field}.{attribute.name}")


def check_operation_text(operation: Any) -> None:
    """Every ``str`` anywhere in ``operation`` (nested records and tuples included) is
    encodable; the error names the field as ``contacts[2].name``."""
    for attribute in type(operation).__attrs_attrs__:
        _walk(getattr(operation, attribute.name), attribute.name)
