"""Every route refuses malformed, mistyped, oversized and absurd input with a 4xx problem
document that names the field: never a 5xx, never a partial change."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator

import pytest

from selfcare.protocol._routes import ROUTES
from selfcare.server import MAX_BODY_BYTES
from tests.reliability.conftest import snapshot

BODY_ROUTES = [r for r in ROUTES if r.body_fields]
QUERY_ROUTES = [r for r in ROUTES if r.method == "GET"]
BODILESS_CHANGES = [r for r in ROUTES if r.method != "GET" and not r.body_fields]


def _path(route, ids) -> str:  # type: ignore[no-untyped-def]
    return (
        route.path.replace("{id}", ids["contact"] if "contacts" in route.path else ids["message"])
        .replace("{list_id}", ids["list"])
        .replace("{complaint_id}", ids["complaint"])
        .replace("{condition}", "busy")
        .replace("{code}", "nope")
    )


SEEN: Counter[str] = Counter()
"""Refused requests per route, for the figures."""
PATTERNS = [
    (re.compile("^" + re.sub(r"\{[a-z_]+\}", "[^/]+", r.path) + "$"), r.method, r.name)
    for r in ROUTES
]


def _route_name(method: str, path: str) -> str:
    found = (name for pattern, m, name in PATTERNS if m == method and pattern.match(path))
    return next(found, f"{method} {path}")


@pytest.fixture(scope="module", autouse=True)
def figures(report: Callable[[str], None]) -> Iterator[None]:
    yield
    report(
        f"bad input: {sum(SEEN.values())} bad requests on {len(SEEN)} of {len(ROUTES)} routes, "
        "each a 4xx problem document naming the field, 0 5xx, state unchanged"
    )


def _problem(response, status: int | tuple[int, ...], field: str | None) -> None:  # type: ignore[no-untyped-def]
    SEEN[_route_name(response.request.method, response.request.url.path)] += 1
    statuses = status if isinstance(status, tuple) else (status,)
    assert response.status_code in statuses, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    document = response.json()
    assert document["type"].startswith("urn:selfcare:problem:")
    if field is not None:
        assert document.get("field") == field, document


def _send(client, route, ids, **kwargs):  # type: ignore[no-untyped-def]
    return client.request(
        route.method,
        _path(route, ids),
        headers={"Content-Type": "application/json", "Idempotency-Key": "bad-input-1"},
        **kwargs,
    )


@pytest.mark.parametrize("route", BODY_ROUTES, ids=lambda r: r.name)
def test_malformed_bodies(wire, route) -> None:
    a, ids, operator = wire["a"], wire["ids"], wire["operator"]
    before = snapshot(operator)
    _problem(_send(a, route, ids, content=b'{"name": '), 422, "body")
    _problem(_send(a, route, ids, content=b"[1, 2]"), 422, "body")
    _problem(_send(a, route, ids, content=b'{"surprise": 1}'), 422, "surprise")
    _problem(_send(a, route, ids, content=b"{" + b" " * (MAX_BODY_BYTES + 10) + b"}"), 413, "body")
    wrong = {name: {"nested": [1]} for name in route.body_fields}
    _problem(_send(a, route, ids, json=wrong), 422, None)
    assert snapshot(operator) == before


@pytest.mark.parametrize("route", QUERY_ROUTES, ids=lambda r: r.name)
def test_unknown_and_mistyped_query_parameters(wire, route) -> None:
    a, ids = wire["a"], wire["ids"]
    _problem(a.get(_path(route, ids), params={"surprise": "1"}), 422, "surprise")
    if "limit" in route.query_fields:
        _problem(a.get(_path(route, ids), params={"limit": "lots"}), 422, "limit")
        _problem(a.get(_path(route, ids), params={"limit": "100000"}), 422, "limit")
    if "since" in route.query_fields:
        _problem(a.get(_path(route, ids), params={"since": "yesterday"}), 422, "since")
        _problem(a.get(_path(route, ids), params={"since": "2026-11-01T00:00:00"}), 422, "since")


@pytest.mark.parametrize("route", BODILESS_CHANGES, ids=lambda r: r.name)
def test_changes_without_a_body_refuse_one_and_unknown_parameters(wire, route) -> None:
    a, ids, operator = wire["a"], wire["ids"], wire["operator"]
    before = snapshot(operator)
    _problem(_send(a, route, ids, json={"surprise": 1}), 422, "surprise")
    _problem(_send(a, route, ids, params={"surprise": "1"}), 422, "surprise")
    assert snapshot(operator) == before


CASES = [
    (
        "pay",
        {
            "amount": {"amount": "-5.00", "currency": "RUB"},
            "method": {"kind": "card", "reference": "tok_visa_4242"},
        },
        "amount",
    ),
    (
        "pay",
        {
            "amount": {"amount": "1e20", "currency": "RUB"},
            "method": {"kind": "card", "reference": "tok_visa_4242"},
        },
        "amount",
    ),
    (
        "pay",
        {
            "amount": {"amount": 5.5, "currency": "RUB"},
            "method": {"kind": "card", "reference": "tok_visa_4242"},
        },
        "amount",
    ),
    (
        "pay",
        {
            "amount": {"amount": "10.00", "currency": "USD"},
            "method": {"kind": "card", "reference": "tok_visa_4242"},
        },
        "amount",
    ),
    (
        "set_autopay",
        {
            "threshold": {"amount": "100.00", "currency": "RUB"},
            "amount": {"amount": "500.00", "currency": "RUB"},
            "method": {"kind": "card", "reference": "tok_visa_4242"},
            "schedule": "FREQ=SECONDLY",
        },
        "schedule",
    ),
    (
        "set_autopay",
        {
            "threshold": {"amount": "0.001", "currency": "RUB"},
            "amount": {"amount": "500.00", "currency": "RUB"},
            "method": {"kind": "card", "reference": "tok_visa_4242"},
        },
        "threshold",
    ),
    (
        "set_autopay",
        {
            "threshold": {"amount": "100.00", "currency": "RUB"},
            "amount": {"amount": "500.00", "currency": "USD"},
            "method": {"kind": "card", "reference": "tok_visa_4242"},
        },
        "amount",
    ),
    ("send_sms", {"to": ["+7916"], "text": "hi"}, "to"),
    ("send_sms", {"to": ["not a number"], "text": "hi"}, "to"),
    ("send_sms", {"to": ["+79161234567"], "text": ""}, "text"),
    (
        "send_sms",
        {"to": ["+79161234567"], "text": "hi", "deliver_at": "2100-01-01T00:00:00Z"},
        "deliver_at",
    ),
    ("send_sms", {"to": ["+79161234567"], "text": "hi", "validity": "P365D"}, "validity"),
    ("send_sms", {"to": ["+79161234567"], "text": "hi", "sender": "WAY-TOO-LONG-SENDER"}, "sender"),
    ("activate_card", {"pin": 12345678901234}, "pin"),
    ("activate_card", {"pin": "12ab"}, "pin"),
    ("add_contact", {"name": "X", "phones": ["garbage"]}, "phones"),
    ("set_forwarding", {"number": "+79161234567", "timer": 7}, "timer"),
    ("set_forwarding", {"number": "+79161234567", "voicemail": True}, "voicemail"),
    ("set_forwarding", {"number": "+7916"}, "number"),
    ("connect_service", {"code": ""}, "code"),
    ("connect_service", {"code": "smart-l"}, "code"),
    ("change_tariff", {"code": "voicemail"}, "code"),
    ("file_complaint", {"subject": "x" * 10_000, "text": "t", "category": "billing"}, "subject"),
    ("file_complaint", {"subject": "s", "text": "t", "category": "praise"}, "category"),
    (
        "file_complaint",
        {"subject": "s", "text": "t", "category": "billing", "related": [{"kind": "x", "id": "1"}]},
        "related",
    ),
    ("add_complaint_note", {"text": ""}, "text"),
    ("import_contacts", {"contacts": [{"name": "", "phones": ["+79161234567"]}]}, "name"),
]

# Path parameters that are not what the route takes.
PATH_CASES = [
    ("PUT", "/v1/forwarding/sometimes", {"number": "+79161234567"}, "condition"),
    ("DELETE", "/v1/forwarding/sometimes", None, "condition"),
    ("DELETE", "/v1/services/" + "x" * 300, None, "code"),
    ("GET", "/v1/complaints/" + "x" * 300, None, "complaint_id"),
    ("POST", "/v1/complaints/" + "x" * 300 + "/notes", {"text": "hi"}, "complaint_id"),
]


@pytest.mark.parametrize(("method", "path", "body", "field"), PATH_CASES)
def test_bad_path_parameters_are_refused_naming_them(wire, method, path, body, field) -> None:
    a, operator = wire["a"], wire["operator"]
    before = snapshot(operator)
    response = a.request(method, path, json=body, headers={"Idempotency-Key": "bad-path-1"})
    _problem(response, (404, 422), field)
    assert snapshot(operator) == before


@pytest.mark.parametrize(
    ("name", "body", "field"), CASES, ids=[f"{c[0]}-{c[2]}-{n}" for n, c in enumerate(CASES)]
)
def test_absurd_values_are_refused_naming_the_field(wire, name, body, field) -> None:
    a, ids, operator = wire["a"], wire["ids"], wire["operator"]
    route = next(r for r in ROUTES if r.name == name)
    before = snapshot(operator)
    response = _send(a, route, ids, json=body)
    _problem(response, 422, None)
    assert field in (response.json().get("field") or "") or field in response.json()["detail"], (
        response.json()
    )
    assert snapshot(operator) == before
