"""``selfcare services``: the catalogue, connected options and the tariff plan."""

from __future__ import annotations

import click

from selfcare._i18n import gettext as _
from selfcare.cli._context import State, pass_state
from selfcare.cli._options import choice, output_options
from selfcare.cli._output import Column, emit, emit_one, note
from selfcare.model import ConnectedService, Service, ServiceKind

__all__ = ["COMMANDS"]

SERVICE_COLUMNS: list[Column[Service]] = [
    Column("Code", lambda s: s.code),
    Column("Name", lambda s: s.name, wrap=True),
    Column("Kind", lambda s: s.kind),
    Column("Price", lambda s: s.recurring_price, right=True),
    Column("Per", lambda s: s.period),
    Column("One-off", lambda s: s.one_off_price, right=True),
    Column("Includes", lambda s: s.includes, wrap=True),
    Column("Not with", lambda s: s.incompatible_with, wrap=True),
]

CONNECTED_COLUMNS: list[Column[ConnectedService]] = [
    Column("Code", lambda s: s.code),
    Column("Name", lambda s: s.name, wrap=True),
    Column("Kind", lambda s: s.kind),
    Column("Since", lambda s: s.connected_at),
    Column("Price", lambda s: s.recurring_price, right=True),
    Column("Per", lambda s: s.period),
    Column("Removable", lambda s: s.removable),
]


@click.group()
def services() -> None:
    """Tariff plan and options: what is on offer, what is connected, changing both.

    Example: selfcare --fake services connect internet-5gb
    """


@services.command("catalog")
@click.option("--kind", type=choice(ServiceKind), help="Only tariff plans or only options.")
@output_options
@pass_state
def catalog(state: State, kind: str | None) -> None:
    """Every tariff plan and option on offer.

    Example: selfcare --fake services catalog --kind option
    """
    emit(state, state.client().services.catalog(kind), SERVICE_COLUMNS, title=_("Catalogue"))


@services.command("connected")
@output_options
@pass_state
def connected(state: State) -> None:
    """The tariff plan (first) and the connected options.

    Example: selfcare --fake services connected
    """
    emit(state, state.client().services.connected(), CONNECTED_COLUMNS, title=_("Connected"))


@services.command("connect")
@click.argument("code")
@output_options
@pass_state
def connect(state: State, code: str) -> None:
    """Connect the option CODE (its fees are charged now).

    Example: selfcare --fake services connect internet-5gb
    """
    service = state.client().services.connect(code)
    emit_one(state, service, CONNECTED_COLUMNS, title=_("Connected"))


@services.command("disconnect")
@click.argument("code")
@output_options
@pass_state
def disconnect(state: State, code: str) -> None:
    """Switch the option CODE off; shows what stays connected.

    Example: selfcare --base-url http://127.0.0.1:8080 services disconnect internet-5gb
    """
    remaining = state.client().services.disconnect(code)
    note(_("Disconnected %(code)s.") % {"code": code})
    emit(state, remaining, CONNECTED_COLUMNS, title=_("Still connected"))


@services.command("tariff")
@click.argument("code", required=False)
@output_options
@pass_state
def tariff(state: State, code: str | None) -> None:
    """The tariff plan; with CODE, move the line to that plan.

    Example: selfcare --fake services tariff smart-l
    """
    sc = state.client()
    account = sc.account.get() if code is None else sc.services.change_tariff(code)
    wanted = account.tariff.code
    plans = [s for s in sc.services.catalog("tariff") if s.code == wanted]
    if code is not None:
        note(_("The line is now on %(tariff)s.") % {"tariff": account.tariff.name})
    if plans:
        emit_one(state, plans[0], SERVICE_COLUMNS, title=_("Tariff plan"))
    else:
        emit_one(
            state,
            account.tariff,
            [Column("Code", lambda t: t.code), Column("Name", lambda t: t.name)],
            title=_("Tariff plan"),
        )


COMMANDS = [services]
