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


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8080, show_default=True, help="Port (0 picks a free one).")
@click.option("--seed", default=42, show_default=True, help="Seed of the fake operator's data.")
def serve(host: str, port: int, seed: int) -> None:
    """Serve the fake operator over the selfcare HTTP protocol (needs the 'server' extra).

    Prints the base URL and the demo subscriber's bearer token. Example:

        selfcare serve --port 8080

        curl -H "Authorization: Bearer $TOKEN" http://127.0.0.1:8080/v1/expenses?limit=5
    """
    try:
        import uvicorn

        from selfcare.backends.fake import FakeOperator
        from selfcare.server import TEST_OTP_PATH, FakeResolver, base_url, bind, create_app
    except ImportError as exc:
        raise click.ClickException(
            f"selfcare serve needs the 'server' extra: pip install 'selfcare[server]' ({exc})"
        ) from exc
    operator = FakeOperator(seed=seed)
    try:
        sock = bind(host, port)
    except OSError as exc:
        raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror}") from exc
    click.echo(f"Base URL: {base_url(sock)}")
    click.echo(f"Token: {operator.token().reveal()}")
    for key in operator.subscribers:
        if key != "demo":
            click.echo(f"  other subscriber {key}: {operator.token(key).reveal()}")
    click.echo(f"OpenAPI: {base_url(sock)}/v1/openapi.json", err=True)
    click.echo(
        "Sign in: POST /v1/auth/password with a subscriber's number and '<key>-password-1'; "
        f"one-time codes: GET {TEST_OTP_PATH}?number=... (fake-only test hook)",
        err=True,
    )
    app = create_app(FakeResolver(operator), test_hooks=True)
    uvicorn.Server(uvicorn.Config(app, log_level="info")).run(sockets=[sock])
