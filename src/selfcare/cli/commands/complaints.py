"""``selfcare complaints``: file one and follow it to its answer."""

from __future__ import annotations

import click
from rich.text import Text

from selfcare._errors import ValidationError
from selfcare._i18n import gettext as _
from selfcare.cli._context import State, pass_state
from selfcare.cli._format import enum_label
from selfcare.cli._options import choice, limit_option, output_options
from selfcare.cli._output import Column, emit, emit_one
from selfcare.cli.commands.usage import limited, page_size
from selfcare.model import Complaint, ComplaintCategory, ComplaintStatus, RelatedEntity, RelatedKind
from selfcare.model._enums import coerce_enum

__all__ = ["COMMANDS"]

COMPLAINT_COLUMNS: list[Column[Complaint]] = [
    Column("Id", lambda c: c.id),
    Column("Filed", lambda c: c.created_at, key="created_at"),
    Column("Category", lambda c: c.category),
    Column(
        "Status",
        lambda c: c.status,
        show=lambda c: Text(enum_label(c.status), style="dim" if c.is_closed else ""),
    ),
    Column("Subject", lambda c: c.subject, wrap=True),
    Column("Expected by", lambda c: c.expected_resolution, key="expected_resolution"),
]

COMPLAINT_FIELDS: list[Column[Complaint]] = [
    *COMPLAINT_COLUMNS,
    Column("Text", lambda c: c.text, wrap=True),
    Column("About", lambda c: tuple(str(r) for r in c.related), key="related", wrap=True),
    Column("Resolved", lambda c: c.resolved_at, key="resolved_at"),
]


def _related(values: tuple[str, ...]) -> list[RelatedEntity]:
    found = []
    for value in values:
        kind, sep, ident = value.partition(":")
        if not sep or not ident:
            raise ValidationError(
                f"--about {value!r} must be KIND:ID, e.g. expense:e00000042 (kinds: "
                + ", ".join(k.value for k in RelatedKind)
                + ")",
                field="related",
            )
        found.append(RelatedEntity(coerce_enum(RelatedKind, kind, "related"), ident))
    return found


def _show(state: State, complaint: Complaint, title: str) -> None:
    emit_one(state, complaint, COMPLAINT_FIELDS, title=title)
    if state.format != "table":
        return
    if complaint.history:
        emit(
            state,
            complaint.history,
            [
                Column("When", lambda h: h.at, key="at", wrap=True),
                Column("Status", lambda h: h.status),
                Column("Why", lambda h: h.reason, key="reason", wrap=True),
            ],
            title=_("History"),
        )
    if complaint.notes:
        emit(
            state,
            complaint.notes,
            [
                Column("When", lambda n: n.at, key="at", wrap=True),
                Column("Author", lambda n: n.author, wrap=True),
                Column("Note", lambda n: n.text, key="text", wrap=True),
            ],
            title=_("Notes"),
        )


@click.group()
def complaints() -> None:
    """Complaints to the operator: file, list, show, add a note.

    Example: selfcare --fake complaints file --category billing --subject "Double charge"
    --text "Charged twice on 3 Nov" --about expense:e00000042
    """


@complaints.command("file")
@click.option("--subject", required=True, help="One line saying what is wrong.")
@click.option("--text", required=True, help="The details.")
@click.option("--category", required=True, type=choice(ComplaintCategory), help="What it is about.")
@click.option(
    "--about",
    "related",
    multiple=True,
    help="A record it concerns, KIND:ID (expense, call, bill or message; repeatable).",
)
@output_options
@pass_state
def file(state: State, subject: str, text: str, category: str, related: tuple[str, ...]) -> None:
    """File a complaint.

    Example: selfcare --fake complaints file --category network --subject "No signal"
    --text "No signal at home since Monday"
    """
    complaint = state.client().complaints.file(
        subject, text, category=category, related=_related(related)
    )
    _show(state, complaint, _("Complaint %(id)s filed") % {"id": complaint.id})


@complaints.command("list")
@click.option("--status", type=choice(ComplaintStatus), help="Only complaints in this status.")
@limit_option
@output_options
@pass_state
def list_(state: State, status: str | None, limit: int | None) -> None:
    """Complaints, newest first.

    Example: selfcare --fake complaints list --status in_progress
    """
    pager = state.client().complaints.list(status=status, page_size=page_size(limit))
    emit(
        state,
        limited(pager, limit),
        COMPLAINT_COLUMNS,
        title=_("Complaints"),
        empty=_("No complaints."),
    )


@complaints.command("show")
@click.argument("complaint_id")
@output_options
@pass_state
def show(state: State, complaint_id: str) -> None:
    """One complaint with its history and notes.

    Example: selfcare --base-url http://127.0.0.1:8080 complaints show cmp00000001
    """
    complaint = state.client().complaints.get(complaint_id)
    _show(state, complaint, _("Complaint %(id)s") % {"id": complaint.id})


@complaints.command("note")
@click.argument("complaint_id")
@click.option("--text", required=True, help="The note.")
@output_options
@pass_state
def note_(state: State, complaint_id: str, text: str) -> None:
    """Add a note to an open complaint.

    Example: selfcare --base-url http://127.0.0.1:8080 complaints note cmp00000001 --text "Still"
    """
    complaint = state.client().complaints.add_note(complaint_id, text)
    _show(state, complaint, _("Complaint %(id)s") % {"id": complaint.id})


COMMANDS = [complaints]
