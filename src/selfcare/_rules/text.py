"""Plain text at the edges: control characters, and cells that spreadsheets would run.

Names, e-mails and subjects are one line of printable text: a control character in them can
only be a mistake or an attack on whoever displays them (``ESC ]0;…BEL`` retitles a
terminal), so :func:`check_plain` refuses them where the value is checked (the client and
every backend). Free text (a contact's note, a complaint) may keep tabs and line breaks.

A spreadsheet opening a CSV file runs a cell that starts with ``=``, ``+``, ``-`` or ``@``
(and, in some, a tab or carriage return) as a formula: ``=HYPERLINK(...)`` in a contact's
name becomes a link, worse ones run commands. :func:`csv_cell` neutralises such cells as
OWASP's "CSV Injection" page recommends: a single quote in front (the spreadsheet shows the
text, not a formula) and the cell quoted. A cell that is only numbers — an amount like
``-12.50``, an E.164 number like ``+79161234567``, several of them separated by ``;`` or
spaces — is left alone: digits, signs, points and separators cannot call a function or name
a cell, and scripts (and the phonebook importer) need the number as it is.
:func:`csv_uncell` undoes exactly what :func:`csv_cell` did, so an exported phonebook
imports back unchanged.
"""

from __future__ import annotations

import re
from typing import Final

from selfcare._errors import ValidationError

__all__ = [
    "LAYOUT",
    "check_plain",
    "csv_cell",
    "csv_row",
    "csv_uncell",
    "find_control",
    "strip_controls",
]

LAYOUT: Final = "\t\n\r"
"""The control characters free text may keep: tab and line breaks."""

_CONTROL: Final = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
"""C0, DEL and C1 (Unicode's ``Cc``), and the Unicode line and paragraph separators."""

_FORMULA: Final = re.compile("'*[=+\\-@\t\r]")
"""What a neutralised cell is: a formula character behind any number of quotes."""
_NEUTRALISED: Final = re.compile("'+[=+\\-@\t\r]")
_NUMBERS: Final = re.compile(r"[+-]?\d+(?:\.\d+)?(?:[; ]+[+-]?\d+(?:\.\d+)?)*")
"""Only numbers (an amount, an E.164 number, several of them): never a formula."""


def find_control(text: str, allow: str = "") -> str | None:
    """The first control character of ``text`` that is not in ``allow``, or ``None``."""
    for match in _CONTROL.finditer(text):
        if match.group() not in allow:
            return match.group()
    return None


def check_plain(value: str, field: str, allow: str = "") -> str:
    """``value`` unchanged, or a :class:`ValidationError` naming ``field`` and the character.

    The value itself is not echoed: it may be long, and it is what must not be printed.
    """
    bad = find_control(value, allow)
    if bad is not None:
        kept = "" if not allow else " (tabs and line breaks are fine)"
        raise ValidationError(
            f"{field} contains the control character U+{ord(bad):04X} at position "
            f"{value.index(bad)}; only printable text is allowed{kept}",
            field=field,
        )
    return value


def strip_controls(text: str, keep: str = "") -> str:
    """``text`` without its control characters (except those in ``keep``): safe to print."""
    if find_control(text, keep) is None:
        return text
    return _CONTROL.sub(lambda m: m.group() if m.group() in keep else "", text)


def csv_cell(text: str) -> str:
    """A cell a spreadsheet shows as text: a formula-looking cell gets a ``'`` in front.

    A cell of quotes before a formula character (``'=1``) gets one more, so that
    :func:`csv_uncell` can tell the two apart; numbers are left as they are.
    """
    if _FORMULA.match(text) and not _NUMBERS.fullmatch(text):
        return "'" + text
    return text


def csv_uncell(text: str) -> str:
    """The cell :func:`csv_cell` was given (other cells, such as ``'Tis``, stay as they are)."""
    return text[1:] if _NEUTRALISED.match(text) else text


def csv_row(cells: list[str], line_end: str = "\r\n") -> str:
    """One CSV record (RFC 4180): cells neutralised by :func:`csv_cell`; a neutralised cell,
    and one with a comma, quote, line break or edge space, is quoted."""
    out: list[str] = []
    for cell in cells:
        safe = csv_cell(cell)
        if safe != cell or any(c in cell for c in ',"\r\n') or cell != cell.strip():
            safe = '"' + safe.replace('"', '""') + '"'
        out.append(safe)
    if out == [""]:  # a blank line would be no record at all (csv.writer does the same)
        out = ['""']
    return ",".join(out) + line_end
