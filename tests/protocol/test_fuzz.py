"""Schemathesis against the served OpenAPI document: no 5xx, every 4xx a problem document.

Bounded: a fixed number of generated requests per operation (positive and negative data).
Schemathesis' pytest plugin does not load under pytest 9, so each route is driven with its
hypothesis strategy directly.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from selfcare.backends.fake import FakeOperator, ManualClock
from selfcare.protocol._routes import ROUTES
from selfcare.server import LiveServer
from tests._server import SwitchableResolver
from tests.conftest import NOW

EXAMPLES = 40


@pytest.fixture(scope="module")
def api(
    live_server: tuple[LiveServer, SwitchableResolver],
) -> Iterator[tuple[object, FakeOperator]]:
    server, resolver = live_server
    operator = FakeOperator(seed=42, clock=ManualClock(NOW))
    resolver.use(operator)
    return schemathesis.openapi.from_url(f"{server.url}/v1/openapi.json"), operator


@pytest.fixture(autouse=True)
def _serve_this_modules_operator(api, live_server) -> None:
    live_server[1].use(api[1])


def _check(response: object) -> None:
    status = response.status_code  # type: ignore[attr-defined]
    assert status < 500, response.text  # type: ignore[attr-defined]
    if status >= 400:
        assert response.headers["content-type"][0].startswith("application/problem+json")  # type: ignore[attr-defined]
        assert response.json()["type"].startswith("urn:selfcare:problem:")  # type: ignore[attr-defined]


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
@pytest.mark.parametrize("mode", ["positive", "negative"])
def test_no_server_errors_and_problem_documents(api, route, mode: str) -> None:
    schema, operator = api
    operation = schema.find_operation_by_id(route.name)
    token = operator.token().reveal()

    @given(case=operation.as_strategy(generation_mode=schemathesis.GenerationMode(mode)))
    @settings(
        max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    def run(case: schemathesis.Case) -> None:
        _check(case.call(headers={"Authorization": f"Bearer {token}"}))

    run()


@pytest.mark.parametrize("route", [r for r in ROUTES if not r.public], ids=lambda r: r.name)
def test_without_a_token_every_route_answers_401(api, route) -> None:
    schema, _ = api

    @given(case=schema.find_operation_by_id(route.name).as_strategy())
    @settings(max_examples=5, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    def run(case: schemathesis.Case) -> None:
        for headers in (
            {},
            {"Authorization": "Bearer not-a-token"},
            {"Authorization": "Basic eA=="},
        ):
            response = case.call(headers=headers)
            assert response.status_code == 401, response.text
            assert response.json()["type"] == "urn:selfcare:problem:unauthenticated"
            assert response.headers["www-authenticate"] == ["Bearer"]

    run()


@pytest.mark.parametrize("route", [r for r in ROUTES if r.public], ids=lambda r: r.name)
def test_public_routes_never_ask_for_a_token(api, route) -> None:
    schema, _ = api

    @given(case=schema.find_operation_by_id(route.name).as_strategy())
    @settings(max_examples=5, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    def run(case: schemathesis.Case) -> None:
        response = case.call(headers={})
        _check(response)
        if response.status_code == 401:  # wrong credentials in the body, not a missing bearer
            assert "bearer" not in response.json()["detail"].lower()

    run()
