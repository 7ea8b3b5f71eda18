"""The TMF face as TM Forum's Conformance Test Kits use it, driven by the official specs.

The kits (v4 Postman collections) create each resource with a minimal body, then read it back
by id, list it with attribute filters and ``fields`` selection, patch and delete it where the
API defines that, and expect a 404 for an unknown id. Here the minimal bodies are built from
each spec's ``_Create`` definition (its ``required`` attributes only), every exchange is
validated against the spec (``SpecCheck``), and every returned record must carry the
attributes the spec marks mandatory.

Where a test asserts what the profiles make mandatory (the attributes of every listed record,
``billDocument``, the applied rates of a bill, the patchable bill ``state``, a 404 for an
unknown id), it runs on v5 too (``version`` 5: the face started with ``--tmf-version 5``, the
v5 roots, the v5 names and the v5 spec files' ``required`` lists, ``@type`` included).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest

from selfcare import Selfcare
from selfcare.backends.fake import FakeOperator, ManualClock
from selfcare.model import ComplaintCategory, MessageStatus
from selfcare.server import TMF_ROUTES, LiveServer
from selfcare.server.tmf import MAX_DOCUMENT_BYTES
from selfcare.tmf import STANDARD_ROOTS, V5_APIS, V5_ROOTS
from tests._server import SwitchableResolver
from tests.tmf._check import SpecCheck
from tests.tmf._spec import _deref, spec

KIT_RESOURCES = (
    ("usage", "/usage", "Usage"),
    ("bill", "/customerBillOnDemand", "CustomerBillOnDemand"),
    ("communication", "/communicationMessage", "CommunicationMessage"),
    ("payment", "/payment", "Payment"),
    ("prepay", "/topupBalance", "TopupBalance"),
    ("usage", "/usageSpecification", "UsageSpecification"),
    ("prepay", "/adjustBalance", "AdjustBalance"),
    ("prepay", "/reserveBalance", "ReserveBalance"),
)
"""What the kits for TMF635, TMF678, TMF681, TMF676 and TMF654 create and then read."""

KIT_TICKET = (("troubleTicket", "/troubleTicket", "TroubleTicket"),)
"""The TMF621 v4 kit's resource, created and read as the others (its PATCH takes notes, its
DELETE is refused: see the v5 tests, which cover both)."""

READ_ONLY = (
    ("bill", "/customerBill", "CustomerBill"),
    ("bill", "/appliedCustomerBillingRate", "AppliedCustomerBillingRate"),
    ("prepay", "/bucket", "Bucket"),
    ("prepay", "/accumulatedBalance", "AccumulatedBalance"),
    ("prepay", "/balanceActionHistory", "BalanceActionHistory"),
    ("catalog", "/productSpecification", "ProductSpecification"),
    ("catalog", "/productOfferingPrice", "ProductOfferingPrice"),
    ("catalog", "/category", "Category"),
)

STATE = {
    "TroubleTicket": "status",
    "Usage": "status",
    "Payment": "status",
    "TopupBalance": "status",
    "AdjustBalance": "status",
    "ReserveBalance": "status",
    "UsageSpecification": "lifecycleStatus",
    "BalanceActionHistory": "status",
}
"""The resource's state attribute (``state`` unless named here)."""

ACCOUNT_REFS = {"account", "partyAccount", "billingAccount"}


def _definition(api: str, name: str) -> dict[str, Any]:
    return spec(api)["definitions"][name]  # type: ignore[no-any-return]


def minimal(api: str, schema: dict[str, Any], account: str, name: str = "") -> Any:
    """The smallest value ``schema`` allows: its required attributes only, recursively; an
    account reference names the token's own account, as the kits are configured to."""
    if "$ref" in schema:
        return minimal(api, _definition(api, schema["$ref"].rsplit("/", 1)[1]), account, name)
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type", "object")
    if kind == "object":
        doc = {
            prop: minimal(api, schema["properties"][prop], account, prop)
            for prop in schema.get("required", [])
        }
        if name in ACCOUNT_REFS:
            doc["id"] = account
        if name == "bucket":  # the kits are configured with one of the line's buckets
            doc["id"] = f"{account}-main"
        return doc
    if kind == "array":
        return [minimal(api, schema["items"], account) for _ in range(schema.get("minItems", 0))]
    if kind == "string":
        return datetime.now(UTC).isoformat() if schema.get("format") == "date-time" else "ctk"
    return {"integer": 1, "number": 1, "boolean": False}[kind]


def create_body(api: str, resource: str, account: str) -> dict[str, Any]:
    body = minimal(api, _definition(api, f"{resource}_Create"), account)
    assert isinstance(body, dict)
    return body


@pytest.fixture
def face(
    operator: FakeOperator, request: pytest.FixtureRequest
) -> Iterator[tuple[httpx.Client, SpecCheck, str]]:
    """A client of the TMF face on 127.0.0.1 with the subscriber's bearer token (as newman
    runs a kit), the spec check around the face, and the token's billing account; the face
    serving v5 when the test is parametrised with ``version`` 5."""
    version = request.getfixturevalue("version") if "version" in request.fixturenames else 4
    fixture = "tmf5_live_server" if version == 5 else "tmf_live_server"
    server: LiveServer
    resolver: SwitchableResolver
    check: SpecCheck
    server, resolver, check = request.getfixturevalue(fixture)
    resolver.use(operator)
    check.violations.clear()
    token = operator.token().reveal()
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=server.url, headers=headers, timeout=30) as client:
        account = client.get(_url("account", "/billingAccount", version)).json()[0]["id"]
        yield client, check, account
    assert check.violations == []


def _url(api: str, path: str, version: int = 4) -> str:
    return (V5_ROOTS if version == 5 else STANDARD_ROOTS)[api] + path


def _mandatory(api: str, resource: str, version: int = 4) -> list[str]:
    """The attributes the spec marks required on ``resource`` (v5: through its ``allOf``
    bases, e.g. ``Entity``'s ``@type``; the discriminator's conditionals left out)."""
    if version == 5:
        return sorted(_required5(api, resource))
    return list(_definition(api, resource).get("required", []))


def _required5(api: str, name: str) -> set[str]:
    schema = spec(api, 5)["components"]["schemas"][name]
    required = set(schema.get("required", []))
    for part in schema.get("allOf", []):
        if "$ref" in part:
            required |= _required5(api, part["$ref"].rsplit("/", 1)[1])
        elif "if" not in part:
            required |= set(part.get("required", []))
    return required


VERSIONS = pytest.mark.parametrize("version", [4, 5])
"""A profile check that runs on the face serving v4 and on the face serving v5."""


def _spec_methods(api: str, path: str) -> set[str]:
    return {m.upper() for m in spec(api)["paths"][path] if m != "parameters"}


@pytest.mark.parametrize(("api", "collection", "resource"), KIT_RESOURCES + READ_ONLY)
def test_the_face_serves_every_operation_the_spec_defines_on_a_kit_resource(
    api: str, collection: str, resource: str
) -> None:
    served = {(r.method, r.path) for r in TMF_ROUTES if r.api == api}
    for path in (collection, collection + "/{id}"):
        for method in _spec_methods(api, path):
            assert (method, path) in served, f"{api} {method} {path} is not served"


@pytest.mark.parametrize(("api", "collection", "resource"), KIT_RESOURCES + KIT_TICKET)
def test_a_minimal_body_is_created_read_listed_filtered_and_selected(
    face: tuple[httpx.Client, SpecCheck, str], api: str, collection: str, resource: str
) -> None:
    client, check, account = face
    body = create_body(api, resource, account)
    created = client.post(_url(api, collection), json=body)
    assert created.status_code == 201, created.text
    doc = created.json()
    for name in ["id", *_mandatory(api, resource)]:
        assert name in doc, f"the created {resource} lacks {name!r}"

    fetched = client.get(_url(api, f"{collection}/{doc['id']}"))
    assert fetched.status_code == 200
    assert fetched.json()["id"] == doc["id"]

    total = int(client.get(_url(api, collection), params={"limit": 0}).headers["X-Total-Count"])
    last = client.get(_url(api, collection), params={"offset": max(0, total - 20)})
    assert doc["id"] in [d["id"] for d in last.json()]
    assert last.headers["X-Result-Count"] == str(len(last.json()))
    listed = client.get(_url(api, collection), params={"limit": 50})
    assert listed.json()
    for record in listed.json():
        missing = [n for n in _mandatory(api, resource) if n not in record]
        assert not missing, f"a listed {resource} lacks {missing}"

    state = STATE.get(resource, "state")
    only = client.get(_url(api, collection), params={"id": doc["id"], "fields": f"id,{state}"})
    assert [d["id"] for d in only.json()] == [doc["id"]]
    assert set(only.json()[0]) <= {"id", "href", state}
    assert only.json()[0].get(state) == doc.get(state)
    by_state = client.get(_url(api, collection), params={state: doc[state]})
    assert doc["id"] in [d["id"] for d in by_state.json()]
    assert all(d[state] == doc[state] for d in by_state.json())
    one = client.get(_url(api, f"{collection}/{doc['id']}"), params={"fields": state})
    assert set(one.json()) <= {"id", "href", state}
    assert check.violations == []


