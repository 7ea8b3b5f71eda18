"""The TMF face and TmfBackend in TM Forum Open API v5 (``--tmf-version 5``,
``Selfcare.tmf(..., version=5)``): every exchange checked against the v5 spec files by the
same ``SpecCheck`` as v4 (the contract suite runs on v5 as ``tmf5-sync``/``tmf5-async``);
here what v5 changes: the roots, ``@type`` on every object, the polymorphic references,
``billCycle``, JSON Patch, and the readers taking either version's shapes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import attrs
import httpx
import pytest

from selfcare import ValidationError
from selfcare import operations as ops
from selfcare.backends.fake import FakeBackend, FakeOperator
from selfcare.server import TMF_ROUTES, LiveServer
from selfcare.tmf import DEFAULT_PROFILE, STANDARD_ROOTS, V5_APIS, V5_ROOTS, TmfProtocol
from selfcare.tmf import _mapping as m
from selfcare.tmf import _service_mapping as sm
from tests._server import SwitchableResolver
from tests.tmf._check import SpecCheck

V5 = DEFAULT_PROFILE.with_version(5)


@pytest.fixture
def face(
    operator: FakeOperator, tmf5_live_server: tuple[LiveServer, SwitchableResolver, SpecCheck]
) -> Iterator[tuple[httpx.Client, SpecCheck]]:
    server, resolver, check = tmf5_live_server
    resolver.use(operator)
    check.violations.clear()
    headers = {"Authorization": f"Bearer {operator.token().reveal()}"}
    with httpx.Client(base_url=server.url, headers=headers, timeout=30) as client:
        yield client, check
    assert check.violations == []


def test_the_profile_speaks_v5_where_tm_forum_has_one() -> None:
    assert V5.root("bill") == "/tmf-api/customerBillManagement/v5"
    assert V5.root("troubleTicket") == "/tmf-api/troubleTicket/v5"
    assert V5.root("usage") == STANDARD_ROOTS["usage"]  # TMF635 has no v5
    assert {api for api in V5_APIS if V5.version(api) == 5} == set(V5_APIS)
    one = DEFAULT_PROFILE.with_version(5, "bill")
    assert (one.version("bill"), one.version("account")) == (5, 4)
    moved = V5.with_roots(bill="http://bss/cb")
    assert moved.root("bill") == "http://bss/cb"  # a configured root stays configured
    assert "v5=" in repr(TmfProtocol(V5))


@pytest.mark.parametrize("versions", [{"usage": 5}, {"bill": 6}, {"bill": True}])
def test_a_version_tm_forum_does_not_publish_is_refused(versions: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as caught:
        attrs.evolve(DEFAULT_PROFILE, versions=versions)
    assert caught.value.field == "versions"


_V5_LISTS = [
    r
    for r in TMF_ROUTES
    if r.api in V5_APIS and r.method == "GET" and "{" not in r.path and 5 in r.versions
]


@pytest.mark.parametrize("route", _V5_LISTS, ids=lambda r: f"{r.api}{r.path}")
def test_every_v5_record_has_its_type_and_an_href_under_the_v5_root(
    face: tuple[httpx.Client, SpecCheck], route: Any
) -> None:
    client, check = face
    if route.path == "/troubleTicket":
        client.post(
            V5_ROOTS["troubleTicket"] + "/troubleTicket",
            json={
                "@type": "TroubleTicket",
                "description": "No signal",
                "severity": "minor",
                "ticketType": "network",
            },
        )
    answer = client.get(V5_ROOTS[route.api] + route.path, params={"limit": 20})
    assert answer.status_code == 200, answer.text
    records = answer.json()
    if route.path in ("/customerBillOnDemand", "/productOrder"):
        return  # only what a caller created
    assert records, route.path
    root = f"{client.base_url}".rstrip("/") + V5_ROOTS[route.api] + route.path
    for record in records:
        assert record["@type"], record
        assert record["href"] == f"{root}/{record['id']}"
    assert check.checked  # and every answer validated against the v5 file (the fixture)


def test_v4_roots_of_v5_apis_are_not_served_and_the_others_stay_v4(
    face: tuple[httpx.Client, SpecCheck],
) -> None:
    client, check = face
    gone = client.get(STANDARD_ROOTS["bill"] + "/customerBill")
    assert gone.status_code == 404
    assert client.get(STANDARD_ROOTS["usage"] + "/usage", params={"limit": 1}).status_code == 200
    check.violations = [v for v in check.violations if "not under a TMF basePath" not in v]


def test_v5_references_are_polymorphic(face: tuple[httpx.Client, SpecCheck]) -> None:
    client, _ = face
    account = client.get(V5_ROOTS["account"] + "/billingAccount").json()[0]
    owner = account["relatedParty"][0]
    assert owner["role"] == "owner"
    assert owner["partyOrPartyRole"]["@type"] == "PartyRef"
    assert owner["partyOrPartyRole"]["id"].startswith("+")
    bill = client.get(V5_ROOTS["bill"] + "/customerBill").json()[0]
    assert bill["billingAccount"]["@type"] == "BillingAccountRef"
    cycle = client.get(V5_ROOTS["bill"] + f"/billCycle/{bill['billCycle']['id']}")
    assert cycle.status_code == 200
    assert cycle.json()["@type"] == "BillCycle"


def test_a_v5_create_without_its_type_is_a_400_naming_it(
    face: tuple[httpx.Client, SpecCheck],
) -> None:
    client, check = face
    answer = client.post(
        V5_ROOTS["troubleTicket"] + "/troubleTicket",
        json={"description": "No signal", "severity": "minor", "ticketType": "network"},
    )
    assert answer.status_code == 400
    assert answer.json()["field"] == "@type"
    check.violations = [v for v in check.violations if ": request " not in v]


def _ticket(client: httpx.Client) -> str:
    created = client.post(
        V5_ROOTS["troubleTicket"] + "/troubleTicket",
        json={
            "@type": "TroubleTicket",
            "description": "No signal",
            "severity": "minor",
            "ticketType": "network",
        },
    )
    assert created.status_code == 201, created.text
    return str(created.json()["id"])


_JSON_PATCH = {"Content-Type": "application/json-patch+json"}


def test_a_json_patch_adds_a_note_and_sets_a_bill_state(
    face: tuple[httpx.Client, SpecCheck],
) -> None:
    client, _ = face
    where = V5_ROOTS["troubleTicket"] + f"/troubleTicket/{_ticket(client)}"
    note = {"@type": "Note", "author": "subscriber", "text": "Still nothing"}
    patch = [{"op": "add", "path": "/note/-", "value": note}]
    answer = client.patch(where, json=patch, headers=_JSON_PATCH)
    assert answer.status_code == 200, answer.text
    assert [n["text"] for n in client.get(where).json()["note"]] == ["Still nothing"]
    bill = client.get(V5_ROOTS["bill"] + "/customerBill").json()[0]
    where = V5_ROOTS["bill"] + f"/customerBill/{bill['id']}"
    patch = [{"op": "replace", "path": "/state", "value": "onHold"}]
    answer = client.patch(where, json=patch, headers=_JSON_PATCH)
    assert answer.status_code == 200, answer.text
    assert client.get(where).json()["state"] == "onHold"


def test_a_json_patch_this_server_cannot_apply_is_a_400_naming_the_operation(
    face: tuple[httpx.Client, SpecCheck],
) -> None:
    client, check = face
    where = V5_ROOTS["troubleTicket"] + f"/troubleTicket/{_ticket(client)}"
    patch = [{"op": "move", "from": "/name", "path": "/description"}]
    answer = client.patch(where, json=patch, headers=_JSON_PATCH)
    assert answer.status_code == 400
    assert answer.json()["field"] == "body[0]"
    check.violations = [v for v in check.violations if ": request " not in v]


# ---------------------------------------------------------------- the mapping, both versions


@pytest.fixture
def fake(operator: FakeOperator) -> FakeBackend:
    return FakeBackend(operator)


@pytest.mark.parametrize("version", [4, 5])
def test_what_the_writers_write_the_readers_read_in_either_version(
    fake: FakeBackend, version: int
) -> None:
    catalog = fake.execute(ops.GetServiceCatalog())
    assert [sm.service_from_tmf(sm.service_to_tmf(s, V5, version), V5) for s in catalog] == list(
        catalog
    )
    complaint = fake.execute(ops.ListComplaints()).items[0]
    assert m.complaint_from_tmf(m.complaint_to_tmf(complaint, version)) == complaint
    account = fake.execute(ops.GetAccount())
    balance = fake.execute(ops.GetBalance())
    billing = m.billing_account_to_tmf(account, balance, V5, version)
    products = [
        sm.connected_to_tmf(s, account.personal_account, V5, account.number.e164, version)
        for s in fake.execute(ops.ListConnectedServices())
    ]
    assert m.account_from_tmf(billing, products, V5) == account
    assert [sm.connected_from_tmf(p, V5) for p in products] == list(
        fake.execute(ops.ListConnectedServices())
    )


def test_an_unknown_subtype_and_extra_attributes_still_parse(fake: FakeBackend) -> None:
    complaint = fake.execute(ops.ListComplaints()).items[0]
    doc = m.complaint_to_tmf(complaint, 5)
    doc["@type"] = "OperatorTroubleTicket"
    doc["operatorOnly"] = {"x": 1}
    for entity in doc["relatedEntity"]:
        entity["@type"] = "OperatorRelatedEntity"
    assert m.complaint_from_tmf(doc) == complaint


def test_the_offerings_are_in_one_product_catalog(face: tuple[httpx.Client, SpecCheck]) -> None:
    """v5 renames v4's ``/catalog`` to ``/productCatalog`` (a ``ProductCatalog``)."""
    client, _ = face
    answer = client.get(V5_ROOTS["catalog"] + "/productCatalog")
    assert answer.status_code == 200, answer.text
    [catalog] = answer.json()
    assert catalog["@type"] == "ProductCatalog"
    assert (
        str(len(client.get(V5_ROOTS["catalog"] + "/productOffering").json()))
        in (catalog["description"])
    )
    assert client.get(catalog["href"]).json() == catalog
    assert client.get(V5_ROOTS["catalog"] + "/productCatalog/other").status_code == 404


def test_with_json_patch_a_note_is_one_request(
    face: tuple[httpx.Client, SpecCheck], operator: FakeOperator
) -> None:
    """``json_patch=True``: ``add /note/-`` in one PATCH, no read of the ticket first (so a
    note added in between is kept); the face applies it and SpecCheck validates it."""
    client, check = face
    ticket = _ticket(client)
    sent: list[httpx.Request] = []
    profile = attrs.evolve(V5, json_patch=True)
    op = ops.AddComplaintNote(complaint_id=ticket, text="Any news?")
    with httpx.Client(
        base_url=client.base_url, headers=client.headers, event_hooks={"request": [sent.append]}
    ) as http:
        flow = TmfProtocol(profile).flow(http, op)
        try:
            step = next(flow)
            while True:
                step = flow.send(http.send(step))
        except StopIteration as done:
            complaint = done.value
    assert [n.text for n in complaint.notes] == ["Any news?"]
    assert [(r.method, r.headers["Content-Type"]) for r in sent] == [
        ("PATCH", "application/json-patch+json")
    ]
    assert check.checked
