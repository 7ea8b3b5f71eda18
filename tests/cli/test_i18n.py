"""People read the CLI and the demo in their language; scripts and errors stay English."""

from __future__ import annotations

import enum
import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from click.testing import CliRunner, Result

import selfcare.model
from selfcare import _i18n
from selfcare.backends.fake import FakeOperator
from selfcare.cli import _format as fmt
from selfcare.cli._app import cli
from selfcare.cli._context import State
from selfcare.forwarding import ForwardingCondition
from selfcare.labels import LABELS, OPERATIONS
from selfcare.model import Quantity, Unit
from selfcare.operations.history import logged_operation_names

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def catalogs() -> Iterator[ModuleType]:
    """``scripts/i18n.py``: extraction and the checks of the catalogs."""
    spec = importlib.util.spec_from_file_location("selfcare_i18n_script", ROOT / "scripts/i18n.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    yield module
    del sys.modules[spec.name]


def _invoke(operator: FakeOperator, *args: str, **env: str | None) -> Result:
    return CliRunner().invoke(
        cli, ["--fake", *args], obj=State(operator=operator), env={"COLUMNS": "200", **env}
    )


def test_every_message_is_translated_and_compiled(catalogs: ModuleType) -> None:
    assert catalogs.problems() == []
    found = {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in catalogs.extract()}
    # the kinds of message the extraction must see: a call, a plural, a context, a header
    assert {
        (None, "Open debts"),
        (None, "%(n)s minute"),
        ("ExpenseKind", "voice out"),
        (None, "Balance after"),  # Column("Balance after", ...) after list[Column[Expense]]
        (None, "Nothing owed."),  # _() after such an annotation
        # the events, lines, complaints, contacts and broadcast output (issue 18, item 5)
        (None, "No events."),
        (None, "bill %(id)s: %(remaining)s of %(amount)s due %(due)s"),
        (None, "signed in by %(method)s on %(channel)s"),
        (None, "No lines."),
        (None, "Exporting lines"),
        (None, "Complaint %(id)s filed"),
        (None, "Exporting contacts"),
        (None, "Sending to %(list)s"),
    } <= found


def test_a_message_missing_from_a_catalog_is_reported(
    catalogs: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    template = catalogs.extract()
    template.add("A message nobody translated yet")
    template.add(("%(n)s new thing", "%(n)s new things"))
    monkeypatch.setattr(catalogs, "extract", lambda: template)
    problems = catalogs.problems()
    assert len(problems) == 2, problems
    assert "'A message nobody translated yet' is not in the catalog" in problems[0]


def test_a_stale_compiled_catalog_is_reported(
    catalogs: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = catalogs.read

    def edited(lang: str) -> object:
        catalog = real(lang)
        catalog.get("Open debts").string = "Долги"
        return catalog

    monkeypatch.setattr(catalogs, "read", edited)
    assert catalogs.problems() == ["ru: selfcare.mo is stale (run scripts/i18n.py compile)"]


@pytest.mark.parametrize(
    ("environ", "language", "locale"),
    [
        ({}, "en", "en"),
        ({"LANG": "ru_RU.UTF-8"}, "ru", "ru_RU"),
        ({"LANG": "ru_KZ.UTF-8"}, "ru", "ru_KZ"),
        ({"SELFCARE_LANG": "ru"}, "ru", "ru"),
        ({"SELFCARE_LANG": "ru-RU"}, "ru", "ru_RU"),
        ({"SELFCARE_LANG": "en", "LANG": "ru_RU.UTF-8"}, "en", "en"),
        ({"SELFCARE_LANG": "", "LANG": "ru_RU.UTF-8"}, "ru", "ru_RU"),
        ({"LC_ALL": "C.UTF-8", "LANG": "ru_RU.UTF-8"}, "en", "en"),  # POSIX: LC_ALL wins
        ({"LC_MESSAGES": "ru_RU.UTF-8", "LANG": "en_US.UTF-8"}, "ru", "ru_RU"),
        ({"LANG": "de_DE.UTF-8"}, "en", "en"),  # no catalog: English, not an error
        ({"LANG": "POSIX"}, "en", "en"),
        ({"SELFCARE_LANG": "x" * 500}, "en", "en"),
    ],
)
def test_the_language_comes_from_selfcare_lang_then_the_posix_variables(
    environ: dict[str, str], language: str, locale: str
) -> None:
    assert _i18n.language(environ) == language
    assert _i18n.language_locale(environ) == locale


@pytest.mark.parametrize(
    ("n", "russian", "english"),
    [
        (1, "1 минута", "1 minute"),
        (2, "2 минуты", "2 minutes"),
        (5, "5 минут", "5 minutes"),
        (11, "11 минут", "11 minutes"),
        (21, "21 минута", "21 minutes"),
        (24, "24 минуты", "24 minutes"),
        (1500, "1\u00a0500 минут", "1,500 minutes"),
    ],
)
def test_plurals_and_numbers_follow_the_language(
    n: int, russian: str, english: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SELFCARE_LANG", "ru")
    assert fmt.quantity(Quantity(n, Unit.MINUTE), "ru_RU") == russian
    monkeypatch.setenv("SELFCARE_LANG", "en")
    assert fmt.quantity(Quantity(n, Unit.MINUTE), "en_US") == english


@pytest.mark.parametrize(
    ("lang", "account", "expected"),
    [
        ("en", "ru_RU", "ru_RU"),  # English: the account's region, as before translations
        ("ru", "ru_RU", "ru_RU"),
        ("ru_KZ.UTF-8", "ru_RU", "ru_RU"),  # the account's, since it is in Russian
        ("ru_KZ.UTF-8", "en_US", "ru_KZ"),
    ],
)
def test_money_and_numbers_are_written_in_the_readers_locale(
    lang: str, account: str, expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SELFCARE_LANG", lang)
    assert fmt.locale(account) == expected


def test_the_demo_speaks_russian(monkeypatch: pytest.MonkeyPatch) -> None:
    result = CliRunner().invoke(
        cli, ["demo"], env={"COLUMNS": "120", "SELFCARE_LANG": None, "LANG": "ru_RU.UTF-8"}
    )
    assert result.exit_code == 0, result.output
    out = result.output
    for words in (
        "Лицевой счёт",
        "Владелец",
        "кредитный лимит",
        "Задолженность",
        "просрочен",
        "Последние 10 списаний",
        "пропущенн",  # 1 пропущенный вызов, 3 пропущенных вызова
        "Переадресация вызовов (голосовая почта +7 916 000-01-23)",
        "если нет ответа",
        "Последние операции",
        "₽",
    ):
        assert words in out, words
    for english in ("Open debts", "Last operations", "overdue", "voicemail"):
        assert english not in out, english


def test_tables_speak_russian_and_csv_and_json_do_not(operator: FakeOperator) -> None:
    russian = _invoke(operator, "bills", SELFCARE_LANG="ru")
    assert russian.exit_code == 0, russian.output
    assert "Счета" in russian.output and "Оплатить до" in russian.output
    assert "просрочен" in russian.output and "Due" not in russian.output
    for args in (
        ("bills", "--csv"),
        ("bills", "--json"),
        ("expenses", "--csv", "--limit", "30"),
        ("calls", "--json", "--limit", "30"),
        ("history", "operations", "--csv"),
        ("forwarding", "show", "--json"),
    ):
        english = _invoke(operator, *args, SELFCARE_LANG="en")
        other = _invoke(operator, *args, SELFCARE_LANG="ru")
        assert english.exit_code == other.exit_code == 0, other.output
        assert other.stdout == english.stdout, args
    header = _invoke(operator, "bills", "--csv", SELFCARE_LANG="ru").stdout.splitlines()[0]
    assert header == "id,period_start,period_end,due_date,amount_due,remaining,state"


def test_errors_stay_english(operator: FakeOperator) -> None:
    result = CliRunner().invoke(
        cli, ["--profile", "nowhere", "balance"], env={"SELFCARE_LANG": "ru"}
    )
    assert result.exit_code == 2
    assert "Error: there is no profile 'nowhere'" in result.output


def test_every_value_shown_has_a_label() -> None:
    shown = [
        member
        for name in dir(selfcare.model)
        if isinstance(kind := getattr(selfcare.model, name), type)
        and issubclass(kind, enum.Enum)
        and kind is not Unit  # units: fmt.quantity
        for member in kind
    ]
    assert sorted(map(repr, (set(shown) | set(ForwardingCondition)) - set(LABELS))) == []
    assert set(OPERATIONS) == logged_operation_names()


def test_english_needs_no_catalog_nor_babel() -> None:
    assert _i18n.translations("en").gettext("Open debts") == "Open debts"
    assert _i18n.gettext("Open debts", "ru") == "Задолженность"
    assert _i18n.ngettext("%(n)s minute", "%(n)s minutes", 3, "ru") == "%(n)s минуты"
    assert _i18n.pgettext("LoginStatus", "failed", "ru") == "неудачно"
    assert _i18n.pgettext("OperationStatus", "failed", "ru") == "не выполнено"


def test_events_and_lines_speak_russian_and_their_json_does_not(
    operator: FakeOperator, tmp_path: Path
) -> None:
    """The events' "What" in the reader's language (money and statuses as they write them),
    while ``--json`` and ``--csv`` keep the English ``summary`` scripts read."""
    from tests.cli.conftest import happenings

    happenings(operator)
    russian = _invoke(operator, "events", SELFCARE_LANG="ru")
    assert russian.exit_code == 0, russian.output
    for words in ("События", "доставлено", "переадресация: если занято", "₽"):
        assert words in russian.output, words
    assert "forwarding:" not in russian.output and ": delivered" not in russian.output
    for args in (("events", "--json"), ("events", "--csv")):
        english = _invoke(operator, *args, SELFCARE_LANG="en")
        other = _invoke(operator, *args, SELFCARE_LANG="ru")
        assert english.exit_code == other.exit_code == 0, other.output
        assert other.stdout == english.stdout, args
    assert "forwarding: busy" in english.stdout
    assert (
        "Событий нет."
        in _invoke(operator, "events", "--type", "bill.overdue", SELFCARE_LANG="ru").output
    )

    family = ("--subscriber", "family", "lines")
    listed = _invoke(operator, *family, "list", SELFCARE_LANG="ru")
    assert listed.exit_code == 0, listed.output
    assert "Номера" in listed.output and "Lines" not in listed.output
    wrote = _invoke(
        operator,
        *family,
        "export",
        str(tmp_path / "x"),
        "--since",
        "2026-11-20",
        SELFCARE_LANG="ru",
    )
    assert wrote.exit_code == 0, wrote.output
    assert "Записано 4 номера: строк " in wrote.stdout