@pytest.mark.parametrize(("api", "collection", "resource"), KIT_RESOURCES + READ_ONLY)
def test_an_unknown_id_is_a_404_error(
    face: tuple[httpx.Client, SpecCheck, str], api: str, collection: str, resource: str
) -> None:
    client, _, _ = face
    for method in sorted(_spec_methods(api, collection + "/{id}")):
        body = (
            {
                name: "cancelled"
                for name in _definition(api, f"{resource}_Update").get("required", [])
            }
            if method == "PATCH"
            else None
        )
        answer = client.request(method, _url(api, f"{collection}/no-such-id"), json=body)
        assert answer.status_code == 404, (method, answer.text)
        assert "no-such-id" in answer.json()["message"]


@pytest.mark.parametrize("version", [5])
@pytest.mark.parametrize(
    "route",
    [r for r in TMF_ROUTES if r.api in V5_APIS and 5 in r.versions and "{id}" in r.path],
    ids=lambda r: f"{r.api}-{r.method}{r.path}",
)
def test_an_unknown_v5_id_is_a_404_error(
    face: tuple[httpx.Client, SpecCheck, str], route: Any, version: int
) -> None:
    client, _, _ = face
    path = route.path.replace("{id}", "no-such-id")
    body = {"@type": route.path.split("/")[1][0].upper() + route.path.split("/")[1][1:]}
    answer = client.request(
        route.method, _url(route.api, path, 5), json=body if route.method == "PATCH" else None
    )
    assert answer.status_code == 404, answer.text
    assert "no-such-id" in answer.json()["message"]
    assert answer.json()["status"] == "404"


@pytest.mark.parametrize(("api", "collection", "resource"), KIT_RESOURCES)
@pytest.mark.parametrize("media", ["application/json", "application/merge-patch+json"])
def test_a_created_resource_is_patched_and_deleted_where_the_api_defines_it(
    face: tuple[httpx.Client, SpecCheck, str],
    api: str,
    collection: str,
    resource: str,
    media: str,
) -> None:
    client, _, account = face
    methods = _spec_methods(api, collection + "/{id}")
    if not methods & {"PATCH", "DELETE"}:
        pytest.skip(f"{api} defines neither PATCH nor DELETE of {collection}")
    doc = client.post(_url(api, collection), json=create_body(api, resource, account)).json()
    where = _url(api, f"{collection}/{doc['id']}")
    if "PATCH" in methods:
        update = _definition(api, f"{resource}_Update")
        patch = {"description": "changed by the kit"}
        patch |= {n: doc[n] for n in update.get("required", [])}
        answer = client.patch(where, content=json.dumps(patch), headers={"Content-Type": media})
        assert answer.status_code == 200, answer.text
        assert {k: answer.json()[k] for k in patch} == patch
        assert client.get(where).json() == answer.json()
    if "DELETE" in methods:
        by_id = {"id": doc["id"]}
        assert [d["id"] for d in client.get(_url(api, collection), params=by_id).json()] == [
            doc["id"]
        ]
        assert client.delete(where).status_code == 204
        assert client.get(where).status_code == 404
        # Filtered by id, as a kit asks: the demo's whole usage list is ~7,600 records,
        # each checked against the spec, which under load outlasts the client's timeout.
        listed = client.get(_url(api, collection), params=by_id)
        assert listed.status_code == 200 and listed.json() == [], listed.text


@pytest.mark.parametrize(("api", "collection", "resource"), KIT_RESOURCES + KIT_TICKET)
def test_a_body_without_a_mandatory_attribute_is_a_400_naming_it(
    face: tuple[httpx.Client, SpecCheck, str], api: str, collection: str, resource: str
) -> None:
    client, check, account = face
    body = create_body(api, resource, account)
    for name in _definition(api, f"{resource}_Create").get("required", []):
        answer = client.post(
            _url(api, collection), json={k: v for k, v in body.items() if k != name}
        )
        assert answer.status_code == 400, answer.text
        assert answer.json()["field"] == name
        assert name in answer.json()["message"]
    for attribute, wrong in (("id", "mine"), ("href", "/x")):
        answer = client.post(_url(api, collection), json={**body, attribute: wrong})
        assert answer.status_code == 400
        assert answer.json()["field"] == attribute
    # the requests broke the spec on purpose; the answers must not
    check.violations = [v for v in check.violations if ": request " not in v]


def _post(
    client: httpx.Client, api: str, collection: str, body: dict[str, Any], version: int = 4
) -> Any:
    answer = client.post(_url(api, collection, version), json=body)
    assert answer.status_code == 201, answer.text
    return answer.json()


def test_a_spec_valid_message_selfcare_cannot_send_is_created_failed_with_the_reason(
    face: tuple[httpx.Client, SpecCheck, str],
) -> None:
    client, _, account = face
    body = {**create_body("communication", "CommunicationMessage", account), "messageType": "SMS"}
    body["receiver"] = [{"email": "someone@example.com"}]
    doc = _post(client, "communication", "/communicationMessage", body)
    assert doc["state"] == "failed"
    assert "receiver[0] has no phoneNumber" in doc["description"]
    again = client.get(_url("communication", f"/communicationMessage/{doc['id']}")).json()
    assert again["state"] == "failed"
    assert again["description"] == doc["description"]
    email = _post(
        client, "communication", "/communicationMessage", {**body, "messageType": "Email"}
    )
    assert email["state"] == "failed"
    assert "only SMS and MMS" in email["description"]


def test_a_kit_sms_to_a_number_is_sent_and_read_back(
    face: tuple[httpx.Client, SpecCheck, str],
) -> None:
    client, _, account = face
    body = create_body("communication", "CommunicationMessage", account)
    body |= {"messageType": "SMS", "content": "ctk", "receiver": [{"phoneNumber": "+79161234567"}]}
    doc = _post(client, "communication", "/communicationMessage", body)
    assert doc["state"] in ("inProgress", "completed")
    assert doc["receiver"] == [{"phoneNumber": "+79161234567"}]
    found = client.get(
        _url("communication", "/communicationMessage"),
        params={"receiver.phoneNumber": "+79161234567", "fields": "receiver"},
    ).json()
    assert doc["id"] in [d["id"] for d in found]
    assert all(set(d) <= {"id", "href", "receiver"} for d in found)
    where = _url("communication", f"/communicationMessage/{doc['id']}")
    assert client.delete(where).status_code == 204
    assert client.get(where).status_code == 404
    listed = client.get(_url("communication", "/communicationMessage")).json()
    assert doc["id"] not in [d["id"] for d in listed]


def test_deleting_a_scheduled_message_cancels_it(
    face: tuple[httpx.Client, SpecCheck, str], operator: FakeOperator, clock: ManualClock
) -> None:
    client, _, account = face
    body = create_body("communication", "CommunicationMessage", account)
    body |= {
        "messageType": "SMS",
        "receiver": [{"phoneNumber": "+79161234567"}],
        "scheduledSendTime": (clock.now() + timedelta(days=1)).isoformat(),
    }
    doc = _post(client, "communication", "/communicationMessage", body)
    assert doc["state"] == "initial"
    assert (
        client.delete(_url("communication", f"/communicationMessage/{doc['id']}")).status_code
        == 204
    )
    with Selfcare.fake(operator=operator) as sc:  # the operator's own log keeps the record
        assert sc.messages.get(doc["id"]).status is MessageStatus.CANCELLED


def test_a_top_up_without_a_voucher_and_a_payment_by_a_stored_method_fail_with_the_reason(
    face: tuple[httpx.Client, SpecCheck, str],
) -> None:
    client, _, account = face
    topup = _post(client, "prepay", "/topupBalance", create_body("prepay", "TopupBalance", account))
    assert topup["status"] == "failed"
    assert "voucher" in topup["reason"]
    body = create_body("payment", "Payment", account)
    body |= {"totalAmount": {"value": 100, "unit": "RUB"}, "paymentMethod": {"id": "pm-1"}}
    payment = _post(client, "payment", "/payment", body)
    assert payment["status"] == "declined"
    assert "paymentMethod @type None" in payment["description"]
    card = _post(
        client,
        "payment",
        "/payment",
        {**body, "paymentMethod": {"id": "4111111111111111", "@type": "BankCard"}},
    )
    assert card["status"] == "succeeded"
    listed = client.get(_url("payment", "/payment"), params={"status": "declined"}).json()
    assert payment["id"] in [d["id"] for d in listed]
    assert card["id"] not in [d["id"] for d in listed]
    assert {d["status"] for d in listed} == {"declined"}


