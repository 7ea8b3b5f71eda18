"""Errors on the wire: RFC 9457 ``application/problem+json`` documents, both directions."""

from __future__ import annotations

from datetime import timedelta
from http import HTTPStatus
from typing import Any

import msgspec

from selfcare._errors import (
    APIError,
    RateLimited,
    SelfcareError,
    clipped,
    error_class_for_problem,
)

__all__ = ["PROBLEM_JSON", "error_from_problem", "problem_body"]

PROBLEM_JSON = "application/problem+json"


def problem_body(exc: SelfcareError) -> dict[str, Any]:
    """The problem document of ``exc`` (``type`` names exactly its class)."""
    body: dict[str, Any] = {
        "type": exc.problem_type,
        "title": HTTPStatus(exc.status).phrase,
        "status": exc.status,
        "detail": exc.message,
    }
    if exc.field is not None:
        body["field"] = exc.field
    if isinstance(exc, RateLimited) and exc.retry_after is not None:
        body["retry_after"] = exc.retry_after.total_seconds()
    return body


def error_from_problem(status: int, content: bytes) -> SelfcareError:
    """The exception a problem document describes (``APIError`` when it is not one)."""
    try:
        doc = msgspec.json.decode(content)
    except msgspec.DecodeError:
        doc = None
    if not isinstance(doc, dict) or not isinstance(doc.get("type"), str):
        text = content[:200].decode("utf-8", "replace")
        return APIError(f"the server answered {status} without a problem document: {text!r}")
    cls = error_class_for_problem(doc["type"])
    detail = str(doc.get("detail") or doc.get("title") or f"HTTP {status}")
    field = doc.get("field") if isinstance(doc.get("field"), str) else None
    if issubclass(cls, RateLimited):
        seconds = doc.get("retry_after")
        retry = timedelta(seconds=seconds) if isinstance(seconds, int | float) else None
        error: SelfcareError = cls(detail, retry_after=retry, field=field)
    else:
        error = cls(detail, field=field)
    error.type = clipped(doc["type"]) or error.type
    return error
