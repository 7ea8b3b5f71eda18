"""Subscriber B, walking every route of the table against subscriber A's resources."""

from __future__ import annotations

from typing import Any

from selfcare.protocol._routes import ROUTES
from tests.reliability.conftest import snapshot

# Which of A's ids each path parameter takes; plausible bodies for routes that need one.
RESOURCE = {
    "/v1/messages/": "message",
    "/v1/contacts/": "contact",
    "/v1/mailing-lists/": "list",
    "/v1/complaints/": "complaint",
}
BODIES: dict[str, dict[str, Any]] = {
    "update_contact": {"name": "Stolen"},
    "add_list_members": {"members": [{"number": "+79161234567"}]},
    "remove_list_members": {"members": [{"number": "+79161234567"}]},
    "add_complaint_note": {"text": "mine now"},
}
A_NUMBER = "+79165550123"


def _resource_path(path: str, ids: dict[str, str]) -> str | None:
    for prefix, kind in RESOURCE.items():
        if path.startswith(prefix) and "{" in path:
            return (
                path.replace("{id}", ids[kind])
                .replace("{list_id}", ids[kind])
                .replace("{complaint_id}", ids[kind])
            )
    return None


def test_b_gets_404_for_every_one_of_as_resources_and_changes_nothing(wire, report) -> None:
    operator, ids, b = wire["operator"], wire["ids"], wire["b"]
    before = snapshot(operator)
    walked = 0
    for route in ROUTES:
        path = _resource_path(route.path, ids)
        if path is None:
            continue
        response = b.request(
            route.method,
            path,
            json=BODIES.get(route.name),
            headers={"Idempotency-Key": f"walk-{route.name}"},
        )
        assert response.status_code == 404, (route.name, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["type"] == "urn:selfcare:problem:not-found"
        walked += 1
    assert snapshot(operator) == before
    assert walked >= 10
    report(
        f"isolation walk: {walked} routes with subscriber B's token on A's resources: all 404, A unchanged"
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
