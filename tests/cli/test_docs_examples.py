"""Every ``selfcare --fake ...`` line in the CLI guide (docs/cli/*.md) runs as written.

The guide's examples are what people paste first; an option renamed or a value the fake no
longer accepts would leave them a broken page, so each is run here the way
test_help_examples.py runs the ``--help`` examples, with the same rules (tests/cli/_examples.py).
Each ``--fake`` line gets a fresh fake operator, as each ``selfcare --fake`` process does.

Two small rules of the guide's own:

- a line ending in a ``# exit N`` comment shows a refusal: it must exit with N;
- from a ``selfcare serve`` line on, a page's commands without ``--fake`` (or a server of their
  own) are a session against that one server: they depend on each other, so they run in
  order on one fake operator, as they would on the server. A line naming an id that the page
  took from its own run (``m00007793``) must parse and may fail (exit 1): the test's fake may
  have given that record another id.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import NamedTuple

import pytest

from tests.cli._examples import needs_a_server, run_example, write_example_files
from tests.cli.conftest import Run

PAGES = sorted((Path(__file__).parents[2] / "docs" / "cli").glob("*.md"))
FENCE = re.compile(r"^[ \t]*```bash\n(.*?)^[ \t]*```", re.DOTALL | re.MULTILINE)  # or in a note
EXIT = re.compile(r"#\s*exit (\d)\s*$")
AN_ID = re.compile(r"\b[a-z]{1,3}\d{8}\b")
ASSIGNMENT = re.compile(r"[A-Z_]+=\S*")
OWN_SERVER = ("--fake", "--base-url", "--profile", "--token")


class Example(NamedTuple):
    command: str
    exit_code: int
    env: tuple[tuple[str, str], ...] = ()
    """Variables set on the command's own line (``NAME=value selfcare ...``)."""


def _commands(block: str) -> list[Example]:
    """Each ``selfcare ...`` command of a bash block, cut where the shell would cut it:
    continuations joined; comments, pipes, redirections and ``;`` cut off."""
    found = []
    for line in block.replace("\\\n", " ").splitlines():
        expected = EXIT.search(line)
        lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
        lexer.whitespace_split = True
        words: list[str] = []
        for word in [*lexer, ";"]:
            if word and set(word) <= set("|&;<>()"):
                env: list[tuple[str, str]] = []
                while words and ASSIGNMENT.fullmatch(words[0]):
                    name, _, value = words.pop(0).partition("=")
                    env.append((name, value))
                # With _SELFCARE_COMPLETE set, selfcare prints a completion script: no command.
                if words[:1] == ["selfcare"] and "_SELFCARE_COMPLETE" not in dict(env):
                    code = int(expected[1]) if expected else 0
                    found.append(Example(shlex.join(words), code, tuple(env)))
                words = []
            else:
                words.append(word)
    return found


def _page(page: Path) -> tuple[list[Example], list[Example]]:
    """A page's ``--fake`` examples, and its session against ``selfcare serve`` (if any)."""
    fake: list[Example] = []
    session: list[Example] = []
    served = False
    for block in FENCE.finditer(page.read_text(encoding="utf-8")):
        for example in _commands(block.group(1)):
            argv = shlex.split(example.command)
            served = served or argv[1:2] == ["serve"]
            if argv[1:2] == ["--fake"]:
                fake.append(example)
            elif served and not needs_a_server(argv) and not set(argv) & set(OWN_SERVER):
                session.append(example)
    return fake, session


FAKE = [
    pytest.param(example, id=f"{page.stem}: {example.command}")
    for page in PAGES
    for example in _page(page)[0]
]
SESSIONS = [
    pytest.param(_page(page)[1], id=f"{page.stem}: session") for page in PAGES if _page(page)[1]
]


def test_the_examples_were_found() -> None:
    assert {page.stem for page in PAGES} >= {"index", "account", "messages", "services"}
    assert len(FAKE) > 40 and len(SESSIONS) >= 1
    assert Example("selfcare --fake balance", 0) in [p.values[0] for p in FAKE]
    # Continuations, pipes and redirections are cut where the shell would cut them.
    assert _commands("selfcare --fake a \\\n  --b 'c d' | jq . > x.json  # note\n") == [
        Example("selfcare --fake a --b 'c d'", 0)
    ]
    assert _commands("printf '%s\\n' \"$PIN\" | selfcare --fake card activate --pin-stdin") == [
        Example("selfcare --fake card activate --pin-stdin", 0)
    ]
    assert _commands("selfcare --fake sms send 12345 --text hi   # exit 2") == [
        Example("selfcare --fake sms send 12345 --text hi", 2)
    ]
    assert _commands("X=1 selfcare --fake pay 5") == [
        Example("selfcare --fake pay 5", 0, (("X", "1"),))
    ]


@pytest.mark.parametrize("example", FAKE)
def test_docs_example_runs(
    example: Example, run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if needs_a_server(shlex.split(example.command)):
        pytest.skip("needs a server or a saved profile (tests/cli/test_auth.py, test_e2e.py)")
    monkeypatch.chdir(tmp_path)
    write_example_files(tmp_path)
    for name, value in example.env:
        monkeypatch.setenv(name, value)
    result = run_example(run, example.command)
    assert result.exit_code == example.exit_code, (example, result.output)


@pytest.mark.parametrize("session", SESSIONS)
def test_docs_session_runs_in_order_on_one_server(
    session: list[Example], run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_example_files(tmp_path)
    for example in session:  # `--fake` on the test's one operator, which stands in for the server
        result = run_example(run, example.command.replace("selfcare ", "selfcare --fake ", 1))
        allowed = {example.exit_code, 1} if AN_ID.search(example.command) else {example.exit_code}
        assert result.exit_code in allowed, (example, result.output)
