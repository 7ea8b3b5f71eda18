"""The official TM Forum specs as JSON Schema: validate what TmfBackend sends and what the
TMF face serves against the definitions of the operation it is for.

v4 files are Swagger 2.0 JSON (``definitions``, body parameters); the v5 files are OpenAPI
3.0.1 YAML (``components/schemas``, ``requestBody`` per media type), whose polymorphism is an
OpenAPI ``discriminator`` on ``@type``: JSON Schema has no such keyword, so :func:`_resolved`
rewrites each discriminated schema into ``if @type is X then X's schema`` (an unknown
``@type`` falls back to the schema's ``oneOf`` branches, as anyOf), and ``nullable`` into a
``null`` type."""

from __future__ import annotations

import copy
import functools
import json
import re
from pathlib import Path
from typing import Any

import jsonschema_rs
import yaml

from selfcare.tmf import STANDARD_ROOTS, V5_ROOTS

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
V5_SPEC_FILES = {
    "account": "v5/account.yaml",
    "bill": "v5/customer-bill-management.yaml",
    "catalog": "v5/product-catalog.yaml",
    "inventory": "v5/product-inventory.yaml",
    "ordering": "v5/product-ordering-management.yaml",
    "troubleTicket": "v5/trouble-ticket.yaml",
}
_SCHEMAS = "#/components/schemas/"


def spec_file(api: str, version: int = 4) -> Path:
    return SPEC_DIR / (V5_SPEC_FILES if version == 5 else SPEC_FILES)[api]


@functools.cache
def spec(api: str, version: int = 4) -> dict[str, Any]:
    if version == 5:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        return _resolved(yaml.load(spec_file(api, 5).read_text(), Loader=loader))
    return json.loads(spec_file(api).read_text())  # type: ignore[no-any-return]


def _nullable(node: Any) -> Any:
    if isinstance(node, dict):
        node = {k: _nullable(v) for k, v in node.items()}
        if node.pop("nullable", False) and isinstance(node.get("type"), str):
            node["type"] = [node["type"], "null"]
        return node
    if isinstance(node, list):
        return [_nullable(v) for v in node]
    return node


def _resolved(document: dict[str, Any]) -> dict[str, Any]:
    """The v5 document with discriminators as JSON Schema conditionals (see the module)."""
    document = _nullable(copy.deepcopy(document))
    schemas: dict[str, Any] = document["components"]["schemas"]
    discriminated = {n for n, s in schemas.items() if "discriminator" in s}
    for name in discriminated:
        schemas[name + "__base"] = {
            k: v for k, v in schemas[name].items() if k not in ("discriminator", "oneOf")
        }
    # subtypes inherit from the base (allOf), so the dispatch below never recurses
    for schema in list(schemas.values()):
        for part in schema.get("allOf", []):
            ref = part.get("$ref", "")
            if ref.startswith(_SCHEMAS) and ref[len(_SCHEMAS) :] in discriminated:
                part["$ref"] = ref + "__base"
    for name in discriminated:
        original = schemas[name]
        prop = original["discriminator"]["propertyName"]
        mapping = original["discriminator"].get("mapping", {})
        branches: list[Any] = [{"$ref": _SCHEMAS + name + "__base"}]
        for value, ref in mapping.items():
            if ref == _SCHEMAS + name:
                continue
            branches.append(
                {
                    "if": {"properties": {prop: {"const": value}}, "required": [prop]},
                    "then": {"$ref": ref},
                }
            )
        if "oneOf" in original:
            branches.append(
                {
                    "if": {"properties": {prop: {"enum": sorted(mapping)}}, "required": [prop]},
                    "else": {"anyOf": original["oneOf"]},
                }
            )
        schemas[name] = {"allOf": branches}
    return document


def split(path: str) -> tuple[str, int, str] | None:
    """``(api, version, path under its root)`` of a request path on the TMF face, or ``None``."""
    for version, roots in ((5, V5_ROOTS), (4, STANDARD_ROOTS)):
        for api, root in roots.items():
            if path.startswith(root + "/"):
                return api, version, path[len(root) :]
    return None


@functools.cache
def _templates(api: str, version: int) -> list[tuple[re.Pattern[str], str]]:
    return [
        (re.compile("^" + re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(p)) + "$"), p)
        for p in spec(api, version)["paths"]
    ]


def operation(api: str, method: str, path: str, version: int = 4) -> dict[str, Any]:
    """The spec's operation object for a concrete request path."""
    for pattern, template in _templates(api, version):
        if pattern.match(path) and method.lower() in spec(api, version)["paths"][template]:
            return spec(api, version)["paths"][template][method.lower()]  # type: ignore[no-any-return]
    raise LookupError(f"{api} v{version} spec has no {method} matching {path!r}")