@pytest.mark.parametrize(
    ("api", "collection", "resource", "attribute"),
    [
        ("payment", "/payment", "Payment", "account"),
        ("prepay", "/topupBalance", "TopupBalance", "partyAccount"),
    ],
)
def test_another_account_than_the_tokens_is_a_400_naming_it(
    face: tuple[httpx.Client, SpecCheck, str],
    api: str,
    collection: str,
    resource: str,
    attribute: str,
) -> None:
    client, _, account = face
    body = create_body(api, resource, account)
    body[attribute] = {"id": "someone-else"}
    answer = client.post(_url(api, collection), json=body)
    assert answer.status_code == 400
    assert answer.json()["field"] == f"{attribute}.id"
    assert "someone-else" in answer.json()["message"]


@pytest.mark.parametrize(
    ("api", "path", "method", "body", "field"),
    [
        ("usage", "/usage", "POST", {"status": "pending"}, "status"),
        ("communication", "/communicationMessage/{id}", "PATCH", {"state": "sent"}, "state"),
        ("prepay", "/topupBalance/{id}", "PATCH", {"status": "done"}, "status"),
        ("prepay", "/topupBalance/{id}", "PATCH", {"description": "no status"}, "status"),
        ("usage", "/usage", "POST", ["not", "an", "object"], "body"),
    ],
)
def test_a_value_the_spec_forbids_is_a_400_naming_the_attribute(
    face: tuple[httpx.Client, SpecCheck, str],
    api: str,
    path: str,
    method: str,
    body: Any,
    field: str,
) -> None:
    client, check, _ = face
    answer = client.request(method, _url(api, path.replace("{id}", "x")), json=body)
    assert answer.status_code == 400, answer.text
    assert answer.json()["field"] == field
    check.violations = [v for v in check.violations if ": request " not in v]


def test_a_top_up_carried_out_keeps_its_record(face: tuple[httpx.Client, SpecCheck, str]) -> None:
    client, _, account = face
    body = {**create_body("prepay", "TopupBalance", account), "voucher": "11111111111111"}
    doc = _post(client, "prepay", "/topupBalance", body)
    assert doc["status"] == "completed"
    assert "11111111111111" not in json.dumps(doc)  # the serial, never the PIN
    where = _url("prepay", f"/topupBalance/{doc['id']}")
    renamed = client.patch(where, json={"status": "completed", "description": "kit"})
    assert renamed.status_code == 200
    assert renamed.json()["description"] == "kit"
    undone = client.patch(where, json={"status": "cancelled"})
    assert undone.status_code == 409
    assert undone.json()["field"] == "status"
    assert client.delete(where).status_code == 405
    assert client.get(where).json()["status"] == "completed"


def test_usage_records_filter_by_date_range_and_type(
    face: tuple[httpx.Client, SpecCheck, str],
) -> None:
    client, _, _ = face
    early = {"usageDate": "2020-01-01T10:00:00+03:00", "usageType": "kit-voice"}
    late = {"usageDate": "2020-03-01T10:00:00+03:00", "usageType": "kit-voice"}
    first = _post(client, "usage", "/usage", early)
    second = _post(client, "usage", "/usage", late)
    assert first["status"] == "received"
    listed = client.get(
        _url("usage", "/usage"),
        params={
            "usageType": "kit-voice",
            "usageDate.gte": "2020-02-01T00:00:00Z",
            "usageDate.lt": "2020-04-01T00:00:00Z",
        },
    ).json()
    assert [d["id"] for d in listed] == [second["id"]]
    naive = client.get(_url("usage", "/usage"), params={"usageDate.gte": "2020-02-01T00:00:00"})
    assert naive.status_code == 400
    assert naive.json()["field"] == "usageDate.gte"


def _item_definition(api: str, path: str, version: int = 4) -> str:
    if version == 5:
        answer = _deref(api, spec(api, 5)["paths"][path]["get"]["responses"]["200"], 5)
        schema = answer["content"]["application/json"]["schema"]
    else:
        schema = spec(api)["paths"][path]["get"]["responses"]["200"]["schema"]
    return str(schema["items"]["$ref"]).rsplit("/", 1)[1]


_CREATED_ONLY = {"/customerBillOnDemand": "CustomerBillOnDemand", "/productOrder": "ProductOrder"}
"""Collections that hold only what a caller created (a kit creates one first)."""


@pytest.mark.parametrize(
    ("route", "version"),
    [
        pytest.param(r, v, id=f"v{v}-{r.api}{r.path}")
        for r in TMF_ROUTES
        for v in (4, 5)
        if r.method == "GET"
        and "{" not in r.path
        and v in r.versions
        and (v == 4 or r.api in V5_APIS)
    ],
)
def test_every_listed_record_has_the_attributes_its_spec_marks_mandatory(
    face: tuple[httpx.Client, SpecCheck, str], route: Any, version: int
) -> None:
    client, _, account = face
    resource = _item_definition(route.api, route.path, version)
    if version == 4 and (
        "POST" in _spec_methods(route.api, route.path)
        and route.api in {a for a, *_ in KIT_RESOURCES}
    ):
        _post(client, route.api, route.path, create_body(route.api, resource, account))
    if version == 5 and route.path in {"/troubleTicket", *_CREATED_ONLY}:
        body = create_body5(client, route.api, resource, account)
        answer = client.post(_url(route.api, route.path, 5), json=body)
        assert answer.status_code == 201, answer.text
    if version == 4 and route.path == "/productOrder":
        item = {"id": "1", "action": "add", "productOffering": {"id": orderable(client, 4)}}
        _post(client, route.api, route.path, {"productOrderItem": [item]})
    where = _url(route.api, route.path, version)
    answer = client.get(where, params={"limit": 50})  # (SpecCheck's pace)
    assert answer.status_code == 200, answer.text
    assert answer.json()
    required = _mandatory(route.api, resource, version)
    assert version == 4 or "@type" in required
    for record in answer.json():
        assert "id" in record
        assert not [n for n in required if n not in record], (route.path, record)
    if ("GET", route.path + "/{id}") in {(r.method, r.path) for r in TMF_ROUTES}:
        for record in answer.json()[:3]:
            one = client.get(f"{where}/{record['id']}")
            assert one.status_code == 200
            assert one.json() == record


# ---------------------------------------------------------------- what the conformance profiles add


_LISTS = [r for r in TMF_ROUTES if r.method == "GET" and "{" not in r.path and 4 in r.versions]


@pytest.mark.parametrize("route", _LISTS, ids=lambda r: f"{r.api}{r.path}")
def test_every_record_has_an_absolute_href_under_its_api_root(
    face: tuple[httpx.Client, SpecCheck, str], route: Any
) -> None:
    client, _, account = face
    resource = _item_definition(route.api, route.path)
    if route.path == "/productOrder":  # the kit is configured with an orderable offering
        item = {"id": "1", "action": "add", "productOffering": {"id": orderable(client, 4)}}
        _post(client, route.api, route.path, {"productOrderItem": [item]})
    elif ("POST", route.path) in {(r.method, r.path) for r in TMF_ROUTES}:
        client.post(_url(route.api, route.path), json=create_body(route.api, resource, account))
    root = f"{client.base_url}".rstrip("/") + _url(route.api, route.path)
    records = client.get(_url(route.api, route.path), params={"limit": 30}).json()
    assert records
    for record in records:
        assert record.get("href") == f"{root}/{record['id']}", record
    if ("GET", route.path + "/{id}") in {(r.method, r.path) for r in TMF_ROUTES}:
        one = client.get(records[0]["href"])
        assert one.status_code == 200
        assert one.json()["href"] == records[0]["href"]


@VERSIONS
def test_every_customer_bill_has_a_bill_document_with_an_id(
    face: tuple[httpx.Client, SpecCheck, str], version: int
) -> None:
    client, _, _ = face
    bills = client.get(_url("bill", "/customerBill", version)).json()
    assert bills
    for bill in bills:
        assert bill["billDocument"], bill
        assert all(document.get("id") for document in bill["billDocument"])


def test_every_usage_record_refers_to_its_usage_specification(
    face: tuple[httpx.Client, SpecCheck, str],
) -> None:
    client, _, _ = face
    submitted = _post(client, "usage", "/usage", {"usageType": "kit-voice"})
    records = client.get(_url("usage", "/usage"), params={"limit": 200}).json()
    records.append(submitted)
    specs = {}
    for record in records:
        ref = record["usageSpecification"]
        assert {"id", "href", "name"} <= set(ref), record
        if ref["id"] not in specs:
            answer = client.get(ref["href"])
            assert answer.status_code == 200, ref
            specs[ref["id"]] = answer.json()
        assert specs[ref["id"]]["name"] == ref["name"]
    assert len(specs) >= 3  # calls, SMS, data, fees...
    listed = client.get(_url("usage", "/usageSpecification")).json()
    assert set(specs) <= {d["id"] for d in listed}


