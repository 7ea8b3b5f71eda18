"""The id of a webhook endpoint made of TMF hubs (``sc.webhooks.create`` on a TMF backend):
it names the hubs, types and creation time, never the callback, and what ``delete`` reads
from it cannot point a DELETE anywhere but ``{root}/hub/{id}``."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime

import httpx
import pytest

from selfcare import NotFound
from selfcare.model.events import EventType
from selfcare.tmf import DEFAULT_PROFILE, TmfHub
from selfcare.tmf._hubs import ENDPOINT_PREFIX, delete_hubs, endpoint_hubs, endpoint_id

WHEN = datetime(2026, 12, 5, 3, 0, tzinfo=UTC)
SECRET_CALLBACK = "https://me.example/tmf/6f1c9e2a-secret"


def _forged(doc: object) -> str:
    packed = base64.urlsafe_b64encode(json.dumps(doc).encode()).decode().rstrip("=")
    return ENDPOINT_PREFIX + packed


def test_the_id_names_the_hubs_and_types_but_not_the_callback() -> None:
    hubs = (
        TmfHub("payment", "hub-1", SECRET_CALLBACK, "eventType=PaymentCreateEvent"),
        TmfHub("prepay", "hub/2 é", SECRET_CALLBACK, None),
    )
    made = endpoint_id(hubs, (EventType.PAYMENT_SUCCEEDED,), WHEN)
    assert made.startswith(ENDPOINT_PREFIX) and "secret" not in made
    assert "6f1c" not in base64.urlsafe_b64decode(made[len(ENDPOINT_PREFIX) :] + "==").decode()
    read, types, created = endpoint_hubs(made, DEFAULT_PROFILE)
    assert [(h.api, h.id) for h in read] == [("payment", "hub-1"), ("prepay", "hub/2 é")]
    assert (types, created) == ((EventType.PAYMENT_SUCCEEDED,), WHEN)


@pytest.mark.parametrize(
    "endpoint",
    [
        "whk_0001",
        ENDPOINT_PREFIX,
        ENDPOINT_PREFIX + "!!!",
        ENDPOINT_PREFIX + "bm90IGpzb24",  # "not json"
        _forged({"h": [], "t": [], "c": 0}),
        _forged({"h": [["nowhere", "hub-1"]], "t": [], "c": 0}),
        _forged({"h": [["bill", ".."]], "t": [], "c": 0}),
        _forged({"h": [["bill", "hub-1"]], "t": ["message.sent"], "c": 0}),
        _forged({"h": [["bill", "hub-1"]], "t": [], "c": "yesterday"}),
        _forged({"h": [["bill", "hub-1"]], "t": [], "c": 10**30}),
        ENDPOINT_PREFIX + "A" * 10_000,
    ],
)
def test_an_id_it_did_not_make_is_not_found_without_echoing_it_in_full(endpoint: str) -> None:
    with pytest.raises(NotFound) as caught:
        endpoint_hubs(endpoint, DEFAULT_PROFILE)
    assert len(str(caught.value)) < 200


def test_a_hub_id_is_one_path_segment_of_the_delete() -> None:
    sent: list[httpx.Request] = []
    with httpx.Client(base_url="http://bss.test") as client:
        flow = delete_hubs(
            client, DEFAULT_PROFILE, [TmfHub("bill", "../customerBill/b-1", "", None)]
        )
        request = next(flow)
        while True:
            sent.append(request)
            try:
                request = flow.send(httpx.Response(404))
            except StopIteration as done:
                gone = done.value
                break
    [only] = sent
    assert only.method == "DELETE"
    assert only.url.raw_path.decode().endswith("/hub/..%2FcustomerBill%2Fb-1")
    assert [h.id for h in gone] == ["../customerBill/b-1"]  # a 404: already gone
