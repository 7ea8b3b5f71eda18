"""The OpenAPI 3.1 document of the selfcare protocol, generated from the route table.

Everything in it follows from the route table and the models: one operation per route, tagged
with its area (the operation's capability), its summary from the route and its description
from the operation's docstring; request bodies and results as components; the problem
responses each route can give (those of its shape, plus the route's own ``errors``); an
example for every request body and every answer, built from the schemas. The document passes
Spectral's ``spectral:oas`` ruleset and ``openapi-spec-validator`` (tests/protocol).
"""

from __future__ import annotations

import inspect
import re
import typing
from datetime import datetime
from http import HTTPStatus
from typing import Any

import msgspec

from selfcare._errors import (
    PROBLEM_PREFIX,
    AuthenticationError,
    IdempotencyKeyReused,
    NotFound,
    NotSupported,
    RequestInProgress,
    SelfcareError,
    TokenExpired,
    ValidationError,
    problem_classes,
)
from selfcare._secret import Secret
from selfcare._version import __version__
from selfcare.model import PhoneNumber
from selfcare.model.events import EVENT_DATA
from selfcare.operations import (
    ActivateCard,
    AddListMembers,
    Capability,
    ChangeTariff,
    ConnectService,
    CreateWebhook,
    Operation,
    Pay,
    RemoveListMembers,
    SetAlerts,
    SetAutopay,
    SetForwarding,
    SignInWithCode,
    SignInWithPassword,
)
from selfcare.protocol._events import wire_type
from selfcare.protocol._routes import LINE_HEADER, ROUTES, Route

__all__ = ["openapi_document", "route_errors"]

_REF = "#/components/schemas/{name}"
_E164 = {"type": "string", "pattern": r"^\+[1-9][0-9]{6,14}$", "examples": ["+79161234567"]}
DEFAULT_SERVER = "http://127.0.0.1:8080"
"""Where ``selfcare serve`` listens unless told otherwise."""

_TAGS = {
    Capability.SIGN_IN: "Signing in with a password or a one-time code; sessions.",
    Capability.ACCOUNT: "The subscriber's account and balance.",
    Capability.BILLS: "Bills and what is left to pay.",
    Capability.EXPENSES: "The detailed bill: every charge and credit.",
    Capability.CALLS: "The call log, with missed calls.",
    Capability.PAYMENTS: "Payments from a bank card or wallet.",
    Capability.PAYMENT_CARDS: "Prepaid payment cards, credited by their PIN.",
    Capability.AUTOPAY: "Automatic top-ups when the balance runs low.",
    Capability.MESSAGES: "SMS and MMS: sending, delivery, cancelling.",
    Capability.CONTACTS: "The phonebook kept on the server and its mailing lists.",
    Capability.FORWARDING: "Call forwarding to a number or to voicemail.",
    Capability.SERVICES: "The tariff plan and connected options.",
    Capability.LOGINS: "The subscriber's own history: sign-ins and the operation log.",
    Capability.COMPLAINTS: "Complaints and their notes.",
    Capability.EVENTS: "What happened on the line: the event log and its live stream.",
    Capability.ALERTS: "Alerts the subscriber sets: low balance, bills due, spending.",
    Capability.WEBHOOKS: "URLs the line's events are POSTed to, signed per Standard Webhooks.",
    Capability.LINES: "The lines a login may see: families and company fleets.",
}

_EXAMPLE_TIME = "2026-03-01T09:30:00Z"
_EXAMPLE_FORMATS = {
    "date-time": _EXAMPLE_TIME,
    "date": "2026-03-01",
    "duration": "P1D",
    "decimal": "12.50",
    "password": "s3cret-value",
    "uri": "https://example.com/",
    "email": "anna@example.com",
}