def test_a_usage_specification_is_created_and_the_operators_own_cannot_change(
    face: tuple[httpx.Client, SpecCheck, str],
) -> None:
    client, _, _ = face
    created = _post(client, "usage", "/usageSpecification", {"name": "kit-voice"})
    assert created["lifecycleStatus"]
    assert client.get(created["href"]).json()["name"] == "kit-voice"
    own = client.get(_url("usage", "/usageSpecification")).json()[0]
    answer = client.delete(own["href"])
    assert answer.status_code == 405
    assert client.get(own["href"]).status_code == 200


@VERSIONS
def test_the_applied_rates_of_a_bill_are_its_charges(
    face: tuple[httpx.Client, SpecCheck, str], version: int
) -> None:
    client, _, _ = face
    bill = client.get(_url("bill", "/customerBill", version)).json()[0]
    rates = client.get(
        _url("bill", "/appliedCustomerBillingRate", version), params={"bill.id": bill["id"]}
    ).json()
    assert rates
    kind = "appliedBillingRateType" if version == 5 else "type"  # v5's name for v4's type
    assert all(rate[kind] for rate in rates)
    assert all(rate["bill"]["id"] == bill["id"] for rate in rates)
    total = sum(Decimal(str(rate["taxIncludedAmount"]["value"])) for rate in rates)
    assert total == Decimal(str(bill["amountDue"]["value"]))
    one = client.get(rates[0]["href"])
    assert one.json() == rates[0]
    assert client.get(rates[0]["bill"]["href"]).json()["id"] == bill["id"]


@pytest.mark.parametrize(
    ("version", "media"),
    [
        (4, "application/json"),
        (4, "application/merge-patch+json"),
        (5, "application/json"),
        (5, "application/merge-patch+json"),
        (5, "application/json-patch+json"),
    ],
)
def test_a_customer_bills_state_is_patched(
    face: tuple[httpx.Client, SpecCheck, str], version: int, media: str
) -> None:
    client, check, _ = face
    bill = client.get(_url("bill", "/customerBill", version)).json()[0]
    where = _url("bill", f"/customerBill/{bill['id']}", version)
    patch: Any = {"state": "onHold"} | ({"@type": "CustomerBill"} if version == 5 else {})
    if media == "application/json-patch+json":
        patch = [{"op": "replace", "path": "/state", "value": "onHold"}]
    answer = client.patch(where, content=json.dumps(patch), headers={"Content-Type": media})
    assert answer.status_code == 200, answer.text
    assert answer.json()["state"] == "onHold"
    assert client.get(where).json() == answer.json()
    held = client.get(_url("bill", "/customerBill", version), params={"state": "onHold"}).json()
    assert [d["id"] for d in held] == [bill["id"]]
    back = client.patch(where, json={"state": bill["state"]})
    assert back.json()["state"] == bill["state"]
    wrong = client.patch(where, json={"state": "lost"})
    assert wrong.status_code == 400
    assert wrong.json()["field"] == "state"
    other = client.patch(where, json={"amountDue": {"value": 0, "unit": "RUB"}})
    assert other.status_code == 400
    assert other.json()["field"] == "amountDue"
    check.violations = [v for v in check.violations if ": request " not in v]


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("GET", "/usage?limit=x", None, 400),
        ("GET", "/usage/no-such-id", None, 404),
        ("PATCH", "/usage/{usage}", {"status": "billed"}, 405),
        ("POST", "/usage", ["not", "an", "object"], 400),
    ],
)
def test_the_error_bodys_status_is_the_http_status(
    face: tuple[httpx.Client, SpecCheck, str],
    method: str,
    path: str,
    body: Any,
    status: int,
) -> None:
    client, check, _ = face
    if "{usage}" in path:
        rated = client.get(_url("usage", "/usage"), params={"limit": 1}).json()[0]
        path = path.replace("{usage}", rated["id"])
    answer = client.request(method, _url("usage", path), json=body)
    assert answer.status_code == status, answer.text
    assert answer.json()["status"] == str(status)
    check.violations = [v for v in check.violations if ": request " not in v]


def test_a_reservation_holds_part_of_the_balance_until_cancelled(
    face: tuple[httpx.Client, SpecCheck, str],
) -> None:
    client, _, account = face
    bucket, *allowances = client.get(_url("prepay", "/bucket")).json()
    assert all(a["usageType"] != "monetary" for a in allowances)
    assert bucket["id"] == f"{account}-main"
    assert bucket["usageType"] == "monetary"
    assert client.get(bucket["href"]).json() == bucket
    units = bucket["remainingValue"]["units"]
    body = create_body("prepay", "ReserveBalance", account) | {
        "amount": {"amount": 10, "units": units}
    }
    reserved = _post(client, "prepay", "/reserveBalance", body)
    assert reserved["status"] == "created"
    after = client.get(bucket["href"]).json()
    assert Decimal(str(after["reservedValue"]["amount"])) == 10
    too_much = body | {"amount": {"amount": 10**9, "units": units}}
    refused = _post(client, "prepay", "/reserveBalance", too_much)
    assert refused["status"] == "failed"
    assert "available" in refused["reason"]
    where = reserved["href"]
    grown = client.patch(
        where,
        json={"status": "created", "reason": "more", "amount": {"amount": 10**9, "units": units}},
    )
    assert grown.status_code == 409
    assert grown.json()["field"] == "amount"
    cancelled = client.patch(where, json={"status": "cancelled", "reason": "kit done"})
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["status"] == "cancelled"
    assert Decimal(str(client.get(bucket["href"]).json()["reservedValue"]["amount"])) == 0
    again = client.patch(where, json={"status": "created", "reason": "again"})
    assert again.status_code == 409
    assert again.json()["field"] == "status"
    elsewhere = client.post(
        _url("prepay", "/reserveBalance"), json=body | {"bucket": {"id": "someone-else"}}
    )
    assert elsewhere.status_code == 400
    assert elsewhere.json()["field"] == "bucket.id"


def test_a_balance_adjustment_is_kept_failed_with_the_reason(
    face: tuple[httpx.Client, SpecCheck, str],
) -> None:
    client, _, account = face
    body = create_body("prepay", "AdjustBalance", account)
    body["amount"] = {"amount": 100, "units": "RUB"}
    doc = _post(client, "prepay", "/adjustBalance", body)
    assert doc["status"] == "failed"
    assert "operator" in doc["reason"]
    revived = client.patch(doc["href"], json={"status": "completed"})
    assert revived.status_code == 409


# ---------------------------------------------------------------- security caps (issue 20)


@pytest.mark.parametrize("name", ["limit", "offset"])
@pytest.mark.parametrize("value", ["9" * 5000, "\u00b2", "-1"])
def test_a_huge_or_odd_paging_value_is_a_400_naming_it(
    face: tuple[httpx.Client, SpecCheck, str], name: str, value: str
) -> None:
    client, _, _ = face
    answer = client.get(_url("usage", "/usage"), params={name: value})
    assert answer.status_code == 400, answer.text
    assert answer.json()["field"] == name
    assert len(answer.text) < 1000  # the value is not echoed in full


def test_patch_cannot_grow_a_kept_document_past_the_cap(
    face: tuple[httpx.Client, SpecCheck, str],
) -> None:
    client, check, _ = face
    doc = _post(client, "usage", "/usage", {"usageType": "kit-voice"})
    where = _url("usage", f"/usage/{doc['id']}")
    assert client.patch(where, json={"description": "x" * 40_000}).status_code == 200
    grown = client.patch(where, json={"note": "y" * 40_000})
    assert grown.status_code == 400, grown.text
    assert grown.json()["field"] == "body"
    assert str(MAX_DOCUMENT_BYTES) in grown.json()["message"]
    assert "note" not in client.get(where).json()
    huge = client.patch(where, json={"description": "z" * (MAX_DOCUMENT_BYTES + 10)})
    assert huge.status_code == 400
    assert str(MAX_DOCUMENT_BYTES) in huge.json()["message"]
    too_big = client.post(_url("usage", "/usage"), json={"description": "w" * 70_000})
    assert too_big.status_code == 400
    assert str(MAX_DOCUMENT_BYTES) in too_big.json()["message"]
    check.violations = [v for v in check.violations if ": request " not in v]


