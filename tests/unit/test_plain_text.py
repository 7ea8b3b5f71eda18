"""selfcare._rules.text: control characters refused or stripped, CSV cells neutralised reversibly."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from selfcare import ValidationError
from selfcare._rules.text import check_plain, csv_cell, csv_row, csv_uncell, strip_controls
from selfcare.model import ComplaintCategory
from selfcare.operations import AddComplaintNote, FileComplaint


@pytest.mark.parametrize(
    ("cell", "shown"),
    [
        ("=1+1", "'=1+1"),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("'=1", "''=1"),
        ("'Tis", "'Tis"),
        ("Mom", "Mom"),
        ("-12.50", "-12.50"),
        ("+79161234567", "+79161234567"),
        ("+79161234567;+74951112233", "+79161234567;+74951112233"),
        ("+7 916", "+7 916"),
        ("", ""),
    ],
)
def test_csv_cell(cell: str, shown: str) -> None:
    assert csv_cell(cell) == shown
    assert csv_uncell(shown) == cell


@given(st.text(alphabet=st.sampled_from("'=+-@\t\r1.; aA(\"")))
def test_csv_cells_round_trip(cell: str) -> None:
    assert csv_uncell(csv_cell(cell)) == cell


@given(st.lists(st.text(), min_size=1, max_size=5))
def test_csv_rows_parse_back_to_the_neutralised_cells(cells: list[str]) -> None:
    (row,) = list(csv.reader(io.StringIO(csv_row(cells), newline="")))
    assert [csv_uncell(c) for c in row] == cells


def test_a_neutralised_cell_is_quoted() -> None:
    assert csv_row(["=1", "Mom", "-1"]) == '"\'=1",Mom,-1\r\n'


def test_strip_controls_keeps_what_it_is_told() -> None:
    assert strip_controls("a\x1b]0;t\x07b\x9b\n\tc\x7f", "\n\t") == "a]0;tb\n\tc"
    assert strip_controls("plain") == "plain"


def test_check_plain_names_the_field_not_the_value() -> None:
    with pytest.raises(ValidationError, match="U\\+001B at position 3") as caught:
        check_plain("Mom\x1b]0;secret\x07", "name")
    assert caught.value.field == "name" and "secret" not in str(caught.value)
    assert check_plain("two\nlines", "note", "\t\n\r") == "two\nlines"


def test_complaints_refuse_control_characters_but_keep_line_breaks() -> None:
    ok = FileComplaint(
        subject="Billing", text="line one\nline two", category=ComplaintCategory.BILLING
    )
    assert ok.text == "line one\nline two"
    with pytest.raises(ValidationError) as caught:
        FileComplaint(subject="Bill\x1b[2J", text="x", category=ComplaintCategory.BILLING)
    assert caught.value.field == "subject"
    with pytest.raises(ValidationError) as caught:
        FileComplaint(subject="Two\nlines", text="x", category=ComplaintCategory.BILLING)
    assert caught.value.field == "subject"
    with pytest.raises(ValidationError) as caught:
        AddComplaintNote(complaint_id="c1", text="beep\x07")
    assert caught.value.field == "text"
