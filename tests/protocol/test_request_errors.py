"""A request the server cannot read is refused with an error naming the field and, for
query and path values, the value sent; secrets in bodies are never quoted back."""

from __future__ import annotations

import json

import httpx
import pytest

from selfcare import ValidationError
from selfcare.backends.fake import FakeOperator
from selfcare.operations import ListExpenses, SignInWithPassword
from selfcare.protocol._codec import decode_operation
from selfcare.protocol._routes import route_for
from selfcare.server import FakeResolver, LiveServer, create_app


def _query(params: dict[str, list[str]]) -> ValidationError:
    route = route_for(ListExpenses)
    with pytest.raises(ValidationError) as caught:
        decode_operation(route, {}, lambda name: params.get(name, []), set(params), b"", None)
    return caught.value


@pytest.mark.parametrize(
    ("field", "values", "shown"),
    [
        ("limit", ["abc"], "limit='abc'"),
        ("since", ["yesterday"], "since='yesterday'"),
        ("since", ["2026-11-20"], "since='2026-11-20'"),
        ("kinds", ["bogus"], "'bogus'"),
    ],
)
def test_query_errors_name_the_field_and_the_value(
    field: str, values: list[str], shown: str
) -> None:
    error = _query({field: values})
    assert error.field == field
    assert shown in str(error), str(error)


def test_a_secret_in_a_body_is_never_quoted_back() -> None:
    route = route_for(SignInWithPassword)
    body = json.dumps({"number": "+79165550123", "password": 918273645}).encode()
    with pytest.raises(ValidationError) as caught:
        decode_operation(route, {}, lambda name: [], set(), body, None)
    assert caught.value.field == "password"
    assert "918273645" not in str(caught.value)


def test_a_new_user_is_pointed_at_the_openapi_document() -> None:
    operator = FakeOperator(seed=42)
    with (
        LiveServer(create_app(FakeResolver(operator))) as server,
        httpx.Client(base_url=server.url) as client,
    ):
        for path in ("/", "/v1", "/v1/nothing", "/v1/expenses/", "/v1/complaints/..%2F"):
            response = client.get(path)
            assert response.status_code == 404
            assert response.headers["content-type"] == "application/problem+json"
            assert response.json()["type"] == "urn:selfcare:problem:not-found"
            assert "/v1/openapi.json" in response.json()["detail"]
        document = client.get("/v1/openapi.json").json()
        assert document["openapi"].startswith("3.1")
        anonymous = client.get("/v1/expenses")
        assert anonymous.status_code == 401
        assert anonymous.headers["www-authenticate"] == "Bearer"
        assert anonymous.headers["content-type"] == "application/problem+json"
        assert anonymous.json()["type"] == "urn:selfcare:problem:unauthenticated"
        token = {"Authorization": f"Bearer {operator.token().reveal()}"}
        page = client.get("/v1/expenses", params={"limit": 2}, headers=token).json()
        assert len(page["items"]) == 2 and page["next_cursor"]


@pytest.mark.parametrize("amount", ["12,50", "1 000"])
def test_wire_amounts_are_decimal_strings_with_a_point(amount: str) -> None:
    """The decimal comma is for what people type (SDK arguments, CLI); the protocol is for
    programs, and takes one grammar: ``"12.50"`` (docs/protocol.md)."""
    from selfcare.operations import Pay

    body = {"amount": {"amount": amount, "currency": "RUB"}, "method": {"kind": "card"}}
    with pytest.raises(ValidationError) as caught:
        decode_operation(route_for(Pay), {}, lambda name: [], set(), json.dumps(body).encode(), "k")
    assert caught.value.field == "amount"