def test_what_the_face_creates_and_changes_is_kept_by_the_operator(
    face: tuple[httpx.Client, SpecCheck, str],
    operator: FakeOperator,
    clock: ManualClock,
    tmf_live_server: tuple[LiveServer, SwitchableResolver, SpecCheck],
) -> None:
    """A submitted usage record and a bill's patched state are the operator's, kept with the
    subscriber, not the server's: another operator behind the same server (the same seed,
    so the same token and ids) has none of them, and the first has them all again when it
    is served again."""
    client, check, account = face
    _, resolver, _ = tmf_live_server
    posted = client.post(_url("usage", "/usage"), json=create_body("usage", "Usage", account))
    usage_at = _url("usage", f"/usage/{posted.json()['id']}")
    bill = client.get(_url("bill", "/customerBill")).json()[0]
    bill_at = _url("bill", f"/customerBill/{bill['id']}")
    assert client.patch(bill_at, json={"state": "onHold"}).status_code == 200

    resolver.use(FakeOperator(seed=42, clock=clock))
    assert client.get(usage_at).status_code == 404
    assert client.get(bill_at).json()["state"] == bill["state"]

    resolver.use(operator)
    assert client.get(usage_at).json()["id"] == posted.json()["id"]
    assert client.get(bill_at).json()["state"] == "onHold"
    kept = operator.subscriber().tmf_documents.docs("usage/usage")
    assert [doc["id"] for doc in kept] == [posted.json()["id"]]
    check.violations = [v for v in check.violations if ": request " not in v]


# ---------------------------------------------------------------- v5: the kits' minimal bodies


V5_KIT_RESOURCES = (
    ("bill", "/customerBillOnDemand", "CustomerBillOnDemand"),
    ("troubleTicket", "/troubleTicket", "TroubleTicket"),
    ("ordering", "/productOrder", "ProductOrder"),
)
"""What the v5 kits of TMF678, TMF621 and TMF622 create and then read (TMF666, TMF620 and
TMF637 create nothing a subscriber's token may: see the refusals below)."""

V5_STATE = {"TroubleTicket": "status"}
"""The v5 resource's state attribute (``state`` unless named here)."""

V5_PATCHED = {
    "TroubleTicket": ("note", [{"@type": "Note", "author": "ctk", "text": "changed by the kit"}]),
    "ProductOrder": ("description", "changed by the kit"),
}
"""What the kits' ``_MVO`` patch changes on a resource the face lets a subscriber change."""

V5_DELETE = {"TroubleTicket": 405, "ProductOrder": 405}
"""What ``DELETE`` of a created resource answers: a complaint stays on record, and an order
the operator carried out keeps its record (405 saying so; the resource stays)."""


def _schemas5(api: str) -> dict[str, Any]:
    return spec(api, 5)["components"]["schemas"]  # type: ignore[no-any-return]


def _flat5(api: str, schema: dict[str, Any]) -> tuple[dict[str, Any], set[str]]:
    """A v5 schema's properties and required attributes through its ``allOf`` bases (the
    discriminator's conditionals left out)."""
    if "$ref" in schema:
        schema = _schemas5(api)[schema["$ref"].rsplit("/", 1)[1]]
    props: dict[str, Any] = {}
    required: set[str] = set()
    for part in schema.get("allOf", []):
        if "if" not in part:
            more, needed = _flat5(api, part)
            props |= more
            required |= needed
    return props | schema.get("properties", {}), required | set(schema.get("required", []))


def minimal5(api: str, schema: dict[str, Any], kit: dict[str, str], name: str = "") -> Any:
    """The smallest value a v5 ``schema`` allows, as the v5 kits build it: required attributes
    only, recursively, ``@type`` the schema's own name (``TroubleTicket`` for
    ``TroubleTicket_FVO``); an account reference names the token's own account, a
    ``relatedParty`` entry ``{role, partyOrPartyRole: {@type, id}}`` its own party, and a
    product offering reference one of the operator's (``kit``: what the kits are configured
    with)."""
    typename = ""
    if "$ref" in schema:
        ref = schema["$ref"].rsplit("/", 1)[1]
        typename = ref.removesuffix("__base").removesuffix("_FVO").removesuffix("_MVO")
        schema = _schemas5(api)[ref]
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type", "object")
    kind = kind[0] if isinstance(kind, list) else kind
    if kind == "array":
        return [minimal5(api, schema["items"], kit) for _ in range(schema.get("minItems", 0))]
    if kind == "string":
        return datetime.now(UTC).isoformat() if schema.get("format") == "date-time" else "ctk"
    if kind != "object":
        return {"integer": 1, "number": 1, "boolean": False}[kind]
    props, required = _flat5(api, schema)
    doc = {prop: minimal5(api, props[prop], kit, prop) for prop in sorted(required)}
    if "@type" in required:
        doc["@type"] = typename
    if name in ACCOUNT_REFS:
        doc["id"] = kit["account"]
    if typename == "ProductOrderItem":  # what is ordered: an offering the line can order
        doc["productOffering"] = {"@type": "ProductOfferingRef", "id": kit["offering"]}
    if "relatedParty" in props and name == "":
        party = {"@type": "PartyRef", "id": kit["party"], "@referredType": "Individual"}
        entry = {"@type": "RelatedPartyRefOrPartyRoleRef", "role": "customer"}
        entry["partyOrPartyRole"] = party
        one = props["relatedParty"].get("type") != "array"  # a bill on demand names one
        doc["relatedParty"] = entry if one else [entry]
    return doc


def orderable(client: httpx.Client, version: int = 5) -> str:
    """An offering the token's line can order: an option it has not got, that excludes
    nothing it has and that nothing it has excludes."""
    have = {
        p["productOffering"]["id"]
        for p in client.get(_url("inventory", "/product", version)).json()
    }
    offerings = client.get(_url("catalog", "/productOffering", version)).json()

    def excludes(offering: dict[str, Any]) -> set[str]:
        return {r["id"] for r in offering.get("productOfferingRelationship", [])}

    excluded = set().union(*(excludes(o) for o in offerings if o["id"] in have))
    return next(
        o["id"]
        for o in offerings
        if not o["isBundle"] and o["id"] not in have | excluded and not excludes(o) & have
    )


def kit5(client: httpx.Client, account: str) -> dict[str, str]:
    """What a v5 kit is configured with for the token: its account, its party (the billing
    account's owner) and an offering its line can order."""
    billing = client.get(_url("account", f"/billingAccount/{account}", 5)).json()
    party = billing["relatedParty"][0]["partyOrPartyRole"]["id"]
    return {"account": account, "party": party, "offering": orderable(client)}


def create_body5(client: httpx.Client, api: str, resource: str, account: str) -> dict[str, Any]:
    resource = resource.removesuffix("_RES")  # the v5 files' name of a read resource
    body = minimal5(api, {"$ref": f"#/components/schemas/{resource}_FVO"}, kit5(client, account))
    assert isinstance(body, dict) and body["@type"] == resource
    return body


def _spec_methods5(api: str, path: str) -> set[str]:
    return {m.upper() for m in spec(api, 5)["paths"].get(path, {}) if m != "parameters"}


_V5_SERVED = sorted(
    {(r.api, r.collection) for r in TMF_ROUTES if r.api in V5_APIS and 5 in r.versions}
)


@pytest.mark.parametrize(("api", "collection"), _V5_SERVED, ids=lambda x: str(x))
def test_the_face_serves_every_operation_the_v5_spec_defines_on_a_served_resource(
    api: str, collection: str
) -> None:
    """Every resource the v5 face serves answers each operation its v5 file defines (a
    refusal is an answer: a 405 ``Error`` saying why), not Starlette's bare 405."""
    served = {(r.method, r.path) for r in TMF_ROUTES if r.api == api and 5 in r.versions}
    for path in (collection, collection + "/{id}"):
        for method in _spec_methods5(api, path):
            assert (method, path) in served, f"{api} v5 {method} {path} is not served"


