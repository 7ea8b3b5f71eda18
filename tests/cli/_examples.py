"""Running a ``selfcare ...`` example exactly as a reader would type it, on the fake operator.

Shared by the checks of the examples in ``--help`` (test_help_examples.py) and in the CLI
guide (test_docs_examples.py), so both follow one rule for what an example may need.
"""

from __future__ import annotations

import shlex
from pathlib import Path

from click.testing import Result

from tests.cli.conftest import Run

# Examples that need something the fake run cannot give: a real server, a profile, a port.
NEEDS_A_SERVER = ("login", "logout", "serve", "listen")
# What an example that reads standard input gets: a valid card PIN of the fake operator (also
# fine as the text of `sms send --text -`).
STDIN = "11111111111110\n"


def needs_a_server(argv: list[str]) -> bool:
    return any(word in NEEDS_A_SERVER for word in argv) or "--token" in argv


def write_example_files(directory: Path) -> None:
    """The files examples name: pictures to attach and a phonebook to import."""
    for name in ("photo.jpg", "cat.jpg"):
        (directory / name).write_bytes(b"\xff\xd8\xff\xe0" + b"\0" * 64 + b"\xff\xd9")
    (directory / "phonebook.vcf").write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Olga\r\nTEL:+79265550101\r\nEND:VCARD\r\n"
    )


def run_example(run: Run, example: str) -> Result:
    """Run ``selfcare [--fake] ...`` on the test's operator, in the current directory."""
    argv = shlex.split(example)[1:]
    fake = argv[:1] == ["--fake"]
    if fake:
        argv = argv[1:]
    return run(*argv, fake=fake, input=STDIN)
