"""``selfcare lines``: listing a login's lines and exporting them."""

from __future__ import annotations

from pathlib import Path

from tests.cli.conftest import Run, lines, ok


def test_lists_the_familys_lines_as_json(run: Run) -> None:
    records = lines(run("--subscriber", "family", "lines", "list", "--json"))
    assert [(r["number"], r["role"]) for r in records] == [
        ("+79165557001", "owner"),
        ("+79165557002", "member"),
        ("+79165557003", "member"),
        ("+79165557004", "member"),
    ]


def test_a_member_lists_only_their_line(run: Run) -> None:
    records = lines(run("--subscriber", "family-member", "lines", "list", "--json"))
    assert [r["number"] for r in records] == ["+79165557002"]


def test_exports_and_resumes(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "fleet"
    args = ("--subscriber", "family", "lines", "export", str(target), "--since", "2026-11-15")
    first = ok(run(*args))
    assert first.startswith("Wrote 4 lines: ")
    assert sorted(p.name for p in target.iterdir())[0] == "line=+79165557001"
    again = ok(run(*args))
    assert again.startswith("Wrote 0 lines (4 already there, skipped): 0 rows")
    one = ok(run(*args, "--line", "8 916 555-70-03", "--overwrite"))
    assert one.startswith("Wrote 1 line: ")


def test_an_unknown_fake_subscriber_is_an_error_naming_it(run: Run) -> None:
    result = run("--subscriber", "nobody", "lines", "list")
    assert result.exit_code != 0
    assert "nobody" in result.output