@pytest.mark.parametrize("version", [5])
@pytest.mark.parametrize(("api", "collection", "resource"), V5_KIT_RESOURCES)
def test_a_v5_minimal_body_is_created_read_listed_filtered_and_selected(
    face: tuple[httpx.Client, SpecCheck, str],
    api: str,
    collection: str,
    resource: str,
    version: int,
) -> None:
    client, check, account = face
    body = create_body5(client, api, resource, account)
    created = client.post(_url(api, collection, 5), json=body)
    assert created.status_code == 201, created.text
    doc = created.json()
    for name in ["id", "href", *_mandatory(api, resource, 5)]:
        assert name in doc, f"the created {resource} lacks {name!r}"
    echoed = {k: v for k, v in body.items() if isinstance(v, str)}
    assert {k: doc.get(k) for k in echoed} == echoed  # what the kit posted, it reads back

    fetched = client.get(doc["href"])
    assert fetched.status_code == 200
    assert fetched.json() == doc

    where = _url(api, collection, 5)
    total = int(client.get(where, params={"limit": 0}).headers["X-Total-Count"])
    last = client.get(where, params={"offset": max(0, total - 20)})
    assert doc["id"] in [d["id"] for d in last.json()]
    assert last.headers["X-Result-Count"] == str(len(last.json()))
    for record in client.get(where, params={"limit": 50}).json():
        missing = [n for n in ["href", *_mandatory(api, resource, 5)] if n not in record]
        assert not missing, f"a listed {resource} lacks {missing}"

    state = V5_STATE.get(resource, "state")
    only = client.get(where, params={"id": doc["id"], "fields": f"id,{state}"})
    assert [d["id"] for d in only.json()] == [doc["id"]]
    assert set(only.json()[0]) <= {"id", "href", "@type", state}
    assert only.json()[0].get(state) == doc[state]
    by_state = client.get(where, params={state: doc[state]})
    assert doc["id"] in [d["id"] for d in by_state.json()]
    assert all(d[state] == doc[state] for d in by_state.json())
    assert check.violations == []


@pytest.mark.parametrize("version", [5])
@pytest.mark.parametrize(("api", "collection", "resource"), V5_KIT_RESOURCES)
@pytest.mark.parametrize(
    "media", ["application/json", "application/merge-patch+json", "application/json-patch+json"]
)
def test_a_v5_created_resource_is_patched_and_deleted_where_the_api_defines_it(
    face: tuple[httpx.Client, SpecCheck, str],
    api: str,
    collection: str,
    resource: str,
    media: str,
    version: int,
) -> None:
    client, _, account = face
    methods = _spec_methods5(api, collection + "/{id}")
    if not methods & {"PATCH", "DELETE"}:
        pytest.skip(f"{api} v5 defines neither PATCH nor DELETE of {collection}")
    created = client.post(
        _url(api, collection, 5), json=create_body5(client, api, resource, account)
    )
    assert created.status_code == 201, created.text
    doc = created.json()
    if "PATCH" in methods:
        name, value = V5_PATCHED[resource]
        patch: Any = {"@type": resource, name: value}
        if media == "application/json-patch+json":
            op = (
                [{"op": "add", "path": f"/{name}/-", "value": v} for v in value]
                if isinstance(value, list)
                else [{"op": "replace", "path": f"/{name}", "value": value}]
            )
            patch = op
        answer = client.patch(
            doc["href"], content=json.dumps(patch), headers={"Content-Type": media}
        )
        assert answer.status_code == 200, answer.text
        got = answer.json()[name]
        if isinstance(value, list):
            assert [n["text"] for n in got] == [n["text"] for n in value]
        else:
            assert got == value
        assert client.get(doc["href"]).json() == answer.json()
    if "DELETE" in methods:
        answer = client.delete(doc["href"])
        assert answer.status_code == V5_DELETE[resource], answer.text
        assert answer.json()["status"] == "405"
        assert client.get(doc["href"]).status_code == 200


@pytest.mark.parametrize("version", [5])
@pytest.mark.parametrize(("api", "collection", "resource"), V5_KIT_RESOURCES)
def test_a_v5_body_without_a_mandatory_attribute_is_a_400_naming_it(
    face: tuple[httpx.Client, SpecCheck, str],
    api: str,
    collection: str,
    resource: str,
    version: int,
) -> None:
    client, check, account = face
    body = create_body5(client, api, resource, account)
    _, required = _flat5(api, {"$ref": f"#/components/schemas/{resource}_FVO"})
    assert "@type" in required
    for name in sorted(required):
        answer = client.post(
            _url(api, collection, 5), json={k: v for k, v in body.items() if k != name}
        )
        assert answer.status_code == 400, (name, answer.text)
        assert answer.json()["field"] == name
        assert answer.json()["status"] == "400"
    for attribute, wrong in (("id", "mine"), ("href", "/x")):
        answer = client.post(_url(api, collection, 5), json={**body, attribute: wrong})
        assert answer.status_code == 400
        assert answer.json()["field"] == attribute
    check.violations = [v for v in check.violations if ": request " not in v]


_V5_REFUSED = [
    ("account", "POST", "/billingAccount"),
    ("account", "PATCH", "/billingAccount/{account}"),
    ("account", "DELETE", "/billingAccount/{account}"),
    ("inventory", "POST", "/product"),
    ("inventory", "PATCH", "/product/{product}"),
    ("inventory", "DELETE", "/product/{product}"),
    ("catalog", "POST", "/productOffering"),
    ("catalog", "PATCH", "/productOffering/{offering}"),
    ("catalog", "DELETE", "/productOffering/{offering}"),
    ("catalog", "POST", "/productCatalog"),
    ("catalog", "PATCH", "/productCatalog/mobile"),
    ("catalog", "DELETE", "/productCatalog/mobile"),
    ("catalog", "POST", "/productSpecification"),
    ("catalog", "PATCH", "/productSpecification/{specification}"),
    ("catalog", "POST", "/productOfferingPrice"),
    ("catalog", "DELETE", "/productOfferingPrice/{price}"),
    ("catalog", "POST", "/category"),
    ("catalog", "PATCH", "/category/{category}"),
    ("troubleTicket", "POST", "/troubleTicketSpecification"),
    ("troubleTicket", "DELETE", "/troubleTicketSpecification/{specification}"),
    ("troubleTicket", "DELETE", "/troubleTicket/{ticket}"),
]
"""The operations the v5 files define on served resources that the operator keeps to itself
(a subscriber's token creates no billing account, product or offering: products change by
TMF622 orders) or that a record must survive (a complaint)."""


@pytest.mark.parametrize("version", [5])
@pytest.mark.parametrize(("api", "method", "path"), _V5_REFUSED)
def test_a_v5_operation_the_operator_keeps_is_a_405_saying_why(
    face: tuple[httpx.Client, SpecCheck, str], api: str, method: str, path: str, version: int
) -> None:
    client, check, account = face
    if "{" in path:
        kind = path.split("/")[1]
        listed = client.get(_url(api, f"/{kind}", 5), params={"limit": 1}).json()
        if not listed and kind == "troubleTicket":
            listed = [
                _post(
                    client,
                    api,
                    "/troubleTicket",
                    create_body5(client, api, "TroubleTicket", account),
                    5,
                )
            ]
        path = f"/{kind}/{listed[0]['id']}"
    resource = path.split("/")[1]
    body = {"@type": resource[0].upper() + resource[1:], "name": "ctk", "relatedParty": []}
    before = client.get(_url(api, path, 5)).json() if "/" in path[1:] else None
    answer = client.request(
        method, _url(api, path, 5), json=body if method in ("POST", "PATCH") else None
    )
    assert answer.status_code == 405, answer.text
    error = answer.json()
    assert error["status"] == "405"
    assert error["message"] != "Method Not Allowed"  # says why, not Starlette's words
    check.violations = [v for v in check.violations if ": request " not in v]  # a kit's guess
    if before is not None:
        assert client.get(_url(api, path, 5)).json() == before


@pytest.mark.parametrize("version", [5])
def test_a_v5_external_identifier_is_kept_and_read_back(
    face: tuple[httpx.Client, SpecCheck, str], operator: FakeOperator, version: int
) -> None:
    """``externalIdentifier[]`` (TMF621; TMF622's ``externalId[]``) of a created resource is
    the caller's: the operator keeps it with the subscriber's TMF documents and the face
    returns it by id and in lists."""
    client, _, account = face
    ids = [
        {
            "@type": "ExternalIdentifier",
            "id": "CRM-42",
            "owner": "crm",
            "externalIdentifierType": "case",
        }
    ]
    for api, collection, resource, name in (
        ("troubleTicket", "/troubleTicket", "TroubleTicket", "externalIdentifier"),
        ("ordering", "/productOrder", "ProductOrder", "externalId"),
    ):
        body = create_body5(client, api, resource, account) | {name: ids}
        doc = _post(client, api, collection, body, 5)
        assert doc[name] == ids
        assert client.get(doc["href"]).json()[name] == ids
        listed = client.get(_url(api, collection, 5), params={"id": doc["id"]}).json()
        assert [d[name] for d in listed] == [ids]
        kept = operator.subscriber().tmf_documents.collection(api + collection)
        assert doc["id"] in kept.kept or doc["id"] in kept.overlays


_V5_LAST_UPDATE = [
    ("bill", "/customerBill"),
    ("account", "/billingAccount"),
    ("troubleTicket", "/troubleTicket"),
]
"""The served v5 collections whose resource has ``lastUpdate`` and a true value for it."""