_NUMBER = "+79161234567"
_RUB = {"amount": "500.00", "currency": "RUB"}
_CARD = {"kind": "card", "reference": "tok_4242424242424242"}
_REQUEST_EXAMPLES: dict[type[Operation[Any]], dict[str, Any]] = {
    # the bodies whose rules go beyond what the schema says (a PIN's length, one of two)
    SignInWithPassword: {"number": _NUMBER, "password": "demo-password-1"},
    SignInWithCode: {"number": _NUMBER, "code": "123456"},
    Pay: {"amount": _RUB, "method": _CARD},
    ActivateCard: {"pin": "12345678901234"},
    SetAutopay: {
        "threshold": {"amount": "100.00", "currency": "RUB"},
        "amount": _RUB,
        "method": _CARD,
    },
    AddListMembers: {"members": [{"number": _NUMBER}]},
    RemoveListMembers: {"members": [{"number": _NUMBER}]},
    SetForwarding: {"number": _NUMBER},
    ConnectService: {"code": "internet-5gb"},
    ChangeTariff: {"code": "smart"},
    SetAlerts: {"balance_below": {"amount": "100.00", "currency": "RUB"}},
    CreateWebhook: {"url": "https://example.com/hooks/selfcare", "types": ["payment.succeeded"]},
}
"""Request examples written by hand, where the schema alone cannot make a valid one."""


def _schema_hook(kind: type) -> dict[str, Any]:
    if kind is PhoneNumber:
        return dict(_E164)
    if kind is Secret:
        return {"type": "string", "format": "password", "writeOnly": True}
    raise NotImplementedError


def _markdown(text: str) -> str:
    """A docstring as CommonMark: ``code`` in single backticks, Sphinx roles as their name."""
    text = inspect.cleandoc(text)
    text = re.sub(r":\w+:`~?(?:[\w.]+\.)?([\w]+)`", r"`\1`", text)
    return text.replace("``", "`")


def _problem_schema() -> dict[str, Any]:
    return {
        "type": "object",
        "description": "An RFC 9457 problem document; `type` names exactly one selfcare error.",
        "required": ["type", "title", "status"],
        "properties": {
            "type": {
                "type": "string",
                "enum": sorted(PROBLEM_PREFIX + s for s in problem_classes()),
            },
            "title": {"type": "string"},
            "status": {"type": "integer"},
            "detail": {"type": "string"},
            "field": {"type": "string", "description": "The request field that was wrong."},
            "retry_after": {"type": "number", "description": "Seconds to wait (429 only)."},
        },
        "example": {
            "type": PROBLEM_PREFIX + ValidationError.problem,
            "title": "Unprocessable Content",
            "status": 422,
            "detail": "limit=0: the page size must be between 1 and 1000",
            "field": "limit",
        },
    }


def _body_limit() -> list[type[SelfcareError]]:
    """The reference server's 413 (its limit lives with the server, which needs starlette)."""
    try:
        from selfcare.server._limits import BodyTooLarge
    except ImportError:  # pragma: no cover - without the server extra there is no server
        return []
    return [BodyTooLarge]


def route_errors(route: Route) -> tuple[type[SelfcareError], ...]:
    """Every error ``route`` can answer with: those of its shape, then its own.

    Every route can refuse what it was sent (422) and may be one the backend behind the
    server does not offer (501); a route with a token can meet a bad or expired one (401);
    a path naming a record can name none (404); a change can reuse an idempotency key (409);
    a body can be too large (413).
    """
    found: list[type[SelfcareError]] = [ValidationError]
    if not route.public:
        found += [AuthenticationError, TokenExpired]
    if route.path_fields:
        found.append(NotFound)
    if not route.op.idempotent:
        found += [IdempotencyKeyReused, RequestInProgress]
    if route.method != "GET":
        found += _body_limit()
    found += [*route.errors, NotSupported]
    return tuple(dict.fromkeys(found))


