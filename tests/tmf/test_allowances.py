"""The tariff's allowances (minutes, SMS, megabytes) as non-monetary TMF654 buckets, both
directions: the face lists one per unit beside the monetary bucket, what the tariff and
options include less what this billing period's expenses used; the mapping reads them back."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest

from selfcare import operations as ops
from selfcare.backends.fake import FakeBackend, FakeOperator
from selfcare.model import Allowance, PhoneNumber, Quantity, Unit
from selfcare.server import FakeResolver, create_tmf_app
from selfcare.tmf import STANDARD_ROOTS
from selfcare.tmf import _mapping as m
from tests.conftest import MOSCOW, NOW
from tests.tmf._check import SpecCheck

START, END = datetime(2026, 11, 1, tzinfo=MOSCOW), datetime(2026, 12, 1, tzinfo=MOSCOW)


@pytest.mark.parametrize(
    "quantity",
    [
        Quantity(143, Unit.MINUTE),
        Quantity(12, Unit.SMS),
        Quantity(Decimal("5120.5"), Unit.MEGABYTE),
    ],
)
def test_an_allowance_round_trips_as_a_bucket_with_its_units(quantity: Quantity) -> None:
    allowance = Allowance(quantity, Quantity(quantity.value + 1, quantity.unit), START, END)
    doc = m.allowance_to_tmf(allowance, "acc-1")
    assert doc["remainingValue"] == {"amount": quantity.value, "units": quantity.unit.value}
    assert doc["usageType"] in {"voice", "sms", "data"}
    assert m.allowance_from_tmf(doc) == allowance


def test_gigabytes_read_as_megabytes_and_a_monetary_bucket_is_no_allowance() -> None:
    doc = {
        "usageType": "data",
        "remainingValue": {"amount": 2, "units": "GB"},
        "validFor": {
            "startDateTime": "2026-11-01T00:00:00+03:00",
            "endDateTime": "2026-12-01T00:00:00+03:00",
        },
    }
    read = m.allowance_from_tmf(doc)
    assert read is not None and read.remaining == Quantity(2048, Unit.MEGABYTE)
    assert read.included is None
    assert m.allowance_from_tmf({"usageType": "monetary", "remainingValue": {}}) is None


@pytest.fixture
async def face(operator: FakeOperator) -> Any:
    check = SpecCheck(create_tmf_app(FakeResolver(operator)))
    headers = {"Authorization": f"Bearer {operator.token().reveal()}"}
    transport = httpx.ASGITransport(app=check)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://test", headers=headers
    ) as client:
        yield client, check
    assert check.violations == []


BUCKETS = STANDARD_ROOTS["prepay"] + "/bucket"


async def _allowances(client: httpx.AsyncClient) -> dict[Unit, Allowance]:
    found = [m.allowance_from_tmf(doc) for doc in (await client.get(BUCKETS)).json()]
    return {a.remaining.unit: a for a in found if a is not None}


async def test_the_buckets_are_the_balance_and_each_allowance(
    face: Any, operator: FakeOperator
) -> None:
    client, _ = face
    docs = (await client.get(BUCKETS)).json()
    assert docs[0]["usageType"] == "monetary"
    allowances = await _allowances(client)
    assert set(allowances) == {Unit.MINUTE, Unit.SMS, Unit.MEGABYTE}
    for allowance in allowances.values():
        assert allowance.included is not None
        assert Decimal(0) <= allowance.remaining.value <= allowance.included.value
        assert allowance.period_start <= NOW < allowance.period_end
    data = next(d for d in docs if d["usageType"] == "data")
    assert (await client.get(f"{BUCKETS}/{data['id']}")).json() == data
    sms_before = allowances[Unit.SMS].remaining.value
    FakeBackend(operator).execute(ops.SendSms(to=(PhoneNumber("+79161234567"),), text="Hello"))
    after = (await _allowances(client))[Unit.SMS].remaining.value
    assert after == max(Decimal(0), sms_before - 1)
