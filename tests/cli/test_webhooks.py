"""``selfcare webhooks``: create (the secret shown once), list, delete, and ``listen``, which
forwards the line's events, signed, to a local endpoint that verifies them."""

from __future__ import annotations

from selfcare import Secret, Selfcare
from selfcare.backends.fake import FakeOperator
from selfcare.backends.fake._webhooks import new_secret
from selfcare.server import LiveServer
from selfcare.webhooks import unwrap
from tests._receiver import Receiver
from tests.cli.conftest import Run, happenings, lines, ok


def test_create_shows_the_secret_once_list_never(run: Run) -> None:
    made = run("webhooks", "create", "https://hooks.example/x", "--type", "bill.issued", "--json")
    record = lines(made)[0]
    assert record["secret"].startswith("whsec_") and record["types"] == ["bill.issued"]
    assert "shown this once" in made.stderr
    table = ok(run("webhooks", "list"))
    assert record["id"] in table and "whsec_" not in table and "bill.issued" in table
    listed = lines(run("webhooks", "list", "--json"))
    assert [r["id"] for r in listed] == [record["id"]] and "secret" not in listed[0]
    gone = run("webhooks", "delete", record["id"])
    assert gone.exit_code == 0 and record["id"] in gone.stderr
    assert "No endpoints." in ok(run("webhooks", "list"))
    again = run("webhooks", "delete", record["id"])
    assert again.exit_code != 0 and "no webhook endpoint" in again.output


def test_bad_urls_are_refused_naming_the_problem_not_the_url(run: Run) -> None:
    made = run("webhooks", "create", "ftp://hooks.example/x")
    assert made.exit_code != 0 and "http:// or https://" in made.output
    assert "hooks.example/x" not in made.output  # a URL's path may be a secret: never echoed
    listen = run("webhooks", "listen", "--forward-to", "file:///etc/passwd", "--limit", "1")
    assert listen.exit_code == 2 and "--forward-to" in listen.output
    assert "/etc/passwd" not in listen.output
    secret = run(
        "webhooks", "listen", "--forward-to", "http://127.0.0.1:9/", "--secret", "whsec_!!"
    )
    assert secret.exit_code == 2 and "whsec_!!" not in secret.output


def test_listen_forwards_each_event_signed_in_order(run: Run, operator: FakeOperator) -> None:
    start = happenings(operator)
    secret = new_secret()
    receiver = Receiver(secret)
    with LiveServer(receiver.app) as server:
        args = ("webhooks", "listen", "--forward-to", f"{server.url}/hooks", "--after", start)
        result = run(*args, "--limit", "3", "--secret", secret.reveal())
    out = ok(result)
    assert [e.type.value for e in receiver.events()] == [
        "forwarding.changed",
        "message.delivered",
        "payment.succeeded",
    ]
    assert out.count("[204]") == 3 and receiver.refused == 0
    assert "Ready" in result.stderr and secret.reveal() not in result.output


def test_listen_makes_a_secret_when_given_none(run: Run, operator: FakeOperator) -> None:
    sc = Selfcare.fake(operator=operator)
    sc.services.connect("content-block")
    start = next(iter(sc.events.list())).id
    sc.forwarding.set("busy", "+79167654321")
    receiver = Receiver()  # keeps the raw deliveries: the secret is not known yet
    with LiveServer(receiver.app) as server:
        result = run(
            "webhooks", "listen", "--forward-to", f"{server.url}/h", "--after", start,
            "--limit", "1",
        )  # fmt: skip
    assert "[204]" in ok(result)
    printed = result.stderr.split("session is ")[1].split()[0]
    [(body, headers)] = receiver.raw
    assert unwrap(body, headers, Secret(printed)).type.value == "forwarding.changed"
    assert printed not in result.stdout  # on standard error only, away from piped output
