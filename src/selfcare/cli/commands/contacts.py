"""``selfcare contacts`` and ``selfcare lists``: the phonebook on the server, mailing lists."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from selfcare._errors import ValidationError
from selfcare._i18n import gettext as _
from selfcare._i18n import ngettext
from selfcare._rules.text import strip_controls
from selfcare.cli._context import State, pass_state
from selfcare.cli._options import output_options
from selfcare.cli._output import Column, emit, emit_one, note, progress
from selfcare.cli.commands.messaging import find_list
from selfcare.model.contacts import Contact, ListMember, MailingList

__all__ = ["COMMANDS"]

CONTACT_COLUMNS: list[Column[Contact]] = [
    Column("Name", lambda c: c.name, wrap=True),
    Column("Phones", lambda c: c.phones),
    Column("Email", lambda c: c.email),
    Column("Note", lambda c: c.note, wrap=True),
    Column("Id", lambda c: c.id),
]

LIST_COLUMNS: list[Column[MailingList]] = [
    Column("Name", lambda m: m.name, wrap=True),
    Column("Members", lambda m: len(m), right=True),
    Column("Updated", lambda m: m.updated_at),
    Column("Id", lambda m: m.id),
]

MEMBER_COLUMNS: list[Column[ListMember]] = [
    Column("Number", lambda m: m.number),
    Column("Name", lambda m: m.name, wrap=True),
    Column("Contact", lambda m: m.contact_id, key="contact_id"),
]

FORMATS = click.Choice(["vcard", "csv"])


def _format_of(path: Path, given: str | None) -> str:
    if given:
        return given
    suffix = path.suffix.lower()
    if suffix in (".vcf", ".vcard"):
        return "vcard"
    if suffix == ".csv":
        return "csv"
    raise ValidationError(
        f"cannot tell the format of {str(path)!r} from its name: pass --format vcard or csv",
        field="format",
    )


@click.group()
def contacts() -> None:
    """The phonebook kept on the server: list, add, edit, remove, import, export.

    Example: selfcare --fake contacts add "Ivan Petrov" "8 916 123-45-67" --email ivan@example.com
    """


@contacts.command("list")
@click.option("--search", help="Part of a name, an e-mail, or 3+ digits of a number.")
@output_options
@pass_state
def list_(state: State, search: str | None) -> None:
    """Every contact by name.

    Example: selfcare --fake contacts list --search ivan
    """
    found = state.client().contacts.list(search=search)
    emit(state, found, CONTACT_COLUMNS, title=_("Contacts"), empty=_("No contacts."))


@contacts.command("add")
@click.argument("name")
@click.argument("phones", nargs=-1, required=True)
@click.option("--email", help="E-mail address.")
@click.option("--note", help="A note.")
@output_options
@pass_state
def add(
    state: State, name: str, phones: tuple[str, ...], email: str | None, note: str | None
) -> None:
    """Store NAME with one to five PHONES; the first is the main one.

    Example: selfcare --fake contacts add "Ivan Petrov" +79161234567 "8 903 000-00-01"
    """
    contact = state.client().contacts.add(name, list(phones), email=email, note=note)
    emit_one(state, contact, CONTACT_COLUMNS, title=_("Contact added"))


@contacts.command("edit")
@click.argument("contact_id")
@click.option("--name", help="New name.")
@click.option("--phone", "phones", multiple=True, help="Replace the numbers (repeatable).")
@click.option("--email", help="New e-mail ('' clears it).")
@click.option("--note", help="New note ('' clears it).")
@output_options
@pass_state
def edit(
    state: State,
    contact_id: str,
    name: str | None,
    phones: tuple[str, ...],
    email: str | None,
    note: str | None,
) -> None:
    """Change what is given of the contact CONTACT_ID.

    Example: selfcare --base-url http://127.0.0.1:8080 contacts edit k00000001 --note "work"
    """
    contact = state.client().contacts.update(
        contact_id, name=name, phones=list(phones) or None, email=email, note=note
    )
    emit_one(state, contact, CONTACT_COLUMNS, title=_("Contact changed"))


@contacts.command("rm")
@click.argument("contact_id")
@pass_state
def rm(state: State, contact_id: str) -> None:
    """Remove the contact CONTACT_ID (it also leaves every mailing list).

    Example: selfcare --base-url http://127.0.0.1:8080 contacts rm k00000001
    """
    state.client().contacts.delete(contact_id)
    note(_("Removed contact %(id)s.") % {"id": contact_id})


@contacts.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "format_", type=FORMATS, help="vcard or csv (default: by extension).")
@output_options
@pass_state
def import_(state: State, file: Path, format_: str | None) -> None:
    """Add every contact of a vCard (.vcf) or CSV (name,phones,…) FILE: all or none.

    Example: selfcare --fake contacts import phonebook.vcf
    """
    kind = _format_of(file, format_)
    area = state.client().contacts
    with progress(_("Importing %(file)s") % {"file": file.name}):
        added = area.import_vcard(file) if kind == "vcard" else area.import_csv(file)
    emit(
        state,
        added,
        CONTACT_COLUMNS,
        title=ngettext("Imported %(count)s contact", "Imported %(count)s contacts", len(added))
        % {"count": len(added)},
        empty=_("Nothing new to import."),
    )
    if added.skipped:
        note(
            _("Skipped %(count)s already in the phonebook (same name and numbers).")
            % {"count": added.skipped}
        )


@contacts.command("export")
@click.option("--format", "format_", type=FORMATS, default="vcard", show_default=True)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to this file."
)
@pass_state
def export(state: State, format_: str, output: Path | None) -> None:
    """Every contact as vCard 3.0 or CSV, to standard output or --output.

    Example: selfcare --base-url http://127.0.0.1:8080 contacts export -o phonebook.vcf
    """
    area = state.client().contacts
    with progress(_("Exporting contacts")):
        text = area.export_vcard() if format_ == "vcard" else area.export_csv()
    if output is None:
        if sys.stdout.isatty():  # people read it: no escapes from the data reach the terminal
            text = strip_controls(text, "\t\n\r")
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        note(_("Wrote %(path)s.") % {"path": output})


@click.group()
def lists() -> None:
    """Mailing lists of contacts and numbers, for 'selfcare broadcast'.

    Example: selfcare --fake lists create Family "8 916 123-45-67" +79031234567
    """


@lists.command("list")
@output_options
@pass_state
def lists_list(state: State) -> None:
    """Every mailing list, by name.

    Example: selfcare --fake lists list
    """
    emit(state, state.client().contacts.lists.list(), LIST_COLUMNS, empty=_("No mailing lists."))


def _show_list(state: State, found: MailingList, title: str) -> None:
    if state.format == "json":
        emit(state, [found], [], nested={"members": MEMBER_COLUMNS})
    else:
        emit(
            state,
            found.members,
            MEMBER_COLUMNS,
            title=f"{title}: {found.name} ({found.id})",
            empty=_("%(list)s has no members.") % {"list": found.name},
        )


@lists.command("show")
@click.argument("list_ref", metavar="LIST")
@output_options
@pass_state
def lists_show(state: State, list_ref: str) -> None:
    """The members of LIST (its id or name).

    Example: selfcare --base-url http://127.0.0.1:8080 lists show Family
    """
    _show_list(state, find_list(state, list_ref), _("Mailing list"))


@lists.command("create")
@click.argument("name")
@click.argument("members", nargs=-1)
@output_options
@pass_state
def lists_create(state: State, name: str, members: tuple[str, ...]) -> None:
    """A new list NAME with MEMBERS: numbers, or contact ids (c…) to follow a contact.

    Example: selfcare --fake lists create Family +79161234567 "8 903 123-45-67"
    """
    found = state.client().contacts.lists.create(name, _members(state, members))
    _show_list(state, found, _("Created"))


@lists.command("add")
@click.argument("list_ref", metavar="LIST")
@click.argument("members", nargs=-1, required=True)
@output_options
@pass_state
def lists_add(state: State, list_ref: str, members: tuple[str, ...]) -> None:
    """Put MEMBERS (numbers or contact ids) on LIST.

    Example: selfcare --base-url http://127.0.0.1:8080 lists add Family +79161234567
    """
    area = state.client().contacts.lists
    found = area.add_members(find_list(state, list_ref), _members(state, members))
    _show_list(state, found, _("Mailing list"))


@lists.command("remove")
@click.argument("list_ref", metavar="LIST")
@click.argument("members", nargs=-1, required=True)
@output_options
@pass_state
def lists_remove(state: State, list_ref: str, members: tuple[str, ...]) -> None:
    """Take MEMBERS (numbers or contact ids) off LIST.

    Example: selfcare --base-url http://127.0.0.1:8080 lists remove Family +79161234567
    """
    area = state.client().contacts.lists
    found = area.remove_members(find_list(state, list_ref), _members(state, members))
    _show_list(state, found, _("Mailing list"))


@lists.command("rm")
@click.argument("list_ref", metavar="LIST")
@pass_state
def lists_rm(state: State, list_ref: str) -> None:
    """Delete LIST (its contacts stay in the phonebook).

    Example: selfcare --base-url http://127.0.0.1:8080 lists rm Family
    """
    found = find_list(state, list_ref)
    state.client().contacts.lists.delete(found)
    note(_("Deleted mailing list %(list)s (%(id)s).") % {"list": found.name, "id": found.id})


def _members(state: State, members: tuple[str, ...]) -> list[Contact | str]:
    """Numbers stay text (read in the account's region); an id of a contact is that contact."""
    area = state.client().contacts
    result: list[Contact | str] = []
    for member in members:
        if member[:1].isalpha():
            result.append(area.get(member))
        else:
            result.append(member)
    return result


COMMANDS = [contacts, lists]