@pytest.mark.parametrize("version", [5])
@pytest.mark.parametrize(("api", "collection"), _V5_LAST_UPDATE)
def test_every_v5_record_says_when_it_last_changed(
    face: tuple[httpx.Client, SpecCheck, str], api: str, collection: str, version: int
) -> None:
    client, _, account = face
    if collection == "/troubleTicket":
        _post(client, api, collection, create_body5(client, api, "TroubleTicket", account), 5)
    records = client.get(_url(api, collection, 5), params={"limit": 20}).json()
    assert records
    for record in records:
        assert "lastUpdate" in record, record
        assert datetime.fromisoformat(record["lastUpdate"]).tzinfo is not None


@pytest.mark.parametrize("version", [5])
def test_a_bills_last_update_is_when_it_was_issued_paid_or_patched(
    face: tuple[httpx.Client, SpecCheck, str],
    operator: FakeOperator,
    clock: ManualClock,
    version: int,
) -> None:
    client, _, _ = face
    bills = client.get(_url("bill", "/customerBill", 5)).json()
    with Selfcare.fake(operator=operator) as sc:
        payments = list(sc.payments.list())
    for bill in bills:
        paid = [p.at for p in payments if bill["id"] in p.bills and p.status.value == "succeeded"]
        expected = max([datetime.fromisoformat(bill["billDate"]), *paid])
        assert datetime.fromisoformat(bill["lastUpdate"]) == expected, bill["id"]
    clock.advance(timedelta(hours=1))
    where = bills[0]["href"]
    patched = client.patch(where, json={"@type": "CustomerBill", "state": "onHold"}).json()
    assert datetime.fromisoformat(patched["lastUpdate"]) == clock.now()
    assert client.get(where).json()["lastUpdate"] == patched["lastUpdate"]


def test_a_v4_tickets_external_id_type_and_severity_are_read_back_as_posted(
    face: tuple[httpx.Client, SpecCheck, str],
) -> None:
    """The v4 kit's ticket: ``externalId``, and ``ticketType``/``severity`` a complaint has no
    place for, come back as posted, by id and in the list; the SDK's own categories are
    unchanged (nothing kept for them)."""
    client, _, _ = face
    body = create_body("troubleTicket", "TroubleTicket", "")
    body |= {"externalId": "CRM-42", "ticketType": "ctk-type", "severity": "ctk-severity"}
    doc = _post(client, "troubleTicket", "/troubleTicket", body)
    shown = {k: doc[k] for k in ("externalId", "ticketType", "severity")}
    assert shown == {"externalId": "CRM-42", "ticketType": "ctk-type", "severity": "ctk-severity"}
    where = _url("troubleTicket", f"/troubleTicket/{doc['id']}")
    assert client.get(where).json() == doc
    listed = client.get(_url("troubleTicket", "/troubleTicket"), params={"id": doc["id"]})
    assert listed.json() == [doc]
    plain = _post(
        client,
        "troubleTicket",
        "/troubleTicket",
        {"description": "No signal", "severity": "minor", "ticketType": "network"},
    )
    assert "externalId" not in plain
    assert plain["ticketType"] == "network"


_V5_READ = [
    r
    for r in TMF_ROUTES
    if r.api in V5_APIS and r.method == "GET" and "{" not in r.path and 5 in r.versions
]


@pytest.mark.parametrize("version", [5])
@pytest.mark.parametrize("route", _V5_READ, ids=lambda r: f"{r.api}{r.path}")
def test_every_v5_resource_is_read_filtered_and_selected_as_a_kit_does(
    face: tuple[httpx.Client, SpecCheck, str], route: Any, version: int
) -> None:
    """The read part of every v5 kit (TMF666, 620 and 637 read only): the first listed record
    by id, found again by filtering on ``id`` and on ``@type``, and with ``fields`` only
    the attributes asked for (plus ``id``, ``href`` and ``@type``)."""
    client, _, account = face
    where = _url(route.api, route.path, 5)
    resource = _item_definition(route.api, route.path, 5).removesuffix("_RES")
    if route.path in {"/troubleTicket", *_CREATED_ONLY}:
        _post(client, route.api, route.path, create_body5(client, route.api, resource, account), 5)
    first = client.get(where, params={"limit": 1}).json()[0]
    assert first["@type"] == resource, first
    assert client.get(first["href"]).json() == first
    assert [d["id"] for d in client.get(where, params={"id": first["id"]}).json()] == [first["id"]]
    typed = client.get(where, params={"@type": first["@type"]}).json()
    assert first["id"] in [d["id"] for d in typed]
    name = next(k for k in sorted(first) if k not in ("id", "href", "@type"))
    selected = client.get(where, params={"id": first["id"], "fields": name}).json()
    assert selected and set(selected[0]) <= {"id", "href", "@type", name}
    assert selected[0][name] == first[name]


def test_what_a_ticket_keeps_of_its_body_is_capped_as_a_kept_document(
    face: tuple[httpx.Client, SpecCheck, str],
) -> None:
    """The attributes a ticket keeps from its body (``externalId``...) are held by the
    operator as long as the ticket: at most ``MAX_DOCUMENT_BYTES`` of them, as any kept
    document (a 400 naming the limit otherwise, before the complaint is filed)."""
    client, check, _ = face
    body = {"description": "No signal", "severity": "minor", "ticketType": "network"}
    where = _url("troubleTicket", "/troubleTicket")
    before = int(client.get(where, params={"limit": 0}).headers["X-Total-Count"])
    huge = client.post(where, json=body | {"externalId": "x" * (MAX_DOCUMENT_BYTES + 10)})
    assert huge.status_code == 400, huge.text[:300]
    assert str(MAX_DOCUMENT_BYTES) in huge.json()["message"]
    assert int(client.get(where, params={"limit": 0}).headers["X-Total-Count"]) == before
    check.violations = [v for v in check.violations if ": request " not in v]


@pytest.mark.parametrize("version", [5])
def test_an_order_too_big_to_keep_is_refused_before_it_is_carried_out(
    face: tuple[httpx.Client, SpecCheck, str], version: int
) -> None:
    client, check, account = face
    body = create_body5(client, "ordering", "ProductOrder", account)
    offering = body["productOrderItem"][0]["productOffering"]["id"]
    huge = client.post(
        _url("ordering", "/productOrder", 5),
        json=body | {"description": "x" * (MAX_DOCUMENT_BYTES + 10)},
    )
    assert huge.status_code == 400, huge.text[:300]
    assert str(MAX_DOCUMENT_BYTES) in huge.json()["message"]
    products = client.get(_url("inventory", "/product", 5)).json()
    assert offering not in [p["productOffering"]["id"] for p in products]  # not connected
    check.violations = [v for v in check.violations if ": request " not in v]


# ---------------------------------------------------------------- resources derived from records

DERIVED = (
    ("catalog", "/productSpecification", "ProductSpecification", (4, 5)),
    ("catalog", "/productOfferingPrice", "ProductOfferingPrice", (4, 5)),
    ("catalog", "/category", "Category", (4, 5)),
    ("troubleTicket", "/troubleTicketSpecification", "TroubleTicketSpecification", (5,)),
    ("prepay", "/accumulatedBalance", "AccumulatedBalance", (4,)),
    ("prepay", "/balanceActionHistory", "BalanceActionHistory", (4,)),
)
"""What the face derives from the operator's own records (the catalogue, the complaint
categories, the buckets, the ledger), in each version whose spec file defines it: TMF620's conformance
profile makes ``GET`` of the first three mandatory."""


@pytest.mark.parametrize(
    ("api", "collection", "resource", "version"),
    [
        pytest.param(api, path, resource, v, id=f"v{v}-{api}{path}")
        for api, path, resource, versions in DERIVED
        for v in versions
    ],
)
def test_a_derived_resource_is_listed_read_filtered_paged_and_never_written(
    face: tuple[httpx.Client, SpecCheck, str],
    api: str,
    collection: str,
    resource: str,
    version: int,
) -> None:
    client, check, _ = face
    where = _url(api, collection, version)
    answer = client.get(where)
    assert answer.status_code == 200, answer.text
    records = answer.json()
    assert records
    assert client.get(where).json() == records  # derived ids, the same on every read
    assert len({r["id"] for r in records}) == len(records)
    root = f"{client.base_url}".rstrip("/") + where
    required = _mandatory(api, resource, version)
    for record in records:
        assert record["href"] == f"{root}/{record['id']}"
        assert not [n for n in required if n not in record], record
        assert version == 4 or record["@type"] == resource
    last = records[-1]
    assert client.get(last["href"]).json() == last
    assert client.get(where, params={"id": last["id"]}).json() == [last]
    field = "name" if "name" in last else STATE.get(resource, "state")  # a history has no name
    selected = client.get(where, params={"id": last["id"], "fields": field}).json()
    assert len(selected) == 1 and selected[0][field] == last[field]
    assert selected[0].items() <= {k: last[k] for k in ("id", "href", "@type", field)}.items()
    paged = client.get(where, params={"offset": 1, "limit": 1})
    assert paged.json() == records[1:2]
    assert paged.headers["X-Total-Count"] == str(len(records))
    unknown = client.get(f"{where}/no-such-id")
    assert unknown.status_code == 404
    assert "no-such-id" in unknown.json()["message"]
    methods = _spec_methods5 if version == 5 else _spec_methods
    writes = [("POST", collection)] if "POST" in methods(api, collection) else []
    writes += [(m, f"{collection}/{{id}}") for m in ("PATCH", "DELETE")]
    for method, path in writes:
        if method not in methods(api, path):
            continue
        body = {"@type": resource, "name": "ctk"} if method != "DELETE" else None
        refused = client.request(
            method, _url(api, path.replace("{id}", last["id"]), version), json=body
        )
        assert refused.status_code == 405, (method, refused.text)
        assert refused.json()["status"] == "405"
        assert refused.json()["message"] != "Method Not Allowed"  # says why
    assert client.get(where).json() == records
    check.violations = [v for v in check.violations if ": request " not in v]  # a kit's guess


