from click.testing import CliRunner

from selfcare.cli._app import cli


def test_help() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    assert "selfcare demo" in result.output


def test_demo_shows_the_whole_screen() -> None:
    result = CliRunner().invoke(cli, ["demo", "--seed", "42"], env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.output
    out = result.output
    for section in (
        "Account",
        "Anna Smirnova",
        "+7 916 555-01-23",
        "Balance",
        "Open debts",
        "overdue",
        "Last 10 expenses",
        "Spending by kind since",
        "Total",
        "Missed calls since",
        "Call forwarding (voicemail +7 916 000-01-23)",
        "no reply",
        "**61*+79160000123**20#",
        "##21#",
        "Last operations",
        "file complaint",
        "set forwarding",
    ):
        assert section in out, section
    assert "₽" in out
    assert "Traceback" not in out
