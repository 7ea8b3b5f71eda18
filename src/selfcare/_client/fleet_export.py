"""Writing lines' expenses as a Hive-partitioned Parquet dataset (``sc.lines.export``).

The layout is ``DIR/line=+79165557003/month=2026-11/part-0.parquet``: DuckDB, Polars, pyarrow
and Spark read it as it is, taking ``line`` and ``month`` from the directory names. A line is
written into a hidden directory beside its final one and renamed into place when complete,
so a ``line=…`` directory is always a whole line: an interrupted export leaves none half
written, and the next run skips the lines already there.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Sequence
from datetime import tzinfo
from pathlib import Path
from typing import Any

import attrs

from selfcare._errors import ValidationError
from selfcare.model import Expense, PhoneNumber

__all__ = ["MAX_CONCURRENCY", "ExportSummary", "LineWriter", "check_concurrency", "line_dir"]

MAX_CONCURRENCY = 64


@attrs.frozen
class ExportSummary:
    """What an export wrote: lines written (and skipped as already there), rows and bytes."""

    path: Path
    lines: int
    skipped: int
    rows: int
    bytes: int


def check_concurrency(value: object) -> int:
    """``max_concurrency`` as given, if it is a whole number from 1 to 64."""
    if type(value) is not int or not 1 <= value <= MAX_CONCURRENCY:
        raise ValidationError(
            f"max_concurrency={value!r} must be a whole number from 1 to {MAX_CONCURRENCY}",
            field="max_concurrency",
        )
    return value


def line_dir(root: Path, number: PhoneNumber) -> Path:
    """The directory of one line's partitions."""
    return root / f"line={number.e164}"


class LineWriter:
    """Writes one line's pages (newest first) month by month, a page in memory at a time."""

    def __init__(self, root: Path, number: PhoneNumber, zone: tzinfo, currency: str) -> None:
        from selfcare.analysis import require_pyarrow

        require_pyarrow("sc.lines.export()")
        self.final = line_dir(root, number)
        self.staging = root / f".{self.final.name}.{uuid.uuid4().hex[:8]}.partial"
        self.zone, self.currency = zone, currency
        self.rows = 0
        self._month: str | None = None
        self._writer: Any = None

    def write(self, items: Sequence[Expense]) -> None:
        """Add a page of the line's expenses (newest first, as listings give them)."""
        zone = self.zone
        local = [item.at.astimezone(zone) for item in items]
        months = [(at.year, at.month) for at in local]  # strftime per record cost as much
        start = 0
        while start < len(items):
            month = months[start]
            end = start + 1
            while end < len(items) and months[end] == month:
                end += 1
            self._write_month(f"{month[0]:04d}-{month[1]:02d}", items[start:end])
            start = end

    def _write_month(self, month: str, items: Sequence[Expense]) -> None:
        import pyarrow.parquet as pq

        from selfcare.analysis import arrow_table

        table = arrow_table(items, Expense, self.zone, self.currency)
        if month != self._month:
            self._close_month()
            folder = self.staging / f"month={month}"
            folder.mkdir(parents=True)
            self._writer = pq.ParquetWriter(os.fspath(folder / "part-0.parquet"), table.schema)
            self._month = month
        self._writer.write_table(table, row_group_size=max(table.num_rows, 1))
        self.rows += table.num_rows

    def _close_month(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._writer = None

    def finish(self, *, overwrite: bool) -> int:
        """Close the last file and move the line into place; the bytes it takes."""
        self._close_month()
        self.staging.mkdir(parents=True, exist_ok=True)  # a line without expenses: empty
        if overwrite and self.final.exists():
            shutil.rmtree(self.final)
        self.staging.rename(self.final)
        return sum(path.stat().st_size for path in self.final.rglob("*.parquet"))

    def abort(self) -> None:
        """Drop what was written of the line (an error or a cancel stopped it)."""
        self._close_month()
        shutil.rmtree(self.staging, ignore_errors=True)
