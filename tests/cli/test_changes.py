"""Commands that change something, on one fake operator shared by the invocations."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

from selfcare.backends.fake import FakeOperator, ManualClock
from selfcare.model import ExpenseKind, Quantity, Unit
from tests.cli.conftest import Run, lines, ok


def test_forwarding_set_voicemail_disable(run: Run) -> None:
    (state,) = lines(run("forwarding", "set", "busy", "8 916 123-45-67", "--json"))
    busy = next(r for r in state["rules"] if r["condition"] == "busy")
    assert busy["number"] == "+79161234567" and busy["effective"]
    result = run("forwarding", "voicemail", "no_reply", "--timer", "15")
    assert "15 s" in ok(result) and "voicemail" in result.stderr
    (state,) = lines(run("forwarding", "disable", "all", "--json"))
    assert not any(r["effective"] for r in state["rules"])


def test_forwarding_bad_timer_names_the_value(run: Run) -> None:
    result = run("forwarding", "set", "no_reply", "+79161234567", "--timer", "7")
    assert result.exit_code == 2
    assert "timer=7" in result.stderr and "Traceback" not in result.output
    # the old spelling still works, with click's deprecation notice
    result = run("forwarding", "set", "no_reply", "+79161234567", "--timeout", "25")
    assert result.exit_code == 0 and "deprecated" in result.stderr and "--timer" in result.stderr
    result = run("forwarding", "set", "sometimes", "+79161234567")
    assert result.exit_code == 2 and "'sometimes'" in result.output


def test_sms_send_show_and_cancel(run: Run, clock: ManualClock) -> None:
    at = (clock.now() + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    (message,) = lines(
        run("sms", "send", "8 916 123-45-67", "+79031234567", "--text", "Hi", "--at", at, "--json")
    )
    assert message["status"] == "scheduled" and len(message["deliveries"]) == 2
    assert "scheduled" in ok(run("sms", "show", message["id"]))
    assert [m["id"] for m in lines(run("messages", "--status", "scheduled", "--json"))] == [
        message["id"]
    ]
    (cancelled,) = lines(run("sms", "cancel", message["id"], "--json"))
    assert cancelled["status"] == "cancelled"
    result = run("sms", "cancel", message["id"])
    assert result.exit_code == 1 and message["id"] in result.stderr


def test_sms_send_at_a_delay_counts_from_the_backends_now(run: Run, clock: ManualClock) -> None:
    (message,) = lines(
        run("sms", "send", "+79161234567", "--text", "Hi", "--at", "+1h30m", "--json")
    )
    assert message["status"] == "scheduled"
    deliver_at = datetime.fromisoformat(message["deliver_at"])
    assert deliver_at == clock.now() + timedelta(hours=1, minutes=30)
    (later,) = lines(run("sms", "send", "+79161234567", "--text", "Hi", "--at", "in 1d", "--json"))
    assert datetime.fromisoformat(later["deliver_at"]) == clock.now() + timedelta(days=1)
    for bad in ("1d", "2026-12-01", "+2x", "tomorrow"):
        result = run("sms", "send", "+79161234567", "--text", "Hi", "--at", bad)
        assert result.exit_code == 2 and repr(bad.removeprefix("+")) in result.stderr, bad


def test_sms_send_reads_text_from_stdin_and_checks_numbers(run: Run) -> None:
    (message,) = lines(run("sms", "send", "+79161234567", "--text", "-", "--json", input="Hey\n"))
    assert message["text"] == "Hey"
    result = run("sms", "send", "not-a-number", "--text", "Hi")
    assert result.exit_code == 2 and "'not-a-number'" in result.stderr
    result = run("sms", "send", "+79161234567", "--text", "Hi", "--validity", "soon")
    assert result.exit_code == 2 and "'soon'" in result.output


def test_mms_send(run: Run, tmp_path: Path) -> None:
    note = tmp_path / "note.txt"
    note.write_text("hello")
    (message,) = lines(
        run("mms", "send", "+79161234567", "--subject", "Hi", "--attach", str(note), "--json")
    )
    assert message["kind"] == "mms" and message["subject"] == "Hi"
    assert message["attachments"][0]["name"] == "note.txt"


def test_contacts_add_edit_export_import_rm(run: Run, tmp_path: Path) -> None:
    (ivan,) = lines(run("contacts", "add", "Ivan Petrov", "8 916 123-45-67", "--json"))
    assert ivan["phones"] == ["+79161234567"]
    (edited,) = lines(run("contacts", "edit", ivan["id"], "--email", "ivan@example.com", "--json"))
    assert edited["email"] == "ivan@example.com"
    vcard = ok(run("contacts", "export"))
    assert "BEGIN:VCARD" in vcard and "Ivan Petrov" in vcard
    out = tmp_path / "book.csv"
    result = run("contacts", "export", "--format", "csv", "-o", str(out))
    assert result.exit_code == 0 and "Ivan Petrov" in out.read_text()
    ok(run("contacts", "rm", ivan["id"]))
    assert lines(run("contacts", "list", "--json")) == []
    added = lines(run("contacts", "import", str(out), "--json"))
    assert [c["name"] for c in added] == ["Ivan Petrov"]
    book = tmp_path / "book.vcf"
    book.write_text(vcard)
    again = run("contacts", "import", str(book))  # the same Ivan: not added twice
    assert "Nothing new to import." in ok(again)
    assert "Skipped 1 already in the phonebook" in again.stderr
    assert len(lines(run("contacts", "list", "--json"))) == 1
    result = run("contacts", "import", str(tmp_path / "book.txt"))
    assert result.exit_code == 2  # no such file
    (tmp_path / "book.txt").write_text("x")
    result = run("contacts", "import", str(tmp_path / "book.txt"))
    assert result.exit_code == 2 and "--format" in result.stderr


def test_lists_and_broadcast(run: Run) -> None:
    (ivan,) = lines(run("contacts", "add", "Ivan", "+79161234567", "--json"))
    (family,) = lines(run("lists", "create", "Family", ivan["id"], "8 903 123-45-67", "--json"))
    assert len(family["members"]) == 2
    assert "Family" in ok(run("lists", "list"))
    (family,) = lines(run("lists", "add", "Family", "+79035550000", "--json"))
    assert len(family["members"]) == 3
    (family,) = lines(run("lists", "remove", family["id"], "+79035550000", "--json"))
    assert len(family["members"]) == 2
    assert "+7 903 123-45-67" in ok(run("lists", "show", "Family"))

    result = run("broadcast", "Family", "--text", "Dinner at 8")
    assert result.exit_code == 0, result.output
    assert result.stdout.count("sent") == 2 and "Sent 2, refused 0" in result.stderr
    sent = lines(run("messages", "--json"))
    assert len(sent) == 2
    (outcome,) = lines(run("broadcast", "Family", "--text", "Again", "--json"))
    assert {r["status"] for r in outcome["results"]} == {"sent"}

    ok(run("lists", "rm", "Family"))
    result = run("broadcast", "Family", "--text", "x")
    # Not found, like any other missing record ('complaints show', 'contacts rm'): exit 1.
    assert result.exit_code == 1 and "'Family'" in result.stderr
    assert run("lists", "show", "Family").exit_code == 1


def test_broadcast_with_the_same_key_sends_nobody_twice(run: Run) -> None:
    ok(run("lists", "create", "Team", "+79161234567", "+79031234567"))
    for _ in range(2):
        ok(run("broadcast", "Team", "--text", "Standup", "--idempotency-key", "standup-1"))
    assert len(lines(run("messages", "--json"))) == 2


def test_broadcast_checks_the_message_before_sending(run: Run) -> None:
    ok(run("lists", "create", "Mixed", "+79161234567", "+79031234567"))
    result = run("broadcast", "Mixed", "--text", "x", "--flash", "--at", "2026-12-01T10:00")
    assert result.exit_code == 2 and "flash" in result.stderr
    assert lines(run("messages", "--json")) == []


def test_broadcast_exit_code_is_1_when_a_recipient_is_refused(
    run: Run, operator: FakeOperator, clock: ManualClock
) -> None:
    ok(run("lists", "create", "Mixed", "+79161234567", "+79031234567"))
    sub = operator.subscribers["demo"]
    # No free SMS left, and money for exactly one 10-part SMS at 2,00 ₽ a part.
    sub.post(clock.now(), ExpenseKind.SMS, Decimal(0), "used", volume=Quantity(300, Unit.SMS))
    spare = sub.balance + sub.credit_limit - Decimal(20)
    sub.post(clock.now(), ExpenseKind.SUBSCRIPTION_FEE, spare, "test charge")
    result = run("broadcast", "Mixed", "--text", "x" * 1500)
    assert result.exit_code == 1
    assert "Sent 1, refused 1" in result.stderr and "top up first" in result.stdout


def test_pay_and_payments(run: Run) -> None:
    (payment,) = lines(run("pay", "500", "--method", "card:tok_4242424242", "--json"))
    assert payment["status"] == "succeeded" and payment["amount"]["amount"] == "500.00"
    assert payment["id"] in {p["id"] for p in lines(run("payments", "--json"))}
    result = run("pay", "10", "--method", "card:tok_declined_0001")
    assert result.exit_code == 1 and "declined" in result.stderr
    result = run("pay", "0", "--method", "card:tok_4242424242")
    assert result.exit_code == 2 and "0.00 RUB" in result.stderr
    result = run("pay", "1.5e3", "--method", "iou:me")
    assert result.exit_code == 2


def test_autopay_set_show_tops_up_and_off(run: Run, clock: ManualClock) -> None:
    result = run("autopay", "show", "--json")
    assert ok(result).strip() == "null"
    (rule,) = lines(
        run("autopay", "set", "100", "500", "--method", "card:tok_4242424242", "--json")
    )
    assert rule["method"] == "card:***4242" and "tok_4242424242" not in str(rule)
    assert rule["schedule"] == "FREQ=DAILY;BYHOUR=9" and rule["amount"]["amount"] == "500.00"
    shown = ok(run("autopay", "show"))
    assert "FREQ=DAILY;BYHOUR=9" in shown and "500,00\u00a0₽" in shown
    clock.advance(timedelta(days=1))  # the seeded balance is below 100 ₽: 09:00 tops up
    (topped,) = lines(run("autopay", "show", "--json"))
    assert topped["last_topup_at"] is not None
    made = lines(run("payments", "--since", "1d", "--json"))
    assert [p["method"] for p in made] == ["card:***4242"]
    logged = lines(run("history", "operations", "--json"))
    assert any(r["channel"] == "autopay" and r["operation"] == "pay" for r in logged)
    result = run("autopay", "off")
    assert "Autopay turned off" in ok(result)
    result = run("autopay", "off")
    assert result.exit_code == 0 and "already off" in result.stderr


def test_autopay_refuses_bad_values_naming_them(run: Run) -> None:
    base = ["autopay", "set", "100", "500", "--method", "card:tok_4242424242"]
    result = run(*base, "--schedule", "FREQ=MINUTELY")
    assert result.exit_code == 2 and "'FREQ=MINUTELY'" in result.stderr
    result = run("autopay", "set", "100", "0.001", "--method", "card:tok_4242424242")
    assert result.exit_code == 2 and "0.001" in result.stderr
    assert ok(run("autopay", "show", "--json")).strip() == "null"


def test_services_connect_disconnect_tariff(run: Run) -> None:
    (service,) = lines(run("services", "connect", "internet-5gb", "--json"))
    assert service["code"] == "internet-5gb"
    result = run("services", "connect", "internet-unlimited")
    assert result.exit_code == 1 and "internet-5gb" in result.stderr
    remaining = lines(run("services", "disconnect", "internet-5gb", "--json"))
    assert "internet-5gb" not in {s["code"] for s in remaining}
    assert "Smart M" in ok(run("services", "tariff"))
    result = run("services", "tariff", "smart-l")
    assert "Smart L" in ok(result) and "now on Smart L" in result.stderr
    result = run("services", "disconnect", "voicemail")
    assert result.exit_code == 1


def test_complaints_file_list_show_note(run: Run) -> None:
    (expense,) = lines(run("expenses", "--limit", "1", "--json"))
    (complaint,) = lines(
        run(
            "complaints",
            "file",
            "--category",
            "billing",
            "--subject",
            "Double charge",
            "--text",
            "Charged twice",
            "--about",
            f"expense:{expense['id']}",
            "--json",
        )
    )
    assert complaint["related"] == [{"kind": "expense", "id": expense["id"]}]
    assert complaint["id"] in {c["id"] for c in lines(run("complaints", "list", "--json"))}
    (noted,) = lines(run("complaints", "note", complaint["id"], "--text", "Any news?", "--json"))
    assert noted["notes"][-1]["text"] == "Any news?"
    shown = ok(run("complaints", "show", complaint["id"]))
    assert "Double charge" in shown and "Any news?" in shown and "History" in shown
    result = run(
        "complaints",
        "file",
        "--category",
        "billing",
        "--subject",
        "x",
        "--text",
        "y",
        "--about",
        "expense",
    )
    assert result.exit_code == 2 and "'expense'" in result.stderr
    result = run("complaints", "show", "cmp99999999")
    assert result.exit_code == 1


def test_history_records_what_the_cli_did(run: Run) -> None:
    ok(run("forwarding", "voicemail", "busy"))
    (record,) = lines(run("history", "operations", "--limit", "1", "--json"))
    assert record["operation"] == "set_forwarding" and record["status"] == "done"
    rows = list(
        csv.DictReader(io.StringIO(ok(run("history", "operations", "--limit", "1", "--csv"))))
    )
    assert rows[0]["operation"] == "set_forwarding"
