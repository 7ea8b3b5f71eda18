"""An error read from a server's answer says which answer: its HTTP status, the server's
``x-request-id``, the caller's ``x-correlator`` and the problem type; the fake's errors are
the same class with the same ``field``, and ``None`` for what only an answer has."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

import selfcare
from selfcare import (
    APIError,
    AsyncSelfcare,
    NotFound,
    RequestInProgress,
    Selfcare,
    TransportError,
    ValidationError,
)
from selfcare.backends import AsyncHttpBackend, HttpBackend
from selfcare.backends.fake import FakeOperator
from selfcare.server import FakeResolver, LiveServer, create_app, create_tmf_app
from selfcare.tmf import DEFAULT_PROFILE, TmfProtocol

REQUEST_ID = re.compile(r"req_[0-9a-f]{16}")
NOT_FOUND = "urn:selfcare:problem:not-found"


def test_every_configuration_raises_the_same_error_and_servers_name_their_answer(
    sc: Any, configuration: str
) -> None:
    with pytest.raises(NotFound, match="no complaint 'cmp404'") as caught:
        sc.complaints.get("cmp404")
    error = caught.value
    assert error.type == NOT_FOUND and error.field == "complaint_id"
    if configuration.startswith("fake"):
        assert (error.status_code, error.request_id, error.response) == (None, None, None)
        return
    assert error.status_code == 404
    assert error.request_id is not None and REQUEST_ID.fullmatch(error.request_id)
    assert error.response is not None
    assert error.request_id == error.response.headers["x-request-id"]
    assert error.correlator is None  # the client sends none unless told to


def _http(url: str, protocol: Any = None, **options: Any) -> Selfcare:
    return Selfcare(HttpBackend(url, "unused", protocol=protocol, **options))


@pytest.fixture
def faces(live_server: Any, tmf_live_server: Any, operator: FakeOperator) -> dict[str, Any]:
    """Builds a client on either face of the server for the test's operator."""
    token = operator.token().reveal()
    live_server[1].use(operator)
    tmf_live_server[1].use(operator)

    def build(face: str, **options: Any) -> Selfcare:
        if face == "tmf":
            protocol = TmfProtocol(DEFAULT_PROFILE)
            return Selfcare(
                HttpBackend(tmf_live_server[0].url, token, protocol=protocol, **options)
            )
        return Selfcare(HttpBackend(live_server[0].url, token, **options))

    return {"build": build, "native": live_server[0].url, "tmf": tmf_live_server[0].url}


@pytest.mark.parametrize("face", ["native", "tmf"])
def test_a_callers_correlator_is_echoed_and_carried_by_the_error(
    faces: dict[str, Any], face: str
) -> None:
    with (
        faces["build"](face, headers={"x-correlator": "order-4711:retry"}) as sc,
        pytest.raises(NotFound) as caught,
    ):
        sc.complaints.get("cmp404")
    error = caught.value
    assert error.correlator == "order-4711:retry"
    assert error.response is not None
    assert error.response.headers["x-correlator"] == "order-4711:retry"
    assert error.request_id == error.response.headers["x-request-id"]


@pytest.mark.parametrize("face", ["native", "tmf"])
def test_every_answer_has_its_own_request_id(faces: dict[str, Any], face: str) -> None:
    path = "/v1/account" if face == "native" else "/tmf-api/customerBillManagement/v4/customerBill"
    ids = set()
    with httpx.Client(base_url=faces[face]) as http:
        for correlator in ("a-1", "b-2"):
            answer = http.get(path, headers={"x-correlator": correlator})  # 401: no token
            assert answer.headers["x-correlator"] == correlator
            ids.add(answer.headers["x-request-id"])
        ok = http.get(path, headers={"authorization": "Bearer nope"})
        assert "x-correlator" not in ok.headers
        ids.add(ok.headers["x-request-id"])
    assert len(ids) == 3 and all(REQUEST_ID.fullmatch(i) for i in ids)


@pytest.mark.parametrize(("face", "status"), [("native", 422), ("tmf", 400)])
def test_a_correlator_off_camaras_pattern_is_refused_naming_the_header(
    faces: dict[str, Any], face: str, status: int
) -> None:
    bad = "two words " + "x" * 300
    with httpx.Client(base_url=faces[face]) as http:
        answer = http.get("/v1/account", headers={"x-correlator": bad})
    assert answer.status_code == status
    assert REQUEST_ID.fullmatch(answer.headers["x-request-id"])
    assert "x-correlator" not in answer.headers and bad not in answer.text
    assert "x-correlator" in answer.text


def test_the_client_refuses_a_bad_correlator_before_sending() -> None:
    with pytest.raises(ValidationError, match="x-correlator") as caught:
        HttpBackend("http://api.test", "t", headers={"x-correlator": "not allowed!"})
    assert caught.value.field == "headers"


