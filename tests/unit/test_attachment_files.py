"""Files the SDK reads for the caller: MMS attachments and phonebook imports.

Only a ``pathlib.Path`` (any ``os.PathLike``) is a file to read, a plain ``str`` never is for
attachments; only regular files are opened, and their size is checked before a byte is read.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from selfcare import Selfcare, ValidationError
from selfcare._client.files import read_file
from selfcare._rules.messaging import MMS_MAX_SIZE
from selfcare.backends.fake import FakeOperator, ManualClock
from tests.conftest import NOW

FRIEND = "+79161234567"


@pytest.fixture
def sc() -> Iterator[Selfcare]:
    with Selfcare.fake(operator=FakeOperator(seed=7, clock=ManualClock(NOW))) as client:
        yield client


def _refused(sc: Selfcare, item: object, pattern: str) -> ValidationError:
    with pytest.raises(ValidationError, match=pattern) as caught:
        sc.messages.send_mms(FRIEND, text="hi", attachments=[item])  # type: ignore[list-item]
    assert caught.value.field == "attachments[0]"
    return caught.value


def test_a_str_is_not_a_path(sc: Selfcare, tmp_path: Path) -> None:
    real = tmp_path / "photo.png"
    real.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 10)
    shown = str(_refused(sc, str(real), "pass pathlib.Path"))
    assert "bytes" in shown
    # The same message whether or not the file exists: a str is never opened.
    assert str(_refused(sc, "/no/such/file.png", "pass pathlib.Path")).replace(
        "/no/such/file.png", "X"
    ) == shown.replace(str(real), "X")


def test_devices_and_directories_are_not_read(sc: Selfcare, tmp_path: Path) -> None:
    _refused(sc, Path(os.devnull), "not a regular file")
    _refused(sc, tmp_path, "not a regular file")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_refused_without_waiting_for_a_writer(sc: Selfcare, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.png"
    os.mkfifo(fifo)
    _refused(sc, fifo, "not a regular file")


def test_the_size_is_checked_before_reading(sc: Selfcare, tmp_path: Path) -> None:
    """A sparse file larger than any MMS is refused from its size, so nothing is read."""
    huge = tmp_path / "huge.png"
    with huge.open("wb") as sparse:
        sparse.truncate(64 * 1024 * 1024 * 1024)
    error = _refused(sc, huge, f"at most {MMS_MAX_SIZE} bytes")
    assert str(64 * 1024**3) in str(error)
    small = tmp_path / "small.png"
    small.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 2000)
    with pytest.raises(ValidationError, match="at most 1000 bytes") as caught:
        sc.messages.send_mms(FRIEND, text="hi", attachments=[small], max_size=1000)
    assert caught.value.field == "attachments[0]"


def test_a_missing_file_says_so_to_the_caller_who_named_it(sc: Selfcare, tmp_path: Path) -> None:
    _refused(sc, tmp_path / "nope.png", "cannot read")


def test_a_regular_file_is_read_and_named(sc: Selfcare, tmp_path: Path) -> None:
    voice = tmp_path / "hello.amr"
    voice.write_bytes(b"#!AMR\n" + b"\1" * 500)
    message = sc.messages.send_mms(FRIEND, attachments=voice)
    assert [(a.name, a.size) for a in message.attachments] == [("hello.amr", 506)]


def test_read_file_reads_up_to_its_limit(tmp_path: Path) -> None:
    path = tmp_path / "f.bin"
    path.write_bytes(b"x" * 10)
    assert read_file(path, limit=10, field="f") == b"x" * 10
    with pytest.raises(ValidationError, match="at most 9 bytes") as caught:
        read_file(path, limit=9, field="f")
    assert caught.value.field == "f"
