"""Every ```python block in docs/*.md and README.md runs as written.

The blocks of a page run in order in one namespace (a later block may use what an earlier one
made), against one fake operator per page, seeded 42, on a manual clock at the suite's
``NOW``: ``sc`` is that operator's demo subscriber, and ``Selfcare.fake()`` /
``AsyncSelfcare.fake()`` called without a clock get the same clock (without an operator
they start their own, seeded as asked). A block that talks to a server
(``Selfcare(base_url=...)``, ``Selfcare.login(...)``, ``Selfcare.tmf(...)``) runs against the
reference server the suite starts, serving the page's operator: the block's URL literal
becomes the server's and its token literal the demo subscriber's token.

The literals a reader would take from elsewhere are replaced the same way: a one-time code
(``confirm("123456")``) becomes the code the fake texted, read where the phone would read it.
A block of ``>>>`` lines runs its statements (their output is not compared). Top-level
``await`` runs on an event loop of its own.

A block that cannot run here is marked in the markdown, on the line before its fence, with
``<!-- skip: the reason -->``; the reason is shown in the test report. Keep them few.
"""

from __future__ import annotations

import ast
import asyncio
import contextlib
import inspect
import io
import re
from datetime import timedelta
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from selfcare import AsyncSelfcare, Selfcare
from selfcare._async import messages as async_messages
from selfcare._sync import messages as sync_messages
from selfcare.backends.fake import FakeOperator, ManualClock
from selfcare.backends.fake._signin import demo_password
from tests.conftest import NOW

ROOT = Path(__file__).parents[1]
PAGES = [*sorted((ROOT / "docs").glob("*.md")), ROOT / "README.md"]
FENCE = re.compile(
    r"(?:^<!--\s*skip:\s*(?P<skip>.*?)\s*-->\n)?^```python\n(?P<code>.*?)^```", re.M | re.S
)
SERVER_URL = re.compile(r"""(["'])(https?://[^"']+)\1""")
TOKEN = re.compile(r"""token=(["'])[^"']*\1""")
PASSWORD = re.compile(r"""password=(["'])[^"']*\1""")
CODE = re.compile(r"""confirm\((["'])\d{6}\1\)""")


class Block(NamedTuple):
    line: int
    code: str
    skip: str | None


def blocks(page: Path) -> list[Block]:
    text = page.read_text(encoding="utf-8")
    return [
        Block(text.count("\n", 0, m.start("code")) + 1, m.group("code"), m.group("skip"))
        for m in FENCE.finditer(text)
    ]


def _pages() -> list[Any]:
    found = []
    for page in PAGES:
        if blocks(page):
            found.append(pytest.param(page, id=str(page.relative_to(ROOT))))
    return found


def test_the_skips_are_few() -> None:
    skipped = [(p.name, b.line, b.skip) for p in PAGES for b in blocks(p) if b.skip]
    total = sum(len(blocks(p)) for p in PAGES)
    assert total > 30
    # four, each needing what no test machine has: an endless stream, a Dask cluster's
    # scheduler, a generated package (tested on its own), an operator's own vocabulary
    assert len(skipped) <= 4, skipped


JPEG = b"\xff\xd8\xff\xe0" + b"\0" * 64 + b"\xff\xd9"
VCARD = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Olga\r\nN:Petrova;Olga;;;\r\nTEL:+79265550101\r\nEND:VCARD\r\n"


@pytest.fixture
def page_operator(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> FakeOperator:
    """The page's operator on a manual clock; the fakes a block makes share that clock, and
    a wait (``sc.messages.wait``) moves it instead of sleeping. Blocks run in a directory
    holding the files they name."""
    clock = ManualClock(NOW)
    operator = FakeOperator(seed=42, clock=clock)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "beach.jpg").write_bytes(JPEG)
    (tmp_path / "phone.vcf").write_text(VCARD, newline="")

    def sleep(seconds: float) -> None:
        clock.advance(timedelta(seconds=seconds))

    async def asleep(seconds: float) -> None:
        sleep(seconds)

    monkeypatch.setattr(sync_messages, "sleep", sleep)
    monkeypatch.setattr(async_messages, "sleep", asleep)
    for cls in (Selfcare, AsyncSelfcare):
        original = cls.__dict__["fake"].__func__

        def fake(kind: Any, *args: Any, _original: Any = original, **kwargs: Any) -> Any:
            if kwargs.get("operator") is None and kwargs.get("clock") is None:
                kwargs["clock"] = clock
            return _original(kind, *args, **kwargs)

        monkeypatch.setattr(cls, "fake", classmethod(fake))
    return operator


def _served(code: str, urls: dict[str, str], token: str) -> str:
    """The block with its server URL and token literals pointing at the suite's servers
    (the TMF face for a line that says ``tmf``, the selfcare protocol for the others)."""
    lines = []
    for line in code.splitlines(keepends=True):
        url = urls["tmf" if "tmf" in line.lower() else "selfcare"]
        lines.append(SERVER_URL.sub(lambda m, url=url: f"{m[1]}{url}{m[1]}", line))
    code = TOKEN.sub(f"token={token!r}", "".join(lines))
    return PASSWORD.sub(f"password={demo_password('demo').reveal()!r}", code)


def _source(code: str) -> str:
    """The statements of a ``>>>`` block; any other block as it is."""
    if not code.lstrip().startswith(">>>"):
        return code
    return "".join(
        line.lstrip()[4:] + "\n"
        for line in code.splitlines()
        if line.lstrip().startswith((">>> ", "... "))
    )


def _run(code: str, where: str, namespace: dict[str, Any]) -> None:
    compiled = compile(code, where, "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
    with contextlib.redirect_stdout(io.StringIO()):
        result = eval(compiled, namespace)  # exec, but returns the coroutine of a top-level await
        if inspect.iscoroutine(result):

            async def main() -> None:
                await result

            asyncio.run(main())


@pytest.mark.parametrize("page", _pages())
def test_the_python_examples_run(page: Path, page_operator: FakeOperator, request: Any) -> None:
    namespace: dict[str, Any] = {"__name__": "__docs__"}
    with Selfcare.fake(operator=page_operator) as sc:
        namespace |= {
            "sc": sc,
            "clock": page_operator.clock,
            "operator": page_operator,
            "__code__": lambda number: page_operator.sign_in.last_code(number).code,
        }
        for block in blocks(page):
            if block.skip:
                continue
            code = CODE.sub("confirm(__code__(pending.number))", _source(block.code))
            if SERVER_URL.search(code):
                urls = {}
                server, resolver = request.getfixturevalue("live_server")
                resolver.use(page_operator)
                urls["selfcare"] = server.url
                if "tmf" in code.lower():
                    server, resolver, _ = request.getfixturevalue("tmf_live_server")
                    resolver.use(page_operator)
                    urls["tmf"] = server.url
                code = _served(code, urls, page_operator.token().reveal())
            where = f"{page.relative_to(ROOT)}:{block.line}"
            try:
                _run(code, where, namespace)
            except Exception as exc:
                pytest.fail(f"the block at {where} fails: {type(exc).__name__}: {exc}")
