"""The OpenAPI 3.1 document of the selfcare protocol, generated from the route table."""

from __future__ import annotations

import typing
from datetime import datetime
from typing import Any

import msgspec

from selfcare._errors import PROBLEM_PREFIX, problem_classes
from selfcare._secret import Secret
from selfcare._version import __version__
from selfcare.model import PhoneNumber
from selfcare.protocol._routes import LINE_HEADER, ROUTES, Route

__all__ = ["openapi_document"]

_REF = "#/components/schemas/{name}"
_E164 = {"type": "string", "pattern": r"^\+[1-9][0-9]{6,14}$", "examples": ["+79161234567"]}


def _schema_hook(kind: type) -> dict[str, Any]:
    if kind is PhoneNumber:
        return dict(_E164)
    if kind is Secret:
        return {"type": "string", "format": "password", "writeOnly": True}
    raise NotImplementedError


_PROBLEM = {
    "type": "object",
    "description": "An RFC 9457 problem document; `type` names exactly one selfcare error.",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string", "enum": sorted(PROBLEM_PREFIX + s for s in problem_classes())},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "field": {"type": "string", "description": "The request field that was wrong."},
        "retry_after": {"type": "number", "description": "Seconds to wait (429 only)."},
    },
}


def openapi_document() -> dict[str, Any]:
    """The whole OpenAPI 3.1 document."""
    ops = [route.op for route in ROUTES]
    results = [route.op.result for route in ROUTES]
    schemas, components = msgspec.json.schema_components(
        [*ops, *results],
        schema_hook=_schema_hook,
        ref_template=_REF,
    )
    result_schemas = schemas[len(ops) :]
    components["Problem"] = _PROBLEM
    _secrets_are_read_only_in_results(components, [route.op.result for route in ROUTES])
    paths: dict[str, Any] = {}
    for route, result_schema in zip(ROUTES, result_schemas, strict=True):
        paths.setdefault(route.path, {})[route.method.lower()] = _operation(
            route, components[route.op.__name__], result_schema
        )
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "selfcare protocol",
            "version": __version__,
            "description": (
                "Mobile-subscriber self-service. Times are RFC 3339 in UTC, money is a "
                "decimal string with an ISO 4217 currency, phone numbers are E.164. Lists "
                "page with `limit` and an opaque `cursor`; each page gives `next_cursor`."
            ),
        },
        "servers": [{"url": "/"}],
        "security": [{"bearer": []}],
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }


def _secrets_are_read_only_in_results(components: dict[str, Any], results: list[Any]) -> None:
    """A secret the server hands out (a sign-in's tokens) is read-only, not write-only."""
    for result in results:
        schema = components.get(getattr(result, "__name__", ""), {})
        for prop in schema.get("properties", {}).values():
            if prop.get("writeOnly"):
                del prop["writeOnly"]
                prop["readOnly"] = True


def _field_schema(route: Route, name: str, generated: dict[str, Any]) -> dict[str, Any]:
    """A field's schema as a parameter: never null (an absent parameter is ``None``), and
    times as ``date-time`` (msgspec drops the format inside an optional)."""
    kind = typing.get_type_hints(route.op)[name]
    args = [arg for arg in typing.get_args(kind) if arg is not type(None)]
    if kind is datetime or args == [datetime]:
        return {"type": "string", "format": "date-time"}
    options: list[dict[str, Any]] = [
        option for option in generated.get("anyOf", []) if option != {"type": "null"}
    ]
    if len(options) == 1:
        return options[0]
    return {key: value for key, value in generated.items() if key != "default"}


def _operation(route: Route, op_schema: dict[str, Any], result: dict[str, Any]) -> dict[str, Any]:
    properties = {
        name: _field_schema(route, name, schema)
        for name, schema in op_schema.get("properties", {}).items()
    }
    required = set(op_schema.get("required", []))
    parameters = [
        {"name": name, "in": "path", "required": True, "schema": properties[name]}
        for name in route.path_fields
    ]
    for name in route.query_fields:
        schema = properties[name]
        parameters.append(
            {
                "name": name,
                "in": "query",
                "required": name in required,
                "schema": schema,
                **({"style": "form", "explode": True} if schema.get("type") == "array" else {}),
            }
        )
    if not route.op.idempotent:
        parameters.append(
            {
                "name": "Idempotency-Key",
                "in": "header",
                "required": False,
                "description": "Repeating a key within 24 h returns the first result.",
                "schema": {"type": "string", "pattern": "^[A-Za-z0-9._:-]{8,255}$"},
            }
        )
    if route.op.line_scoped and not route.public:
        parameters.append(
            {
                "name": LINE_HEADER,
                "in": "header",
                "required": False,
                "description": "The line (E.164) to act on, if not the login's own; a line "
                "the login may not see is 404 whether or not it exists.",
                "schema": {"type": "string", "pattern": r"^\+[1-9][0-9]{6,14}$"},
            }
        )
    problem = {"application/problem+json": {"schema": {"$ref": _REF.format(name="Problem")}}}
    doc: dict[str, Any] = {
        "operationId": route.name,
        "summary": route.summary or route.name,
        "parameters": parameters,
        "responses": {
            "200": {"description": "OK", "content": {"application/json": {"schema": result}}},
            "4XX": {"description": "The request was refused", "content": problem},
            "5XX": {"description": "The server failed", "content": problem},
        },
    }
    if route.public:
        doc["security"] = []
        doc["description"] = "Public: no bearer token (this is how a caller gets one)."
    if route.body_fields:
        body = {
            "type": "object",
            "additionalProperties": False,
            "properties": {name: properties[name] for name in route.body_fields},
            "required": sorted(required & set(route.body_fields)),
        }
        doc["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
    return doc
