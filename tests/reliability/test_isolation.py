"""Subscriber B, walking every route of the table against subscriber A's resources."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from selfcare.protocol._routes import ROUTES, Route
from tests._lines import KID, MEMBER, REFUSED_LINES
from tests.reliability.conftest import snapshot, snapshot_of

# Which of A's ids each path parameter takes (by path prefix), and the routes whose path
# parameter names no resource of anyone's (a forwarding condition, a catalogue code).
RESOURCE = {
    "/v1/messages/": "message",
    "/v1/contacts/": "contact",
    "/v1/mailing-lists/": "list",
    "/v1/complaints/": "complaint",
    "/v1/webhooks/": "webhook",
}
NOT_A_RESOURCE = {"condition": "busy", "code": "content-block"}
# Bodies that name A's records: B must get 404 for these as for A's ids in a path.
BODIES_WITH_AS_IDS: dict[str, dict[str, Any]] = {
    "update_contact": {"name": "Stolen"},
    "add_list_members": {"members": [{"number": "+79161234567"}]},
    "remove_list_members": {"members": [{"number": "+79161234567"}]},
    "add_complaint_note": {"text": "mine now"},
    "create_mailing_list": {"name": "Theirs", "members": [{"contact_id": "{contact}"}]},
    "file_complaint": {
        "subject": "Their charge",
        "text": "About someone else's expense",
        "category": "billing",
        "related": [{"kind": "expense", "id": "{expense}"}],
    },
}
# Everything else acts on the caller's own line: B's request may succeed, on B only.
OWN_LINE_BODIES: dict[str, dict[str, Any]] = {
    "pay": {
        "amount": {"amount": "1000.00", "currency": "RUB"},
        "method": {"kind": "card", "reference": "tok_visa_4242"},
    },
    "activate_card": {"pin": "11111111111110"},
    "set_autopay": {
        "threshold": {"amount": "100.00", "currency": "RUB"},
        "amount": {"amount": "500.00", "currency": "RUB"},
        "method": {"kind": "card", "reference": "tok_visa_4242"},
    },
    "send_sms": {"to": ["+79161234567"], "text": "from B"},
    "send_mms": {"to": ["+79161234567"], "subject": "from B", "text": "from B"},
    "add_contact": {"name": "B's friend", "phones": ["+79161234567"]},
    "import_contacts": {"contacts": []},
    "set_forwarding": {"number": "+79161234567"},
    "connect_service": {"code": "content-block"},
    "change_tariff": {"code": "smart-l"},
    "set_alerts": {"balance_below": {"amount": "100.00", "currency": "RUB"}},
    "create_webhook": {"url": "https://b.example/hooks"},
}
A_NUMBER = "+79165550123"


def _fill(value: Any, ids: dict[str, str]) -> Any:
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return ids[value[1:-1]]
    if isinstance(value, dict):
        return {k: _fill(v, ids) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, ids) for v in value]
    return value


def _plan(route: Route, ids: dict[str, str]) -> tuple[str, dict[str, Any] | None, bool]:
    """The path and body B sends for ``route``, and whether it names one of A's records."""
    path, names_a = route.path, route.name in BODIES_WITH_AS_IDS
    for field in route.path_fields:
        if field in NOT_A_RESOURCE:
            path = path.replace(f"{{{field}}}", NOT_A_RESOURCE[field])
            continue
        kind = next((k for p, k in RESOURCE.items() if route.path.startswith(p)), None)
        if kind is None:
            pytest.fail(f"{route.name}: say which of A's resources {route.path} takes")
        path, names_a = path.replace(f"{{{field}}}", ids[kind]), True
    body = BODIES_WITH_AS_IDS.get(route.name, OWN_LINE_BODIES.get(route.name))
    if route.body_fields and body is None and not route.public:
        pytest.fail(f"{route.name}: give the walk a body for {route.method} {route.path}")
    return path, None if body is None else _fill(body, ids), names_a


def test_b_walks_every_route_and_gets_404_for_each_of_as_records(wire, report) -> None:
    operator, ids, b = wire["operator"], wire["ids"], wire["b"]
    before = snapshot(operator)
    b_before = snapshot(operator, "oleg")
    refused = own = public = 0
    for route in ROUTES:
        path, body, names_a = _plan(route, ids)
        response = b.request(
            route.method,
            path,
            json=body if body is not None else ({} if route.body_fields else None),
            headers={"Idempotency-Key": f"walk-{route.name}"},
        )
        where = (route.name, response.status_code, response.text[:200])
        assert response.status_code < 500, where
        assert A_NUMBER not in response.text, where
        if route.name != "list_operations":  # B's log shows the ids B itself sent, refused
            assert not any(f'"{value}"' in response.text for value in ids.values()), where
        if names_a:
            assert response.status_code == 404, where
            assert response.headers["content-type"].startswith("application/problem+json")
            assert response.json()["type"] == "urn:selfcare:problem:not-found", where
            refused += 1
        elif route.public:
            # no token needed; with an empty body they refuse before looking anyone up
            assert response.status_code == 422, where
            public += 1
        elif route.name == "sign_out":
            # B holds an API token, not a session: there is nothing of anyone's to end
            assert response.status_code == 409, where
            own += 1
        else:
            assert response.is_success, where  # B acting on B's own line works
            own += 1
    assert refused + own + public == len(ROUTES)
    assert snapshot(operator) == before
    assert snapshot(operator, "oleg") != b_before  # B's own requests landed on B
    report(
        f"isolation walk: all {len(ROUTES)} routes with subscriber B's token: {refused} "
        f"naming A's records all 404, {own} on B's own line, {public} public; A unchanged"
    )


