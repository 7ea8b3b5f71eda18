"""Data is shown as data: no Rich markup, no terminal escapes, no spreadsheet formulas.

Names and texts come from the operator (or from whoever shared a phonebook): ``[link=…]`` in
a name must print as those characters, ``ESC ]0;…BEL`` must never reach the terminal, and a
CSV cell starting with ``=`` must not run in a spreadsheet.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import attrs
import pytest
from rich.console import Console

from selfcare import Selfcare
from selfcare.backends.fake import FakeOperator
from selfcare.cli import _output
from selfcare.cli._demo import print_demo
from selfcare.model import PhoneNumber
from selfcare.model.contacts import Contact
from tests.cli.conftest import Run, ok
from tests.conftest import NOW

MARKUP = "[link=http://evil.example]Mom[/link] [bold red]x[/]"
ESCAPES = "Eve\x1b]0;pwned\x07\x1b[2J\x9b31m\x7f"
FORMULA = '=HYPERLINK("http://evil.example","Mom")'


def _store(operator: FakeOperator, name: str, note: str | None = None, cid: str = "k1") -> None:
    """A contact that skips the checks, as data stored before them (or by another system)."""
    contact = Contact(cid, name, (PhoneNumber("+79161112233"),), NOW, NOW, note=note)
    operator.subscriber().phonebook.contacts[contact.id] = contact


def _no_escapes(text: str) -> None:
    for char in ("\x1b", "\x07", "\x9b", "\x7f"):
        assert char not in text, repr(char)


def test_markup_in_a_name_prints_literally(run: Run) -> None:
    ok(run("contacts", "add", MARKUP, "+79161112233"))
    out = ok(run("contacts", "list"))
    assert MARKUP in out
    ok(run("lists", "create", "[red]Fam[/red]", "+79161112233"))
    assert "Mailing list: [red]Fam[/red]" in ok(run("lists", "show", "[red]Fam[/red]"))


def test_escape_sequences_never_reach_stdout(run: Run, operator: FakeOperator) -> None:
    _store(operator, ESCAPES, note="a\x1b[31mred\x1b[0m\nnext line")
    for args in (["contacts", "list"], ["contacts", "list", "--csv"]):
        result = run(*args)
        out = ok(result)
        _no_escapes(out)
        _no_escapes(result.stderr)
        assert "Eve]0;pwned" in out
    out = ok(run("contacts", "list", "--json"))
    _no_escapes(out)
    (record,) = [json.loads(line) for line in out.splitlines()]
    assert record["name"] == ESCAPES  # JSON escapes them: the data itself is kept


def test_errors_quoting_values_do_not_carry_escapes(run: Run) -> None:
    result = run("lists", "show", "Fam\x1b]0;pwned\x07")
    assert result.exit_code == 1
    _no_escapes(result.output)


def test_csv_neutralises_formulas_but_not_numbers(run: Run, operator: FakeOperator) -> None:
    _store(operator, FORMULA, note="@SUM(A1:A9)")
    out = ok(run("contacts", "list", "--csv"))
    assert '"\'=HYPERLINK(""http://evil.example"",""Mom"")"' in out
    (row,) = list(csv.DictReader(io.StringIO(out)))
    assert row["name"] == "'" + FORMULA and row["note"] == "'@SUM(A1:A9)"
    assert row["phones"] == "+79161112233"  # a number, not a formula
    (balance,) = list(csv.DictReader(io.StringIO(ok(run("balance", "--csv")))))
    assert re.fullmatch(r"-\d+\.\d\d", balance["amount"])  # a debt stays a number


def test_exported_csv_imports_back_through_the_cli(
    run: Run, operator: FakeOperator, tmp_path: Path
) -> None:
    ok(run("contacts", "add", FORMULA, "+79161112233", "--note", "-5 minutes late"))
    ok(run("contacts", "add", "+1 cousin", "+79161112234"))
    before = sorted((c.name, c.note) for c in operator.subscriber().phonebook.contacts.values())
    book = tmp_path / "book.csv"
    ok(run("contacts", "export", "--format", "csv", "-o", str(book)))
    assert "\"'=HYPERLINK" in book.read_text()
    operator.subscriber().phonebook.contacts.clear()
    ok(run("contacts", "import", str(book)))
    after = sorted((c.name, c.note) for c in operator.subscriber().phonebook.contacts.values())
    assert after == before


def test_a_device_is_not_imported(run: Run) -> None:
    result = run("contacts", "import", "/dev/null", "--format", "csv")
    assert result.exit_code == 2
    assert "not a regular file" in result.output


def test_text_from_stdin_is_bounded(run: Run) -> None:
    result = run("sms", "send", "+79161234567", "--text", "-", input="x" * 100_000)
    assert result.exit_code == 2
    assert "too long" in result.output


def test_the_demo_shows_names_as_text(operator: FakeOperator) -> None:
    sub = operator.subscriber()
    sub.account = attrs.evolve(sub.account, holder=MARKUP + ESCAPES)
    screen = io.StringIO()
    console = Console(file=screen, width=200, force_terminal=True, color_system="standard")
    with Selfcare.fake(operator=operator) as sc:
        print_demo(sc, console)
    out = screen.getvalue()
    assert "\x1b]8;" not in out  # no hyperlink was made
    assert "\x1b]0;" not in out and "\x07" not in out and "\x9b" not in out
    assert "[link=http://evil.example]Mom[/link]" in out


@pytest.mark.parametrize("fmt", ["table", "csv"])
def test_message_texts_keep_their_words_not_their_escapes(
    run: Run, operator: FakeOperator, fmt: str
) -> None:
    ok(run("sms", "send", "+79161234567", "--text", "see [b]you[/b]\x1b[2J"))
    result = run("messages", *([] if fmt == "table" else ["--csv"]))
    _no_escapes(ok(result))
    assert "see [b]you[/b]" in result.stdout


def test_progress_labels_are_text(monkeypatch: pytest.MonkeyPatch) -> None:
    """A progress label names a file: its markup and escapes stay data on the terminal too."""
    screen = io.StringIO()
    monkeypatch.setattr(
        _output,
        "Console",
        lambda **kwargs: Console(file=screen, force_terminal=True, width=120),
    )
    with _output.progress("Importing [link=http://evil.example]x[/link]\x1b]0;t\x07.vcf"):
        pass
    out = screen.getvalue()
    assert "[link=http://evil.example]x[/link]]0;t.vcf" in out
    assert "\x1b]8;" not in out and "\x07" not in out
