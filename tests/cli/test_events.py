"""``selfcare events``: the log listed, and followed from an id (--follow --limit stops it)."""

from __future__ import annotations

from selfcare.backends.fake import FakeOperator
from tests.cli.conftest import Run, happenings, lines, ok


def test_listing_shows_the_events_newest_first(run: Run, operator: FakeOperator) -> None:
    happenings(operator)
    listed = lines(run("events", "--json"))
    assert [e["type"] for e in listed] == [
        "payment.succeeded",
        "message.delivered",
        "forwarding.changed",
        "service.connected",
    ]
    table = ok(run("events", "--type", "payment.succeeded"))
    assert "payment.succeeded" in table and "forwarding.changed" not in table
    assert "No events." in ok(run("events", "--type", "bill.overdue"))


def test_follow_prints_each_event_after_an_id_in_order(run: Run, operator: FakeOperator) -> None:
    start = happenings(operator)
    followed = lines(run("events", "--follow", "--after", start, "--limit", "3", "--json"))
    assert [e["type"] for e in followed] == [
        "forwarding.changed",
        "message.delivered",
        "payment.succeeded",
    ]
    assert all(e["line"] == "+79165550123" for e in followed)
    people = ok(run("events", "-f", "--after", start, "--limit", "2"))
    assert people.index("forwarding.changed") < people.index("message.delivered")
    assert "SMS m" in people and ": delivered" in people


def test_follow_refuses_past_ranges(run: Run) -> None:
    result = run("events", "--follow", "--since", "2d")
    assert result.exit_code == 2 and "--after" in result.output
    assert run("events", "--after", "evt_0000000001").exit_code == 2