@functools.cache
def _compiled(api: str, version: int, schema: str) -> Any:
    """One compiled validator per schema (``schema`` as canonical JSON, to be hashable):
    jsonschema_rs, about twenty times faster than ``jsonschema`` on a page of usage records,
    which made the checked TMF face the slowest part of the contract suite."""
    if version == 5:
        wrapped = {**json.loads(schema), "components": spec(api, 5)["components"]}
        return jsonschema_rs.Draft7Validator(wrapped, validate_formats=True)
    wrapped = {**json.loads(schema), "definitions": spec(api)["definitions"]}
    return jsonschema_rs.Draft4Validator(wrapped, validate_formats=True)


def _errors(
    api: str, schema: dict[str, Any], document: Any, partial: bool = False, version: int = 4
) -> list[str]:
    """Where ``document`` breaks ``schema``; ``partial``: a ``fields`` selection, which leaves
    out attributes by design (so missing required ones are not errors)."""
    validator = _compiled(api, version, json.dumps(schema, sort_keys=True))
    return [
        f"{'/'.join(map(str, e.instance_path)) or '<root>'}: {e.message[:200]}"
        for e in validator.iter_errors(document)
        if not (partial and isinstance(e.kind, jsonschema_rs.ValidationErrorKind.Required))
    ]


def _deref(api: str, node: dict[str, Any], version: int) -> dict[str, Any]:
    """A v5 ``$ref`` to ``#/components/<kind>/<name>`` (responses, requestBodies) followed."""
    while "$ref" in node:
        _, _, kind, name = node["$ref"].split("/")
        node = spec(api, version)["components"][kind][name]
    return node


def request_errors(
    api: str,
    method: str,
    path: str,
    body: Any,
    version: int = 4,
    media_type: str = "application/json",
) -> list[str]:
    """What is wrong with a request body for this operation (``[]`` if it validates)."""
    op = operation(api, method, path, version)
    if version == 5:
        if "requestBody" not in op:
            return [] if body is None else ["the operation takes no body"]
        content = _deref(api, op["requestBody"], 5)["content"]
        declared = content.get(media_type.split(";")[0].strip())
        if declared is None:
            return [f"media type {media_type!r} is not declared (declared: {sorted(content)})"]
        return _errors(api, declared["schema"], body, version=5)
    for param in op.get("parameters", []):
        if param.get("in") == "body":
            return _errors(api, param["schema"], body)
    return [] if body is None else ["the operation takes no body"]


def response_errors(
    api: str,
    method: str,
    path: str,
    status: int,
    body: Any,
    partial: bool = False,
    version: int = 4,
) -> list[str]:
    """What is wrong with a response for this operation (undeclared statuses included);
    ``partial`` for the answer to a ``fields`` selection."""
    responses = operation(api, method, path, version)["responses"]
    declared = responses.get(str(status)) or responses.get("default")
    error_ref = _SCHEMAS + "Error" if version == 5 else "#/definitions/Error"
    if declared is None and status in (429, 503):  # HTTP back-off, which TMF v4 does not list
        declared = {"schema": {"$ref": error_ref}}
    if declared is None:
        return [f"status {status} is not declared (declared: {sorted(responses)})"]
    if version == 5:
        declared = _deref(api, declared, 5)
        content = declared.get("content", {}).get("application/json")
        if content is None:
            return [] if not body else [f"status {status} declares no body"]
        return _errors(api, content["schema"], body, partial and status < 300, 5)
    if "schema" not in declared:
        return [] if not body else [f"status {status} declares no body"]
    return _errors(api, declared["schema"], body, partial and status < 300)


_ENVELOPE_FROM = ("payment", "PaymentCreateEvent")
"""The v4 file whose event envelope stands for the APIs whose files define none."""


def listener_errors(
    api: str, listener: str, resource: str, body: Any, version: int = 4
) -> list[str]:
    """What is wrong with a notification a hub POSTs to ``listener`` (``/listener/…Event``):
    validated as the request body of the spec's listener operation. TMF678 and TMF681 v4
    files define no listener and no event: there the envelope is checked against the common
    v4 envelope (the attributes of every v4 file's ``*Event``, taken from TMF676's) with
    ``event.<resource>`` against the API's own resource definition."""
    try:
        operation(api, "POST", listener, version)
    except LookupError:
        if version == 5:
            raise
    else:
        return request_errors(api, "POST", listener, body, version)
    source, name = _ENVELOPE_FROM
    common = {k: v for k, v in spec(source)["definitions"][name]["properties"].items()}
    definition = resource[0].upper() + resource[1:]
    if definition not in spec(api)["definitions"]:
        raise LookupError(f"{api} v4 defines no {definition}")
    common["event"] = {
        "type": "object",
        "properties": {resource: {"$ref": f"#/definitions/{definition}"}},
        "required": [resource],
    }
    schema = {
        "type": "object",
        "properties": common,
        "required": ["eventId", "eventTime", "eventType", "event"],
    }
    return _errors(api, schema, body)
