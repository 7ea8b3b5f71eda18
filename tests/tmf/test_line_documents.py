"""What the TMF face keeps of a request's body (a ticket's ``externalId``, an order, a refused
adjustment) belongs to the line the request acted on: another line of the same login never
sees it, and reading the rest of a fleet does not make the fake forget it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from selfcare.backends.fake import FakeOperator, ManualClock
from selfcare.model import PhoneNumber
from selfcare.server._fake import FakeResolver
from selfcare.server.tmf import create_tmf_app
from selfcare.tmf._line_mapping import LINE_SCOPES
from selfcare.tmf._profile import standard_root
from tests.conftest import NOW

SCOPE = LINE_SCOPES[4]
TICKETS = standard_root("troubleTicket", 4) + "/troubleTicket"
ORDERS = standard_root("ordering", 4) + "/productOrder"
PREPAY = standard_root("prepay", 4)
A, B = "+79857000104", "+79857000163"  # two acme lines whose next complaint ids are equal


@pytest.fixture
async def acme() -> AsyncIterator[tuple[FakeOperator, httpx.AsyncClient]]:
    operator = FakeOperator(seed=42, clock=ManualClock(NOW))
    app = create_tmf_app(FakeResolver(operator))
    headers = {"Authorization": f"Bearer {operator.token('acme').reveal()}"}
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t", headers=headers) as c:
        yield operator, c


def _ticket(**extra: Any) -> dict[str, Any]:
    return {"description": "slow data", "ticketType": "network", "name": "x", **extra}


async def test_a_tickets_kept_attributes_stay_on_its_line(acme) -> None:  # type: ignore[no-untyped-def]
    _, c = acme
    on_a = await c.post(
        TICKETS, params={SCOPE: A}, json=_ticket(severity="critical", externalId="A-PRIVATE")
    )
    on_b = await c.post(TICKETS, params={SCOPE: B}, json=_ticket(severity="minor"))
    assert on_a.status_code == on_b.status_code == 201
    assert on_a.json()["id"] == on_b.json()["id"]  # ids are per line: the same here
    for shown in (
        on_b.json(),
        (await c.get(f"{TICKETS}/{on_b.json()['id']}", params={SCOPE: B})).json(),
    ):
        assert shown["severity"] == "minor"
        assert "externalId" not in shown
    again = (await c.get(f"{TICKETS}/{on_a.json()['id']}", params={SCOPE: A})).json()
    assert (again["externalId"], again["severity"]) == ("A-PRIVATE", "critical")


async def test_orders_and_balance_actions_are_listed_on_their_own_line_only(acme) -> None:  # type: ignore[no-untyped-def]
    _, c = acme
    line_7, line_9 = "+79857000007", "+79857000009"
    item = {"id": "1", "action": "add", "productOffering": {"id": "content-block"}}
    order = await c.post(
        ORDERS, params={SCOPE: line_7}, json={"productOrderItem": [item], "description": "7"}
    )
    assert order.status_code == 201
    bucket = (await c.get(PREPAY + "/bucket", params={SCOPE: line_7})).json()[0]["id"]
    adjust = {"amount": {"amount": 5, "units": "RUB"}, "usageType": "monetary"}
    adjusted = await c.post(
        PREPAY + "/adjustBalance", params={SCOPE: line_7}, json={**adjust, "bucket": {"id": bucket}}
    )
    assert adjusted.status_code == 201
    assert (await c.get(ORDERS, params={SCOPE: line_9})).json() == []
    assert (await c.get(PREPAY + "/adjustBalance", params={SCOPE: line_9})).json() == []
    history = (await c.get(PREPAY + "/balanceActionHistory", params={SCOPE: line_9})).json()
    assert not [entry for entry in history if entry["id"].startswith("adjust-")]
    assert [o["id"] for o in (await c.get(ORDERS, params={SCOPE: line_7})).json()] == [
        order.json()["id"]
    ]


async def test_what_a_fleet_line_keeps_outlives_reading_the_rest_of_the_fleet(acme) -> None:  # type: ignore[no-untyped-def]
    operator, c = acme
    filed = await c.post(
        TICKETS, params={SCOPE: A}, json=_ticket(severity="minor", externalId="KEEP-ME")
    )
    assert filed.status_code == 201
    manager = operator.subscriber("acme")
    fleet = next(f for f in operator.fleets if A in f.lines)
    others = [n for n, line in fleet.lines.items() if n != A and line.login is None]
    bills = standard_root("bill", 4) + "/customerBill"
    bill = (await c.get(bills, params={SCOPE: B})).json()[0]["id"]
    held = await c.patch(f"{bills}/{bill}", params={SCOPE: B}, json={"state": "onHold"})
    assert held.status_code == 200  # a patch the face keeps, no operation on the line
    for number in others[: operator.read_lines_kept + 4]:  # more than the fake keeps read
        operator.line(manager, PhoneNumber(number))
    again = await c.get(f"{TICKETS}/{filed.json()['id']}", params={SCOPE: A})
    assert again.json()["externalId"] == "KEEP-ME"
    assert (await c.get(f"{bills}/{bill}", params={SCOPE: B})).json()["state"] == "onHold"


def test_a_hub_on_a_fleet_line_only_read_is_kept_and_delivered() -> None:
    from selfcare.backends.fake._webhooks import HubSpec
    from selfcare.model.events import EventType

    operator = FakeOperator(seed=42, clock=ManualClock(NOW))
    token = operator.token("acme")
    manager = operator.subscriber("acme")
    line = PhoneNumber("+79857000007")
    spec = HubSpec(
        "customerBill",
        4,
        None,
        {},
        "http://x/tmf",
        operator.line(manager, line).account,
        None,
        token,
    )
    hub = operator.add_hub(token, line, "http://listener.example/cb", tuple(EventType), spec)
    assert [record.endpoint.id for record, _ in operator.hub_records()] == [hub.id]
    fleet = next(f for f in operator.fleets if line.e164 in f.lines)
    others = [n for n, kept in fleet.lines.items() if n != line.e164 and kept.login is None]
    for number in others[: operator.read_lines_kept + 4]:
        operator.line(manager, PhoneNumber(number))
    assert list(operator.line(manager, line).webhooks.hubs) == [hub.id]
    operator.remove_hub(token, line, "customerBill", hub.id)