def test_listings_show_b_nothing_of_a(wire) -> None:
    ids, b = wire["ids"], wire["b"]
    for route in ROUTES:
        if route.method != "GET" or route.path_fields:
            continue
        response = b.get(route.path)
        assert response.status_code == 200, (route.name, response.text)
        text = response.text
        assert A_NUMBER not in text, route.name
        assert not any(f'"{value}"' in text for value in ids.values()), route.name


def test_a_sees_its_own_resources(wire) -> None:
    a, ids = wire["a"], wire["ids"]
    assert a.get(f"/v1/messages/{ids['message']}").status_code == 200
    assert a.get(f"/v1/contacts/{ids['contact']}").status_code == 200


# -- many lines: the walk again with a Selfcare-Line header, for each role -----------------

ALLOWED_LINES = [
    ("family", KID, "owner → a member's line"),
    ("acme", "+79857000001", "manager → one of the company's lines"),  # not on smart-l yet
    ("family-member", MEMBER, "member → their own line"),
]


def _line_of(operator: Any, number: str) -> Any:
    """The subscriber behind ``number`` (generating a company line as a read would)."""
    from selfcare.model import PhoneNumber

    for key in ("family", "acme", "demo"):
        try:
            return operator.line(operator.subscriber(key), PhoneNumber(number))
        except Exception:
            continue
    return None


def _walk(wire: dict[str, Any], key: str, number: str) -> list[tuple[Route, Any]]:
    operator, ids = wire["operator"], wire["ids"]
    base = wire["a"].base_url
    token = operator.token(key).reveal()
    answers = []
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}) as client:
        for route in ROUTES:
            path, body, _names_a = _plan(route, ids)
            response = client.request(
                route.method,
                path,
                json=body if body is not None else ({} if route.body_fields else None),
                headers={"Idempotency-Key": f"walk-{key}-{route.name}", "Selfcare-Line": number},
            )
            assert response.status_code < 500, (key, number, route.name, response.text[:200])
            answers.append((route, response))
    return answers


def test_every_route_refuses_a_line_the_login_may_not_see(wire, report) -> None:
    operator = wire["operator"]
    refused = 0
    for key, number, why in REFUSED_LINES:
        target = _line_of(operator, number)
        before = None if target is None else snapshot_of(target)
        details = set()
        for route, response in _walk(wire, key, number):
            where = (why, route.name, response.status_code, response.text[:200])
            if route.public:
                assert response.status_code == 422, where  # no token, no line: as before
            elif route.name == "sign_out":
                assert response.status_code == 409, where  # the login's, not a line's
            elif route.name == "list_lines":
                assert response.is_success, where  # the login's own lines, never the target
                assert number not in response.text, where
            else:
                assert response.status_code == 404, where
                assert response.json()["type"] == "urn:selfcare:problem:not-found", where
                assert number not in response.text, where
                details.add(response.json()["detail"])
                refused += 1
        assert len(details) == 1, (why, details)  # the same words for every refusal
        if target is not None:
            assert snapshot_of(target) == before, why
    assert len({d for d in details}) == 1
    report(
        f"lines isolation: {len(REFUSED_LINES)} login/line pairs not allowed "
        f"(member → own account's other lines, every role → another account's, nobody's "
        f"number) × every line-scoped route: {refused} requests, all 404 in the same words, "
        "targets unchanged"
    )


def test_every_route_acts_on_a_line_the_login_may_see(wire, report) -> None:
    operator, ids = wire["operator"], wire["ids"]
    done = 0
    for key, number, why in ALLOWED_LINES:
        target = _line_of(operator, number)
        own = operator.subscriber(key)
        own_before = snapshot_of(own) if own is not target else None
        before = snapshot_of(target)
        for route, response in _walk(wire, key, number):
            _path, _body, names_a = _plan(route, ids)
            where = (why, route.name, response.status_code, response.text[:200])
            if names_a:
                assert response.status_code == 404, where  # demo's records stay demo's
            elif route.public:
                assert response.status_code == 422, where
            elif route.name == "sign_out":
                assert response.status_code == 409, where
            elif route.name == "activate_card" and response.status_code == 409:
                # one printed card: the first pair activated it, the others find it used
                assert response.json()["type"].endswith("card-already-used"), where
            else:
                assert response.is_success, where
                done += 1
        assert snapshot_of(target) != before, why  # the requests landed on the line named
        if own_before is not None:
            assert snapshot_of(own) == own_before, why  # and not on the login's own line
    report(
        f"lines isolation: {len(ALLOWED_LINES)} allowed login/line pairs (owner → member, "
        f"manager → company line, member → own): {done} requests acted on the line named only"
    )


def test_a_line_header_that_is_no_number_is_refused_naming_it(wire) -> None:
    response = wire["b"].get("/v1/account", headers={"Selfcare-Line": "8 916 555"})
    assert response.status_code == 422
    assert response.json()["field"] == "Selfcare-Line"
    assert len(response.text) < 1000