@VERSIONS
def test_every_offering_refers_to_its_specification_prices_and_categories(
    face: tuple[httpx.Client, SpecCheck, str], version: int
) -> None:
    """A kit follows the references of each offering: its ``productSpecification``, each
    ``productOfferingPrice`` (the values the offering embeds) and each ``category``, which
    lists the offering back; a line product's specification is one of them too."""
    client, _, _ = face
    offerings = client.get(_url("catalog", "/productOffering", version)).json()
    grouped: set[str] = set()
    for offering in offerings:
        spec_ref = offering["productSpecification"]
        assert client.get(spec_ref["href"]).json()["id"] == spec_ref["id"]
        for embedded in offering["productOfferingPrice"]:
            price = client.get(embedded["href"]).json()
            assert (price["id"], price["priceType"]) == (embedded["id"], embedded["priceType"])
            money = embedded["price"].get("taxIncludedAmount", embedded["price"])
            assert price["price"] == money
        for ref in offering["category"]:
            category = client.get(ref["href"]).json()
            assert offering["id"] in [o["id"] for o in category["productOffering"]]
            grouped.add(offering["id"])
    assert grouped == {o["id"] for o in offerings}
    line = client.get(_url("inventory", "/product", version)).json()[0]
    specification = line["productSpecification"]["id"]
    found = client.get(_url("catalog", f"/productSpecification/{specification}", version))
    assert found.status_code == 200
    tariffs = {o["id"] for o in offerings if o["isBundle"]}
    category = next(o["category"][0]["id"] for o in offerings if o["id"] in tariffs)
    chosen = client.get(
        _url("catalog", "/productOffering", version), params={"category.id": category}
    )
    assert {o["id"] for o in chosen.json()} == tariffs


@pytest.mark.parametrize("version", [5])
def test_each_complaint_category_is_a_trouble_ticket_specification(
    face: tuple[httpx.Client, SpecCheck, str], version: int
) -> None:
    client, _, _ = face
    specs = client.get(_url("troubleTicket", "/troubleTicketSpecification", 5)).json()
    assert {s["id"] for s in specs} == {c.value for c in ComplaintCategory}


def test_an_accumulated_balance_totals_the_buckets_of_its_usage_type(
    face: tuple[httpx.Client, SpecCheck, str],
) -> None:
    client, _, _ = face
    buckets = {b["id"]: b for b in client.get(_url("prepay", "/bucket")).json()}
    totals = client.get(_url("prepay", "/accumulatedBalance")).json()
    assert sorted(b["id"] for t in totals for b in t["bucket"]) == sorted(buckets)
    for total in totals:
        summed = [buckets[b["id"]]["remainingValue"] for b in total["bucket"]]
        assert {v["units"] for v in summed} == {total["totalBalance"]["units"]}
        assert sum(Decimal(str(v["amount"])) for v in summed) == Decimal(
            str(total["totalBalance"]["amount"])
        )
        assert client.get(total["bucket"][0]["href"]).status_code == 200


@pytest.mark.parametrize("version", [5])
def test_a_v5_ticket_refers_to_the_specification_of_its_category(
    face: tuple[httpx.Client, SpecCheck, str], version: int
) -> None:
    """A v5 kit follows a ticket's ``troubleTicketSpecification``: the specification of the
    complaint's category (whatever ``ticketType`` the caller posted, kept as posted)."""
    client, _, account = face
    body = create_body5(client, "troubleTicket", "TroubleTicket", account)
    filed = {}
    for ticket_type, category in (("billing", "billing"), ("ctk", "other")):
        doc = _post(
            client, "troubleTicket", "/troubleTicket", body | {"ticketType": ticket_type}, 5
        )
        assert doc["ticketType"] == ticket_type
        filed[doc["id"]] = category
    listed = client.get(_url("troubleTicket", "/troubleTicket", 5)).json()
    assert listed
    for ticket in listed:
        ref = ticket["troubleTicketSpecification"]
        assert ref["@type"] == "TroubleTicketSpecificationRef"
        assert client.get(ticket["href"]).json()["troubleTicketSpecification"] == ref
        specification = client.get(ref["href"])
        assert specification.status_code == 200, ref
        assert specification.json()["id"] == ref["id"]
        if ticket["id"] in filed:
            assert ref["id"] == filed[ticket["id"]]
    assert filed.keys() <= {t["id"] for t in listed}


@VERSIONS
def test_every_product_refers_to_its_specification(
    face: tuple[httpx.Client, SpecCheck, str], version: int
) -> None:
    """The line product's specification is the line; an option's is the option's own,
    served by TMF620 under the option's code."""
    client, _, _ = face
    products = client.get(_url("inventory", "/product", version)).json()
    assert any(not p["isBundle"] for p in products)
    for product in products:
        ref = product["productSpecification"]
        if not product["isBundle"]:
            assert ref["id"] == product["productOffering"]["id"]
        assert ref.get("@type", "ProductSpecificationRef") == "ProductSpecificationRef"
        assert version == 4 or "@type" in ref
        found = client.get(ref["href"])
        assert found.status_code == 200, ref
        assert found.json()["id"] == ref["id"]
        assert ref["href"] == f"{client.base_url}".rstrip("/") + _url(
            "catalog", f"/productSpecification/{ref['id']}", version
        )


def test_the_balance_action_history_is_the_ledger_of_the_lines_bucket(
    face: tuple[httpx.Client, SpecCheck, str],
) -> None:
    """Every payment into the balance (a card or wallet payment, a payment card's top-up)
    and every balance adjustment asked for, newest first; a reservation moves nothing, so it
    is not in it."""
    client, _, account = face
    where = _url("prepay", "/balanceActionHistory")
    before = client.get(where).json()
    payments = client.get(_url("payment", "/payment")).json()
    assert {h["id"] for h in before} == {f"topup-{p['id']}" for p in payments}
    topup = _post(
        client,
        "prepay",
        "/topupBalance",
        create_body("prepay", "TopupBalance", account) | {"voucher": "11111111111111"},
    )
    adjust = create_body("prepay", "AdjustBalance", account)
    adjusted = _post(
        client, "prepay", "/adjustBalance", adjust | {"amount": {"amount": 5, "units": "RUB"}}
    )
    reserve = create_body("prepay", "ReserveBalance", account)
    _post(client, "prepay", "/reserveBalance", reserve | {"amount": {"amount": 1, "units": "RUB"}})
    history = client.get(where).json()
    assert len(history) == len(before) + 2
    by_id = {h["id"]: h for h in history}
    card = by_id[f"topup-{topup['id']}"]
    assert card["status"] == "completed"
    assert card["voucher"] == topup["voucher"]
    assert card["balanceTopup"]["href"] == topup["href"]
    assert client.get(card["balanceTopup"]["href"]).json()["id"] == topup["id"]
    assert card["amount"] == topup["amount"]
    refused = by_id[f"adjust-{adjusted['id']}"]
    assert refused["status"] == "failed"
    assert refused["reason"] == adjusted["reason"]
    number = client.get(_url("inventory", "/product")).json()[0]["productSerialNumber"]
    bucket = client.get(_url("prepay", "/bucket")).json()[0]
    for entry in history:
        assert entry["receiverLogicalResource"]["id"] == number
        assert entry["bucket"]["href"] == bucket["href"]
        assert entry["partyAccount"]["id"] == account
    dates = [h["requestedDate"] for h in history]
    assert dates == sorted(dates, reverse=True)
    assert client.get(where).json() == history  # stable ids and order
    done = client.get(where, params={"status": "failed", "fields": "status"}).json()
    assert [h["id"] for h in done] == [refused["id"]]
