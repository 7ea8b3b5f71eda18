"""The official TM Forum v4 specs as JSON Schema: validate what TmfBackend sends and what the
TMF face serves against the definitions of the operation it is for."""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import Any

import jsonschema

from selfcare.tmf import STANDARD_ROOTS

SPEC_DIR = Path("/work/shared/reference/tmf")
SPEC_FILES = {
    "usage": "usage-management.json",
    "account": "account.json",
    "bill": "customer-bill-management.json",
    "catalog": "product-catalog.json",
    "inventory": "product-inventory.json",
    "ordering": "product-ordering-management.json",
    "payment": "payment-management.json",
    "prepay": "prepay-balance-management.json",
    "communication": "communication-management.json",
    "troubleTicket": "trouble-ticket.json",
}


@functools.cache
def spec(api: str) -> dict[str, Any]:
    return json.loads((SPEC_DIR / SPEC_FILES[api]).read_text())


def split(path: str) -> tuple[str, str] | None:
    """``(api, path under its root)`` of a request path on the TMF face, or ``None``."""
    for api, root in STANDARD_ROOTS.items():
        if path.startswith(root + "/"):
            return api, path[len(root) :]
    return None


@functools.cache
def _templates(api: str) -> list[tuple[re.Pattern[str], str]]:
    return [
        (re.compile("^" + re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(p)) + "$"), p)
        for p in spec(api)["paths"]
    ]


def operation(api: str, method: str, path: str) -> dict[str, Any]:
    """The spec's operation object for a concrete request path."""
    for pattern, template in _templates(api):
        if pattern.match(path):
            return spec(api)["paths"][template][method.lower()]
    raise LookupError(f"{api} spec has no path matching {path!r}")


def _validator(api: str, schema: dict[str, Any]) -> jsonschema.Draft4Validator:
    wrapped = {**schema, "definitions": spec(api)["definitions"]}
    return jsonschema.Draft4Validator(wrapped, format_checker=jsonschema.FormatChecker())


def _errors(api: str, schema: dict[str, Any], document: Any, partial: bool = False) -> list[str]:
    """Where ``document`` breaks ``schema``; ``partial``: a ``fields`` selection, which leaves
    out attributes by design (so missing required ones are not errors)."""
    return [
        f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message[:200]}"
        for e in _validator(api, schema).iter_errors(document)
        if not (partial and e.validator == "required")
    ]


def request_errors(api: str, method: str, path: str, body: Any) -> list[str]:
    """What is wrong with a request body for this operation (``[]`` if it validates)."""
    for param in operation(api, method, path).get("parameters", []):
        if param.get("in") == "body":
            return _errors(api, param["schema"], body)
    return [] if body is None else ["the operation takes no body"]


def response_errors(
    api: str, method: str, path: str, status: int, body: Any, partial: bool = False
) -> list[str]:
    """What is wrong with a response for this operation (undeclared statuses included);
    ``partial`` for the answer to a ``fields`` selection."""
    responses = operation(api, method, path)["responses"]
    declared = responses.get(str(status)) or responses.get("default")
    if declared is None and status in (429, 503):  # HTTP back-off, which TMF does not list
        declared = {"schema": {"$ref": "#/definitions/Error"}}
    if declared is None:
        return [f"status {status} is not declared (declared: {sorted(responses)})"]
    if "schema" not in declared:
        return [] if not body else [f"status {status} declares no body"]
    return _errors(api, declared["schema"], body, partial and status < 300)