def openapi_document(server_url: str = DEFAULT_SERVER) -> dict[str, Any]:
    """The whole OpenAPI 3.1 document; ``server_url`` is the one server it names."""
    ops = [route.op for route in ROUTES]
    results = [wire_type(route.op.result) for route in ROUTES]
    data = sorted(set(EVENT_DATA.values()), key=lambda kind: kind.__name__)
    schemas, components = msgspec.json.schema_components(
        [*ops, *results, *data],
        schema_hook=_schema_hook,
        ref_template=_REF,
    )
    result_schemas = schemas[len(ops) : len(ops) + len(results)]
    components["Event"]["properties"]["data"] = {
        "description": "The model object the event is about: its class follows from `type`.",
        "oneOf": [{"$ref": _REF.format(name=kind.__name__)} for kind in data],
    }
    _secrets_are_read_only_in_results(components, results)
    op_schemas = {op.__name__: components.pop(op.__name__) for op in ops}
    for schema in components.values():
        if isinstance(schema.get("description"), str):
            schema["description"] = _markdown(schema["description"])
    paths: dict[str, Any] = {}
    for route, result_schema in zip(ROUTES, result_schemas, strict=True):
        operation = _operation(route, op_schemas[route.op.__name__], result_schema, components)
        paths.setdefault(route.path, {})[route.method.lower()] = operation
    components["Problem"] = _problem_schema()  # after the routes: their errors are registered
    used_tags = {route.op.capability for route in ROUTES}
    document = {
        "openapi": "3.1.0",
        "info": {
            "title": "selfcare protocol",
            "version": __version__,
            "summary": "Mobile-subscriber self-service over HTTP.",
            "description": (
                "Mobile-subscriber self-service. Times are RFC 3339 in UTC, money is a "
                "decimal string with an ISO 4217 currency, phone numbers are E.164. Lists "
                "page with `limit` and an opaque `cursor`; each page gives `next_cursor`. "
                "Errors are RFC 9457 problem documents whose `type` names one selfcare "
                "error. Changes take an `Idempotency-Key` header: a retry with the same key "
                "returns the first result instead of acting twice."
            ),
            "contact": {"name": "selfcare developers"},
            "license": {"name": "MIT", "identifier": "MIT"},
        },
        "servers": [
            {"url": server_url, "description": "`selfcare serve`: the fake operator (sandbox)"}
        ],
        "security": [{"bearer": []}],
        "tags": [
            {"name": tag, "description": text} for tag, text in _TAGS.items() if tag in used_tags
        ],
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": (
                        "A subscriber's API token, or a session's access token from "
                        "`POST /v1/auth/password` or `POST /v1/auth/otp/confirm`."
                    ),
                }
            },
        },
    }
    _prune(document)
    # JSON types only (msgspec gives tuple defaults): the document as it is served
    result: dict[str, Any] = msgspec.json.decode(msgspec.json.encode(document))
    return result


def _secrets_are_read_only_in_results(components: dict[str, Any], results: list[Any]) -> None:
    """A secret the server hands out (a sign-in's tokens) is read-only, not write-only."""
    for result in results:
        schema = components.get(getattr(result, "__name__", ""), {})
        for prop in schema.get("properties", {}).values():
            if prop.get("writeOnly"):
                del prop["writeOnly"]
                prop["readOnly"] = True


def _refs(value: Any) -> set[str]:
    if isinstance(value, dict):
        found = {value["$ref"].rsplit("/", 1)[1]} if isinstance(value.get("$ref"), str) else set()
        for item in value.values():
            found |= _refs(item)
        return found
    if isinstance(value, list):
        return set().union(*(_refs(item) for item in value)) if value else set()
    return set()


def _prune(document: dict[str, Any]) -> None:
    """Drop the components nothing refers to (the operations' own, whose fields became
    parameters and bodies)."""
    schemas = document["components"]["schemas"]
    reached: set[str] = set()
    todo = _refs(document["paths"])
    while todo:
        name = todo.pop()
        if name not in reached:
            reached.add(name)
            todo |= _refs(schemas[name]) - reached
    for name in list(schemas):
        if name not in reached:
            del schemas[name]


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


def _body_field_schema(route: Route, name: str, generated: dict[str, Any]) -> dict[str, Any]:
    """A body field's schema: as generated, but times keep their ``date-time`` format."""
    kind = typing.get_type_hints(route.op)[name]
    args = [arg for arg in typing.get_args(kind) if arg is not type(None)]
    if args == [datetime] and "anyOf" in generated:
        return {
            "anyOf": [{"type": "string", "format": "date-time"}, {"type": "null"}],
            "default": None,
        }
    return generated


