"""``selfcare demo`` and ``selfcare serve``: the fake operator on screen or over HTTP."""

from __future__ import annotations

import ipaddress
import socket
from datetime import timedelta

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


def _loopback(host: str, port: int) -> bool:
    """Whether every address ``host`` names is a loopback one (``127.0.0.1``, ``::1``)."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        return False  # bind() will say what is wrong with it
    return bool(found) and all(
        ipaddress.ip_address(str(address[4][0]).partition("%")[0]).is_loopback for address in found
    )


def _warn(text: str) -> None:
    click.secho(f"WARNING: {text}", fg="red", bold=True, err=True)


@click.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; outside loopback only with --public.",
)
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
    "--tmf-version",
    type=click.Choice(["4", "5"]),
    default=None,
    help="With --protocol tmf: 5 serves TMF666, 678, 620, 637, 622 and 621 as Open API v5 "
    "under /tmf-api/<apiName>/v5 (the others have no v5 and stay v4)  [default: 4]",
)
@click.option(
    "--public",
    is_flag=True,
    help="Allow a --host outside loopback, reachable by others. The fake is a sandbox: never "
    "put real subscribers' data in it or expose it to the internet.",
)
@click.option(
    "--test-hooks",
    is_flag=True,
    help="Add the fake's control plane under /v1/_test/: read any number's sign-in code (so "
    "whoever reaches the server can sign in as anyone), reset the fake to its seed, move its "
    "clock forward. For tests only.",
)
@click.option(
    "--deterministic-tokens",
    is_flag=True,
    help="Keep the API tokens the seed gives (the same every run, computable by anyone who "
    "knows the seed) instead of random ones.",
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
@click.option(
    "--max-body-bytes",
    default=1_048_576,
    show_default=True,
    help="Request bodies over this many bytes are refused with 413.",
)
@click.option(
    "--max-json-depth",
    default=32,
    show_default=True,
    help="Request JSON nested deeper (arrays and objects) is refused with a 4xx problem.",
)
@click.option(
    "--idempotency-entries",
    default=1000,
    show_default=True,
    help="Idempotency keys remembered per subscriber (the least recently used go first).",
)
@click.option(
    "--idempotency-hours",
    default=24.0,
    show_default=True,
    help="Hours an idempotency key is remembered.",
)
@click.option(
    "--mobile-network",
    "mobile_network",
    multiple=True,
    metavar="ADDR=NUMBER",
    help="Network sign-in: requests from source address ADDR come from line NUMBER, as the "
    "operator's gateway assigned it (repeatable). Any other address gets login_required.",
)
@click.option(
    "--trusted-proxy",
    "trusted_proxies",
    multiple=True,
    metavar="ADDR",
    help="The proxy whose X-MSISDN / X-Forwarded-For headers name the device (repeatable); "
    "from anyone else those headers are ignored.",
)
@click.option(
    "--redirect-uri",
    "redirect_uris",
    multiple=True,
    metavar="URI",
    help="A redirect URI the 'selfcare' OAuth client may use besides loopback ones (repeatable).",
)
def serve(
    host: str,
    port: int,
    old_seed: int | None,
    protocol: str,
    tmf_version: str | None,
    public: bool,
    test_hooks: bool,
    deterministic_tokens: bool,
    send_rate: float,
    send_burst: float,
    card_rate: float,
    card_burst: float,
    max_body_bytes: int,
    max_json_depth: int,
    idempotency_entries: int,
    idempotency_hours: float,
    mobile_network: tuple[str, ...],
    trusted_proxies: tuple[str, ...],
    redirect_uris: tuple[str, ...],
) -> None:
    """Serve the fake operator over HTTP (needs the 'server' extra): a sandbox for trying
    clients, never for real subscribers' data and never facing the internet.

    Prints the base URL and the subscribers' bearer tokens (random each run unless
    --deterministic-tokens). State lives as long as the server, so commands run with
    --base-url and --token see each other's changes. With --protocol tmf the same operator
    answers on TM Forum paths (Selfcare.tmf(...)); --tmf-version 5 serves v5 where TM Forum
    has one (Selfcare.tmf(..., version=5)). Example:

        selfcare serve --port 8080

        selfcare --base-url http://127.0.0.1:8080 --token TOKEN balance

    With --mobile-network it also plays the operator's authorization server: requests
    from a mapped address sign in as that line with no password (Selfcare.network_login):

        selfcare serve --mobile-network 127.0.0.2=+79165550123
    """
    try:
        from selfcare.backends.fake import Bucket, FakeOperator, RateLimits, SandboxClock
        from selfcare.backends.fake._idempotency import IdempotencyLimits
        from selfcare.server import (
            TEST_HOOKS,
            FakeResolver,
            RequestLimits,
            base_url,
            bind,
            create_app,
            create_tmf_app,
            serve_forever,
        )
        from selfcare.server._oidc import MobileNetwork
    except ImportError as exc:
        raise click.ClickException(
            f"selfcare serve needs the 'server' extra: pip install 'selfcare[server]' ({exc})"
        ) from exc
    if tmf_version is not None and protocol != "tmf":
        raise click.UsageError("--tmf-version needs --protocol tmf")
    if test_hooks and protocol != "selfcare":
        raise click.UsageError("--test-hooks needs --protocol selfcare (the hooks are /v1 routes)")
    if (mobile_network or trusted_proxies or redirect_uris) and protocol != "selfcare":
        raise click.UsageError(
            "--mobile-network, --trusted-proxy and --redirect-uri need --protocol selfcare "
            "(the TMF face has no authorization server)"
        )
    try:
        limits = RateLimits(
            sends=Bucket(per_minute=send_rate, burst=send_burst),
            card_attempts=Bucket(per_minute=card_rate, burst=card_burst),
        )
        request_limits = RequestLimits(max_body_bytes=max_body_bytes, max_depth=max_json_depth)
        if not 0 < idempotency_hours <= 24 * 366:
            raise click.BadParameter(
                f"{idempotency_hours} is not between 0 and a year of hours",
                param_hint="--idempotency-hours",
            )
        network = MobileNetwork.parse(mobile_network, trusted_proxies)
        idempotency = IdempotencyLimits(
            max_age=timedelta(hours=idempotency_hours), max_entries=idempotency_entries
        )
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    if not public and not _loopback(host, port):
        raise click.UsageError(
            f"--host {host} is reachable from other machines; this sandbox listens on "
            "loopback only unless you add --public (never for real data or the internet)"
        )
    seed = _seed(old_seed)
    # the hooks move the clock forward; without them the fake runs on the machine's clock
    clock = SandboxClock() if test_hooks else None
    operator = FakeOperator(seed=seed, clock=clock, limits=limits, idempotency=idempotency)
    if not deterministic_tokens:
        operator.issue_random_tokens()
    try:
        sock = bind(host, port)
    except OSError as exc:
        raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror}") from exc
    if public:
        _warn(
            f"--public: listening on {host}, reachable by anyone who can reach this machine. "
            "selfcare serve is a sandbox: fake data, no TLS; never real subscribers' data, "
            "never the internet."
        )
    if deterministic_tokens:
        _warn(f"--deterministic-tokens: anyone who knows seed {seed} can compute the tokens.")
    click.echo(f"Base URL: {base_url(sock)}")
    click.echo(f"Token: {operator.token().reveal()}")
    for key in operator.subscribers:
        if key != "demo":
            click.echo(f"  other subscriber {key}: {operator.token(key).reveal()}")
    resolver = FakeResolver(operator)
    if protocol == "tmf":
        from selfcare.tmf import DEFAULT_PROFILE

        version = int(tmf_version or 4)
        app = create_tmf_app(resolver, DEFAULT_PROFILE.with_version(version), limits=request_limits)
        example = "customerBillManagement/v5" if version == 5 else "usageManagement/v4"
        click.echo(f"TM Forum APIs under their spec basePaths, e.g. /tmf-api/{example}", err=True)
    else:
        app = create_app(
            resolver,
            test_hooks=test_hooks,
            limits=request_limits,
            network=network,
            redirect_uris=redirect_uris,
        )
        click.echo(f"OpenAPI: {base_url(sock)}/v1/openapi.json", err=True)
        click.echo(
            f"Network sign-in: {base_url(sock)}/.well-known/openid-configuration "
            f"({len(network.lines)} mapped address(es))",
            err=True,
        )
        click.echo(
            "Webhooks: POST /v1/webhooks registers a URL; this server POSTs the line's events "
            "to it, signed (Standard Webhooks), retried for a day",
            err=True,
        )
        click.echo(
            "Sign in: POST /v1/auth/password with a subscriber's number and "
            "'<key>-password-1', or POST /v1/auth/otp",
            err=True,
        )
        if test_hooks:
            _warn(
                "--test-hooks: the fake's control plane reads any number's sign-in code: "
                "whoever reaches this server can sign in as anyone."
            )
            for hook, what in TEST_HOOKS.items():
                click.echo(f"  test hook {hook}  {what}", err=True)
    serve_forever(app, sock)


COMMANDS = [demo, serve]