def test_repr_shows_the_answer_and_never_the_token(faces: dict[str, Any]) -> None:
    with faces["build"]("native") as sc, pytest.raises(NotFound) as caught:
        sc.complaints.get("cmp404")
    error = caught.value
    shown = repr(error)
    assert shown.startswith("NotFound(\"there is no complaint 'cmp404'\", field='complaint_id', ")
    assert "status_code=404" in shown and f"request_id={error.request_id!r}" in shown
    assert f"type={NOT_FOUND!r}" in shown
    assert error.response is not None
    token = error.response.request.headers["authorization"].removeprefix("Bearer ")
    assert token not in shown and token not in str(error)


def test_the_fakes_repr_has_the_type_and_nothing_it_cannot_know() -> None:
    with Selfcare.fake() as sc, pytest.raises(NotFound) as caught:
        sc.complaints.get("cmp404")
    assert repr(caught.value) == (
        f"NotFound(\"there is no complaint 'cmp404'\", field='complaint_id', type={NOT_FOUND!r})"
    )


def _answer(status: int, body: bytes, **headers: str) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, content=body, headers=headers)

    return httpx.MockTransport(handler)


def test_an_unknown_problem_type_is_kept_on_the_api_error() -> None:
    body = b'{"type": "urn:example:quota-exceeded", "title": "Quota", "status": 409}'
    transport = _answer(
        409, body, **{"content-type": "application/problem+json", "x-request-id": "gw-7"}
    )
    with _http("http://api.test", transport=transport) as sc, pytest.raises(APIError) as caught:
        sc.account.get()
    error = caught.value
    assert (error.type, error.status_code, error.request_id) == (
        "urn:example:quota-exceeded",
        409,
        "gw-7",
    )


def test_an_answer_that_is_not_a_problem_still_names_its_status_and_id() -> None:
    transport = _answer(500, b"<html>oops</html>", **{"x-request-id": "r" * 400})
    with (
        _http("http://api.test", transport=transport, max_retries=0) as sc,
        pytest.raises(APIError) as caught,
    ):
        sc.account.get()
    error = caught.value
    assert error.status_code == 500 and error.type == "urn:selfcare:problem:api-error"
    assert error.request_id is not None and len(error.request_id) <= 257  # a server's, clipped


def test_no_answer_means_no_status_and_no_request_id() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    transport = httpx.MockTransport(refuse)
    with (
        _http("http://api.test", transport=transport, max_retries=0) as sc,
        pytest.raises(TransportError) as caught,
    ):
        sc.account.get()
    assert (caught.value.status_code, caught.value.request_id) == (None, None)


async def test_the_async_client_carries_the_same(faces: dict[str, Any]) -> None:
    backend = AsyncHttpBackend(faces["native"], "unknown-token", headers={"x-correlator": "c-1"})
    async with AsyncSelfcare(backend) as sc:
        with pytest.raises(selfcare.AuthenticationError) as caught:
            await sc.account.get()
    error = caught.value
    assert error.status_code == 401 and error.correlator == "c-1"
    assert error.request_id is not None and REQUEST_ID.fullmatch(error.request_id)


def test_an_unexpected_failure_is_rendered_by_its_face_with_a_request_id(
    caplog: pytest.LogCaptureFixture,
) -> None:
    class Broken(FakeResolver):
        def __call__(self, token: Any) -> Any:
            raise RuntimeError("boom")

    native = create_app(Broken(FakeOperator()))
    tmf = create_tmf_app(Broken(FakeOperator()))
    cases = [
        (native, "/v1/account", "application/problem+json"),
        (tmf, "/tmf-api/customerBillManagement/v4/customerBill", "application/json"),
    ]
    for app, path, kind in cases:
        with LiveServer(app) as server, httpx.Client(base_url=server.url) as http:
            answer = http.get(path, headers={"authorization": "Bearer x"})
        assert answer.status_code == 500 and answer.headers["content-type"].startswith(kind)
        request_id = answer.headers["x-request-id"]
        assert REQUEST_ID.fullmatch(request_id) and "boom" not in answer.text
        assert any(request_id in r.getMessage() for r in caplog.records)  # logged with its id


def test_request_in_progress_is_exported() -> None:
    assert selfcare.RequestInProgress is RequestInProgress
    assert "RequestInProgress" in selfcare.__all__


def test_the_cli_quotes_the_request_id_in_its_one_line_error() -> None:
    from selfcare.cli._errors import translate

    error = NotFound("there is no complaint 'cmp404'")
    assert translate(error, debug=False).format_message() == "there is no complaint 'cmp404'"
    error.request_id = "req_0123456789abcdef"
    assert translate(error, debug=False).format_message() == (
        "there is no complaint 'cmp404' (request req_0123456789abcdef)"
    )
