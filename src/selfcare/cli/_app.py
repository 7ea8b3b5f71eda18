"""The ``selfcare`` command group."""

from __future__ import annotations

import click
from rich.console import Console

from selfcare import Selfcare, SelfcareError, __version__
from selfcare.cli._demo import print_demo

__all__ = ["cli"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="selfcare")
def cli() -> None:
    """selfcare: mobile-subscriber self-service from the terminal.

    Try it on the built-in fake operator:

        selfcare demo
    """


@cli.command()
@click.option("--seed", default=42, show_default=True, help="Seed of the fake operator's data.")
def demo(seed: int) -> None:
    """Show the fake operator's demo subscriber: balance, debts, expenses, missed calls.

    Example: selfcare demo --seed 7
    """
    console = Console()
    try:
        with Selfcare.fake(seed=seed) as sc:
            print_demo(sc, console)
    except SelfcareError as exc:
        raise click.ClickException(str(exc)) from exc
