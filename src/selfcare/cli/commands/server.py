"""``selfcare demo`` and ``selfcare serve``: the fake operator on screen or over HTTP."""

from __future__ import annotations

import click

from selfcare import Selfcare, SelfcareError
from selfcare.cli._context import State
from selfcare.cli._demo import print_demo
from selfcare.cli._output import StdoutConsole

__all__ = ["COMMANDS"]


_OLD_SEED = "give the seed before the command, as for every command: selfcare --seed N {}"


def _seed(old_seed: int | None) -> int:
    """The global ``--seed``, or the command's own deprecated ``--seed`` (click warned)."""
    state = click.get_current_context().find_object(State)
    seed = 42 if state is None else state.seed
    return seed if old_seed is None else old_seed


@click.command()
@click.option("--seed", "old_seed", type=int, hidden=True, deprecated=_OLD_SEED.format("demo"))
def demo(old_seed: int | None) -> None:
    """Show the fake operator's demo subscriber: balance, debts, expenses, missed calls.

    The data comes from the global --seed. Example: selfcare --seed 7 demo
    """
    console = StdoutConsole()
    try:
        with Selfcare.fake(seed=_seed(old_seed)) as sc:
            print_demo(sc, console)
    except SelfcareError as exc:
        raise click.ClickException(str(exc)) from exc


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8080, show_default=True, help="Port (0 picks a free one).")
@click.option("--seed", "old_seed", type=int, hidden=True, deprecated=_OLD_SEED.format("serve"))
@click.option(
    "--protocol",
    type=click.Choice(["selfcare", "tmf"]),
    default="selfcare",
    show_default=True,
    help="selfcare's /v1 protocol, or the TM Forum Open APIs under their official base paths.",
)
@click.option(
    "--send-rate",
    default=120.0,
    show_default=True,
    help="Messages each subscriber may send per minute (after the burst).",
)
@click.option(
    "--send-burst",
    default=300.0,
    show_default=True,
    help="Messages each subscriber may send at once before the rate applies.",
)
@click.option(
    "--card-rate",
    default=10.0,
    show_default=True,
    help="Payment-card attempts per minute per subscriber (after the burst).",
)
@click.option(
    "--card-burst",
    default=20.0,
    show_default=True,
    help="Payment-card attempts each subscriber may make at once before the rate applies.",
)
def serve(
    host: str,
    port: int,
    old_seed: int | None,
    protocol: str,
    send_rate: float,
    send_burst: float,
    card_rate: float,
    card_burst: float,
) -> None:
    """Serve the fake operator over HTTP (needs the 'server' extra).

    Prints the base URL and the demo subscriber's bearer token. State lives as long as the
    server, so commands run with --base-url and --token see each other's changes; its data
    comes from the global --seed. With --protocol tmf the same operator answers on TM Forum
    paths (Selfcare.tmf(...)). Example:

        selfcare serve --port 8080

        selfcare --base-url http://127.0.0.1:8080 --token TOKEN balance
    """
    try:
        import uvicorn

        from selfcare.backends.fake import Bucket, FakeOperator, RateLimits
        from selfcare.server import (
            TEST_OTP_PATH,
            FakeResolver,
            base_url,
            bind,
            create_app,
            create_tmf_app,
        )
    except ImportError as exc:
        raise click.ClickException(
            f"selfcare serve needs the 'server' extra: pip install 'selfcare[server]' ({exc})"
        ) from exc
    try:
        limits = RateLimits(
            sends=Bucket(per_minute=send_rate, burst=send_burst),
            card_attempts=Bucket(per_minute=card_rate, burst=card_burst),
        )
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    operator = FakeOperator(seed=_seed(old_seed), limits=limits)
    try:
        sock = bind(host, port)
    except OSError as exc:
        raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror}") from exc
    click.echo(f"Base URL: {base_url(sock)}")
    click.echo(f"Token: {operator.token().reveal()}")
    for key in operator.subscribers:
        if key != "demo":
            click.echo(f"  other subscriber {key}: {operator.token(key).reveal()}")
    if protocol == "tmf":
        app = create_tmf_app(FakeResolver(operator))
        click.echo(
            "TM Forum APIs under their spec basePaths, e.g. /tmf-api/usageManagement/v4", err=True
        )
    else:
        app = create_app(FakeResolver(operator), test_hooks=True)
        click.echo(f"OpenAPI: {base_url(sock)}/v1/openapi.json", err=True)
        click.echo(
            "Sign in: POST /v1/auth/password with a subscriber's number and "
            f"'<key>-password-1'; one-time codes: GET {TEST_OTP_PATH}?number=... "
            "(fake-only test hook)",
            err=True,
        )
    uvicorn.Server(uvicorn.Config(app, log_level="info")).run(sockets=[sock])


COMMANDS = [demo, serve]
