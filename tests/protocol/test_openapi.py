"""The OpenAPI document, checked in Python: valid, complete, and its examples true.

(Spectral and the generators run in test_generated_clients.py.)
"""

from __future__ import annotations

import re
from typing import Any

import jsonschema
import msgspec
import pytest

from selfcare.protocol._codec import decode_operation
from selfcare.protocol._routes import ROUTES, Route
from selfcare.protocol.openapi import openapi_document, route_errors

DOCUMENT = openapi_document()
SEMVER = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$"
)
PATH_EXAMPLES = {"condition": "busy", "code": "internet-5gb"}


def _operation(route: Route) -> dict[str, Any]:
    operation: dict[str, Any] = DOCUMENT["paths"][route.path][route.method.lower()]
    return operation


def _validator(schema: dict[str, Any]) -> jsonschema.Draft202012Validator:
    """A validator for ``schema`` whose ``$ref``s resolve within the document."""
    root = {**schema, "components": DOCUMENT["components"]}
    return jsonschema.Draft202012Validator(root)


def test_the_document_is_valid_openapi() -> None:
    from openapi_spec_validator import validate

    validate(DOCUMENT)


def test_the_document_says_who_what_and_where() -> None:
    info = DOCUMENT["info"]
    assert SEMVER.match(info["version"]), info["version"]
    assert info["license"]["identifier"] == "MIT"
    assert info["contact"]["name"]
    assert DOCUMENT["servers"][0]["url"].startswith("http://127.0.0.1")
    assert DOCUMENT["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    assert {tag["name"] for tag in DOCUMENT["tags"]} == {route.op.capability for route in ROUTES}


@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.name)
def test_each_operation_is_tagged_described_and_exemplified(route: Route) -> None:
    operation = _operation(route)
    assert operation["tags"] == [route.op.capability]
    assert operation["summary"] and operation["description"]
    assert "``" not in operation["description"]  # Markdown, not reStructuredText
    ok = operation["responses"]["200"]["content"]["application/json"]
    _validator(ok["schema"]).validate(ok["example"])
    for status, response in operation["responses"].items():
        if status != "200":
            problem = response["content"]["application/problem+json"]
            _validator(problem["schema"]).validate(problem["example"])
            assert problem["example"]["status"] == int(status)


@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.name)
def test_each_operation_lists_the_problems_it_can_give(route: Route) -> None:
    responses = _operation(route)["responses"]
    for error in route_errors(route):
        assert (
            f"urn:selfcare:problem:{error.problem}" in responses[str(error.status)]["description"]
        )
    assert "500" in responses and "4XX" not in responses


@pytest.mark.parametrize(
    "route", [route for route in ROUTES if route.body_fields], ids=lambda route: route.name
)
def test_each_request_example_is_one_the_server_accepts(route: Route) -> None:
    body = _operation(route)["requestBody"]["content"]["application/json"]
    _validator(body["schema"]).validate(body["example"])
    path = {name: PATH_EXAMPLES.get(name, "x1") for name in route.path_fields}
    op = decode_operation(
        route, path, lambda name: [], set(), msgspec.json.encode(body["example"]), None
    )
    assert isinstance(op, route.op)


def test_no_shape_is_a_tuple_and_every_component_is_used() -> None:
    text = msgspec.json.encode(DOCUMENT).decode()
    assert '"prefixItems"' not in text and '"items":false' not in text
    record = DOCUMENT["components"]["schemas"]["OperationRecord"]["properties"]["parameters"]
    assert record["items"] == {"$ref": "#/components/schemas/OperationParameter"}
    for name in DOCUMENT["components"]["schemas"]:
        assert f'"#/components/schemas/{name}"' in text, name
