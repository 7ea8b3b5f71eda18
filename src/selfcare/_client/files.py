"""Reading a file the caller named: a regular file only, its size checked before reading.

The SDK reads files in two places, MMS attachments and phonebook imports, and only when the
caller passes a path object (``pathlib.Path`` or any ``os.PathLike``): a ``str`` is data there
or refused, never a file name, so text that came from a web form or a message cannot turn into
a file read by accident. Devices, FIFOs, sockets and directories are refused from ``stat``,
before they are opened (``/dev/zero`` would never end, a FIFO would wait for a writer), and a
file larger than the limit is refused from its size, before a byte is read.

The error names the path and the reason (``No such file or directory``, ``not a regular
file``, the size): the path is the caller's own, so telling them why it cannot be read reveals
nothing they could not see. Code that takes file names from other people must not hand them
to the SDK as paths; pass the uploaded bytes instead.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

from selfcare._errors import ValidationError

__all__ = ["read_file"]

_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_BINARY", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_NONBLOCK", 0)  # were it swapped for a FIFO after stat, open won't wait
)


def read_file(path: os.PathLike[str], *, limit: int, field: str) -> bytes:
    """The bytes of the regular file at ``path``, at most ``limit`` of them.

    Raises :class:`ValidationError` naming ``field`` when the file cannot be read, is not a
    regular file, or is larger than ``limit`` bytes.
    """
    shown = str(Path(path))

    def refuse(reason: str) -> ValidationError:
        return ValidationError(f"{field}: cannot read {shown!r}: {reason}", field=field)

    try:
        before = os.stat(path)
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the path
        raise refuse(getattr(exc, "strerror", None) or "not a valid path") from None
    _check(before, limit, refuse)
    try:
        fd = os.open(path, _FLAGS)
    except OSError as exc:
        raise refuse(exc.strerror or "cannot open it") from None
    with os.fdopen(fd, "rb") as handle:
        now = os.fstat(handle.fileno())
        if (now.st_dev, now.st_ino) != (before.st_dev, before.st_ino):
            raise refuse("it changed while being opened")
        _check(now, limit, refuse)
        data = handle.read(limit + 1)
    if len(data) > limit:  # it grew after fstat
        raise refuse(f"it is larger than {limit} bytes; at most {limit} bytes are allowed")
    return data


def _check(info: os.stat_result, limit: int, refuse: Callable[[str], ValidationError]) -> None:
    if not stat.S_ISREG(info.st_mode):
        raise refuse("not a regular file (devices, pipes and directories are not read)")
    if info.st_size > limit:
        raise refuse(f"it is {info.st_size} bytes; at most {limit} bytes are allowed")
