"""Generate the sync client (src/selfcare/_sync) from the async source (src/selfcare/_async).

The HTTP backend lives with the other backends: ``backends/http/_async.py`` is generated into
``backends/http/_sync.py`` by the same rules (``TWINS``), and checked the same way.

The async code is the single source; this script rewrites it line by line with the rules below
(in the style of httpcore's script) and writes the sync twin. ``--check`` regenerates in memory
and fails if any committed file differs, is missing or is extra. A rule that never fires is an
error too, so dead rules cannot pile up.

Files in ``HANDWRITTEN`` (the few places where sync and async really differ, such as sleeping)
are written by hand on both sides: they are neither generated nor checked, but both twins must
exist.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "src" / "selfcare" / "_async"
TARGET = ROOT / "src" / "selfcare" / "_sync"
HANDWRITTEN = frozenset({"_io.py"})
"""Paths (relative to ``_async/``) kept by hand in both ``_async/`` and ``_sync/``."""
PACKAGE = ROOT / "src" / "selfcare"
TWINS = {PACKAGE / "backends" / "http" / "_async.py": PACKAGE / "backends" / "http" / "_sync.py"}
"""Single async modules outside ``_async/`` and the sync file generated from each."""
HEADER = "# Generated from selfcare/{name} by scripts/unasync.py. Do not edit.\n"

RULES: list[tuple[str, str]] = [
    (r"\bselfcare\._async\b", "selfcare._sync"),
    (r"\bselfcare\.backends\.http\._async\b", "selfcare.backends.http._sync"),
    (r"\basync def\b", "def"),
    (r"\basync for\b", "for"),
    (r"\bawait ", ""),
    (r"\b__aenter__\b", "__enter__"),
    (r"\b__aexit__\b", "__exit__"),
    (r"\b__aiter__\b", "__iter__"),
    (r"\baclose\b", "close"),
    (r"\baread\b", "read"),
    (r"\baiter_sse\b", "iter_sse"),
    (r"\bAsyncIterator\b", "Iterator"),
    (r"\bAsync([A-Z]\w*)", r"\1"),
]
COMPILED = [(re.compile(pattern), repl) for pattern, repl in RULES]


def transform(text: str, used: set[str]) -> str:
    """The sync version of one async module."""
    out = []
    for line in text.splitlines(keepends=True):
        for regex, repl in COMPILED:
            line, count = regex.subn(repl, line)
            if count:
                used.add(regex.pattern)
        out.append(line)
    return "".join(out)


def _defined(path: Path) -> set[str]:
    """Top-level functions and classes of a module (hand-written twins must match)."""
    tree = ast.parse(path.read_text())
    kinds = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    return {node.name for node in tree.body if isinstance(node, kinds)}


def expected() -> dict[Path, str]:
    """Every file of the sync package as it should be."""
    used: set[str] = set()
    files = {
        TARGET / path.relative_to(SOURCE): HEADER.format(name=path.relative_to(PACKAGE).as_posix())
        + transform(path.read_text(), used)
        for path in sorted(SOURCE.rglob("*.py"))
        if path.relative_to(SOURCE).as_posix() not in HANDWRITTEN
    }
    for source, target in sorted(TWINS.items()):
        files[target] = HEADER.format(name=source.relative_to(PACKAGE).as_posix()) + transform(
            source.read_text(), used
        )
    missing = [
        f"{side.name}/{name}"
        for name in sorted(HANDWRITTEN)
        for side in (SOURCE, TARGET)
        if not (side / name).is_file()
    ]
    if missing:
        sys.exit(f"unasync: hand-written twins missing: {missing}")
    for name in sorted(HANDWRITTEN):
        if _defined(SOURCE / name) != _defined(TARGET / name):
            sys.exit(f"unasync: hand-written twins {name} define different names")
    unused = [pattern for pattern, _ in RULES if pattern not in used]
    if unused:
        sys.exit(f"unasync: rules never used (remove them): {unused}")
    return files


def main(argv: list[str]) -> int:
    files = expected()
    handwritten = {TARGET / name for name in HANDWRITTEN}
    if "--check" in argv:
        actual = (set(TARGET.rglob("*.py")) - handwritten) | {
            target for target in TWINS.values() if target.is_file()
        }
        stale = sorted(
            str(p.relative_to(ROOT))
            for p in actual | set(files)
            if p not in files or p not in actual or p.read_text() != files[p]
        )
        if stale:
            print("out of date, run python scripts/unasync.py:", *stale, sep="\n  ")
            return 1
        return 0
    for stale_file in set(TARGET.rglob("*.py")) - set(files) - handwritten:
        stale_file.unlink()
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
