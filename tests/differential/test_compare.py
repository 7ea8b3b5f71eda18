"""The comparison helper reports the first difference with its path, values, types and zones."""

from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from selfcare import Money, NotFound, ValidationError
from tests.differential._compare import Raised, first_difference

MOSCOW = ZoneInfo("Europe/Moscow")
AT = datetime(2026, 11, 25, 12, 0, tzinfo=MOSCOW)


def test_equal_results_have_no_difference() -> None:
    assert (
        first_difference([{"a": (AT, Money("1.50", "RUB"))}], [{"a": (AT, Money("1.5", "RUB"))}])
        is None
    )


def test_the_same_instant_in_another_zone_is_a_difference_naming_both_zones() -> None:
    found = first_difference({"x": [AT]}, {"x": [AT.astimezone(UTC)]}, "step")
    assert found is not None
    assert found.startswith("step['x'][0] (same instant, another time zone)")
    assert "ZoneInfo('Europe/Moscow')" in found and "timezone(datetime.timezone.utc)" in found


def test_attrs_fields_types_and_lengths() -> None:
    assert first_difference(Money("1", "RUB"), Money("2", "RUB"), "m") == (
        "m.amount: reference Decimal('1') <Decimal> != Decimal('2') <Decimal>"
    )
    assert "another type" in (first_difference(Decimal(1), 1) or "")
    assert "another length" in (first_difference([1, 2], [1]) or "")


def test_errors_compare_by_class_and_field_not_message() -> None:
    bad = Raised.of(ValidationError("one wording", field="to"))
    assert first_difference(bad, Raised.of(ValidationError("another", field="to"))) is None
    assert "another error" in (
        first_difference(bad, Raised.of(ValidationError("x", field="text"))) or ""
    )
    assert "another error" in (first_difference(bad, Raised.of(NotFound("x", field="to"))) or "")
