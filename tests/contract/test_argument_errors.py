"""An argument the areas refuse is named in the error as the caller spelled it, on every backend."""

from collections.abc import Callable
from typing import Any

import pytest

from selfcare import InvalidPhoneNumber, ValidationError
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
