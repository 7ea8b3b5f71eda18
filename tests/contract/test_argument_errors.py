"""An argument the areas refuse is named in the error as the caller spelled it, on every backend."""

from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from selfcare import InvalidPhoneNumber, NaiveDatetime, ValidationError
from selfcare.model import Quantity

CASES: list[tuple[str, str, Callable[[Any], Any], str]] = [
    (
        "expenses",
        "expenses counterpart",
        lambda sc: sc.expenses.list(counterpart="xyz").to_list(),
        "counterpart",
    ),
    (
        "calls",
        "calls counterpart",
        lambda sc: sc.calls.list(counterpart="xyz").to_list(),
        "counterpart",
    ),
    ("forwarding", "forwarding to", lambda sc: sc.forwarding.set("busy", "xyz"), "to"),
    (
        "forwarding",
        "forwarding to, not text",
        lambda sc: sc.forwarding.set("busy", 79161234567),
        "to",
    ),
]


@pytest.mark.parametrize(("capability", "case", "call", "field"), CASES, ids=[c[1] for c in CASES])
def test_a_bad_number_argument_is_named(sc, capability, case, call, field) -> None:
    if capability not in sc.capabilities:
        pytest.skip(f"no {capability} here")
    with pytest.raises(InvalidPhoneNumber) as caught:
        call(sc)
    assert caught.value.field == field
    assert str(caught.value).startswith(f"{field}=")


def test_an_unknown_quantity_unit_is_named() -> None:
    with pytest.raises(ValidationError) as caught:
        Quantity(1, "parsecs")
    assert caught.value.field == "unit"


def test_the_advice_for_a_naive_deliver_at_works_when_followed(sc) -> None:
    if "messages" not in sc.capabilities:
        pytest.skip("no messages here")
    naive = datetime(2026, 11, 26, 9, 30)
    with pytest.raises(NaiveDatetime) as caught:
        sc.messages.send_sms("+79161234567", "hi", deliver_at=naive)
    advice = str(caught.value)
    assert caught.value.field == "deliver_at"
    assert "a date" not in advice  # a date is refused for deliver_at, so never suggested
    assert ".replace(tzinfo=sc.account.get().zone)" in advice
    suggested = eval(
        advice.split("e.g. ")[1].split(" or ")[0], {"datetime": datetime, "ZoneInfo": ZoneInfo}
    )
    assert sc.messages.send_sms("+79161234567", "hi", deliver_at=suggested).deliver_at == suggested
    aware = naive.replace(tzinfo=sc.account.get().zone)
    assert sc.messages.send_sms("+79161234567", "hi", deliver_at=aware).deliver_at == aware


def test_time_filters_still_suggest_a_date(sc) -> None:
    with pytest.raises(NaiveDatetime, match="or a date for the whole day"):
        sc.expenses.list(since=datetime(2026, 11, 1)).to_list()