def _example(schema: dict[str, Any], components: dict[str, Any], depth: int = 0) -> Any:
    """A value that ``schema`` accepts, for the document's examples."""
    if "$ref" in schema:
        target = components[schema["$ref"].rsplit("/", 1)[1]]
        return _example(target, components, depth + 1)
    if "example" in schema:
        return schema["example"]
    if schema.get("examples"):
        return schema["examples"][0]
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][0]
    if "anyOf" in schema or "oneOf" in schema:
        choices = schema.get("anyOf") or schema["oneOf"]
        options = [option for option in choices if option != {"type": "null"}]
        return _example(options[0], components, depth) if options else None
    kind = schema.get("type")
    if kind == "object":
        properties = schema.get("properties", {})
        required = set(schema.get("required", ()))
        return {
            name: _example(sub, components, depth + 1)
            for name, sub in properties.items()
            if name in required or (depth < 3 and "default" not in sub)
        }
    if kind == "array":
        low = schema.get("minItems", 1)
        return [_example(schema.get("items", {}), components, depth + 1)] * max(low, 1)
    if kind == "integer":
        return max(schema.get("minimum", 1), 1) if "maximum" not in schema else schema["maximum"]
    if kind == "number":
        return 1
    if kind == "boolean":
        return False
    if kind == "string":
        if schema.get("contentEncoding") == "base64":
            return "aGVsbG8="
        if "pattern" in schema:
            return _PATTERN_EXAMPLES.get(schema["pattern"], "x")
        if schema.get("minLength") == schema.get("maxLength") == 3:
            return "RUB"  # an ISO 4217 currency
        text = _EXAMPLE_FORMATS.get(schema.get("format", ""), "example")
        return text.ljust(schema.get("minLength", 0), "x")
    return None


_PATTERN_EXAMPLES = {
    _E164["pattern"]: "+79161234567",
    "^[A-Z]{3}$": "RUB",
    "^-?\\d+(\\.\\d+)?$": "12.50",
}


def _problem_responses(route: Route) -> dict[str, Any]:
    by_status: dict[int, list[type[SelfcareError]]] = {}
    for error in route_errors(route):
        by_status.setdefault(error.status, []).append(error)
    by_status.setdefault(500, [SelfcareError])
    responses: dict[str, Any] = {}
    for status in sorted(by_status):
        errors = by_status[status]
        types = ", ".join(f"`{PROBLEM_PREFIX}{error.problem}`" for error in errors)
        first = errors[0]
        example = {
            "type": PROBLEM_PREFIX + first.problem,
            "title": HTTPStatus(status).phrase,
            "status": status,
            "detail": _markdown(first.__doc__ or HTTPStatus(status).description).split("\n")[0],
        }
        headers = {}
        if status == 401:
            headers["WWW-Authenticate"] = {
                "description": "`Bearer`: send a valid bearer token.",
                "schema": {"type": "string"},
            }
        if status == 429:
            headers["Retry-After"] = {
                "description": "Seconds to wait before trying again.",
                "schema": {"type": "integer"},
            }
        response: dict[str, Any] = {
            "description": f"{HTTPStatus(status).phrase}: {types}.",
            "content": {
                "application/problem+json": {
                    "schema": {"$ref": _REF.format(name="Problem")},
                    "example": example,
                }
            },
        }
        if headers:
            response["headers"] = headers
        responses[str(status)] = response
    return responses


def _operation(
    route: Route, op_schema: dict[str, Any], result: dict[str, Any], components: dict[str, Any]
) -> dict[str, Any]:
    generated = op_schema.get("properties", {})
    properties = {name: _field_schema(route, name, schema) for name, schema in generated.items()}
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
    description = _markdown(route.op.__doc__ or route.summary)
    if route.public:
        description += "\n\nPublic: no bearer token (this is how a caller gets one)."
    doc: dict[str, Any] = {
        "operationId": route.name,
        "tags": [route.op.capability],
        "summary": route.summary or route.name,
        "description": description,
        "parameters": parameters,
        "responses": {
            "200": {
                "description": "OK",
                "content": {
                    "application/json": {
                        "schema": result,
                        "example": _example(result, components),
                    }
                },
            },
            **_problem_responses(route),
        },
    }
    if route.public:
        doc["security"] = []
    if route.body_fields:
        name = f"{route.op.__name__}Request"
        body = {
            "title": name,
            "description": f"The body of `{route.method} {route.path}`.",
            "type": "object",
            "additionalProperties": False,
            "properties": {
                field: _body_field_schema(route, field, generated[field])
                for field in route.body_fields
            },
            "required": sorted(required & set(route.body_fields)),
        }
        components[name] = body
        doc["requestBody"] = {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {"$ref": _REF.format(name=name)},
                    "example": _REQUEST_EXAMPLES.get(route.op) or _example(body, components),
                }
            },
        }
    return doc
