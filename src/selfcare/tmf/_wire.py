"""TM Forum on the wire: JSON with money as numbers read back as Decimals, TMF errors, and
offset paging behind selfcare's opaque cursors."""

from __future__ import annotations

import base64
import binascii
from datetime import timedelta
from decimal import Decimal
from typing import Any

import msgspec

from selfcare._errors import (
    APIError,
    AuthenticationError,
    Conflict,
    NotFound,
    RateLimited,
    SelfcareError,
    ValidationError,
    clipped,
    error_class_for_problem,
)
from selfcare.protocol._retry import parse_retry_after

__all__ = [
    "decode_json",
    "decode_offset",
    "encode_json",
    "encode_offset",
    "error_from_tmf",
    "tmf_error_body",
]

_ENCODER = msgspec.json.Encoder(decimal_format="number")
_DECODER = msgspec.json.Decoder(float_hook=Decimal)


def encode_json(document: Any) -> bytes:
    """JSON with Decimals as plain numbers (TMF Money ``value`` is a JSON number)."""
    return _ENCODER.encode(document)


def decode_json(content: bytes, what: str) -> Any:
    """JSON with every non-integer number as a Decimal, so money never passes through float."""
    try:
        return _DECODER.decode(content)
    except msgspec.DecodeError:
        raise APIError(f"the answer to {what} is not JSON: {content[:120]!r}") from None


_PREFIX = "tmf-offset:"


def encode_offset(offset: int) -> str:
    """The opaque cursor of the page starting at ``offset``."""
    return base64.urlsafe_b64encode(f"{_PREFIX}{offset}".encode()).decode().rstrip("=")


def decode_offset(cursor: str | None) -> int:
    """The offset inside a cursor from :func:`encode_offset` (0 for the first page)."""
    if cursor is None:
        return 0
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        if raw.startswith(_PREFIX) and raw[len(_PREFIX) :].isdigit():
            return int(raw[len(_PREFIX) :])
    except (binascii.Error, UnicodeDecodeError, ValueError):
        pass
    raise ValidationError(f"cursor {cursor!r} is not one this API issued", field="cursor")


_BY_STATUS: dict[int, type[SelfcareError]] = {
    400: ValidationError,
    401: AuthenticationError,
    403: AuthenticationError,
    404: NotFound,
    409: Conflict,
    422: ValidationError,
    429: RateLimited,
}


def tmf_error_body(exc: SelfcareError) -> dict[str, Any]:
    """A TMF ``Error`` for ``exc``; ``referenceError`` names the exact selfcare problem."""
    body: dict[str, Any] = {
        "code": exc.problem,
        "reason": type(exc).__name__,
        "message": exc.message,
        "status": str(exc.status),
        "referenceError": exc.problem_type,
        "@type": "Error",
    }
    if exc.field is not None:
        body["field"] = exc.field  # an extension: which input the error is about
    return body


def error_from_tmf(status: int, content: bytes, headers: Any) -> SelfcareError:
    """The selfcare error a TMF error answer stands for: by ``referenceError`` when it is a
    selfcare problem type, else by the HTTP status."""
    try:
        doc = msgspec.json.decode(content)
    except msgspec.DecodeError:
        doc = None
    if not isinstance(doc, dict):
        text = content[:200].decode("utf-8", "replace")
        return APIError(f"the TMF server answered {status}: {text!r}")
    message = str(doc.get("message") or doc.get("reason") or f"HTTP {status}")
    reference = doc.get("referenceError")
    cls = (
        error_class_for_problem(reference)
        if isinstance(reference, str) and reference.startswith("urn:selfcare:")
        else _BY_STATUS.get(status, APIError)
    )
    error: SelfcareError
    if issubclass(cls, RateLimited):
        seconds = parse_retry_after(headers.get("retry-after"))
        error = cls(message, retry_after=None if seconds is None else timedelta(seconds=seconds))
    else:
        field = doc.get("field") if isinstance(doc.get("field"), str) else None
        error = cls(message, field=field)
    if isinstance(reference, str) and reference:
        error.type = clipped(reference) or error.type  # the selfcare URN, or the operator's
    return error
