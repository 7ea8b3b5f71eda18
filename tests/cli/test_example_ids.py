"""An id in an example (a command's --help or the CLI guide) is of the kind its command takes:
a contact id for ``contacts edit``, a message id for ``sms show``, and so on. A placeholder
of the wrong kind (``contacts edit c00000001``, a call's id) sends people looking for it."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from tests.cli.test_help_examples import EXAMPLES

AN_ID = re.compile(r"\b([a-z]{1,3})\d{8}\b")
PREFIX = {"contacts": "k", "lists": "l", "sms": "m", "mms": "m", "complaints": "cmp"}
"""The fake's id prefix for what each command group names (contacts k…, lists l…, messages
m…, complaints cmp…)."""
RELATED = re.compile(r"\b(expense|call|message|bill):([a-z]{1,3})\d{8}\b")
RELATED_PREFIX = {"expense": "e", "call": "c", "message": "m", "bill": "b"}
"""``--about kind:id`` names a record of that kind."""
GUIDE = sorted((Path(__file__).parents[2] / "docs" / "cli").glob("*.md"))


def _guide_examples() -> list[str]:
    found = []
    for page in GUIDE:
        for line in page.read_text(encoding="utf-8").splitlines():
            if line.lstrip().startswith("selfcare ") and AN_ID.search(line):
                found.append(line.split("#")[0].strip())
    return found


def _group(argv: list[str]) -> str | None:
    """The command group, after the global options (``--base-url URL`` takes a value)."""
    words = iter(argv[1:])
    for word in words:
        if word in ("--base-url", "--token", "--profile", "--seed"):
            next(words, None)
        elif not word.startswith("-"):
            return word
    return None


WITH_IDS = [e for e in [*EXAMPLES, *_guide_examples()] if AN_ID.search(e)]


def test_some_examples_name_ids() -> None:
    assert len(WITH_IDS) >= 6


@pytest.mark.parametrize("example", WITH_IDS)
def test_an_example_id_is_of_the_kind_its_command_takes(example: str) -> None:
    group = _group(shlex.split(example))
    assert group in PREFIX, f"{example}: which kind of id does {group!r} take?"
    for kind, prefix in RELATED.findall(example):
        assert prefix == RELATED_PREFIX[kind], f"{example}: an {kind} id starts with {prefix!r}"
    for prefix in AN_ID.findall(RELATED.sub("", example)):
        assert prefix == PREFIX[group], f"{example}: a {group} id starts with {PREFIX[group]!r}"
