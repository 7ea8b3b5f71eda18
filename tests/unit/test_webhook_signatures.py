"""selfcare.webhooks.unwrap: Standard Webhooks verification on the raw bytes of a delivery."""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import UTC, datetime, timedelta

import pytest
from standardwebhooks import Webhook

from selfcare import Event, EventType, PhoneNumber, Secret, WebhookVerificationError
from selfcare.backends.fake._webhooks import new_secret
from selfcare.model import Balance, Money, NewWebhookEndpoint
from selfcare.model.webhooks import check_webhook_url, url_problem
from selfcare.protocol._codec import encode_result
from selfcare.webhooks import sign, unwrap

AT = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
SECRET = new_secret()
EVENT = Event(
    id="evt_0000000007",
    type=EventType.BALANCE_LOW,
    occurred_at=AT,
    line=PhoneNumber("+79165550123"),
    data=Balance(Money("42.00", "RUB"), Money("0.00", "RUB"), AT),
)
BODY = encode_result(EVENT)


def _signed(body: bytes = BODY, at: datetime = AT, secret: Secret = SECRET) -> dict[str, str]:
    return sign(body, secret, message_id="msg_79165550123_evt_0000000007", timestamp=at)


def test_a_signed_delivery_unwraps_into_the_event() -> None:
    assert unwrap(BODY, _signed(), SECRET, now=AT + timedelta(seconds=299)) == EVENT
    # headers in any case, the secret as a plain string too, a bytearray body
    upper = {k.upper(): v for k, v in _signed().items()}
    assert unwrap(bytearray(BODY), upper, SECRET.reveal(), now=AT) == EVENT


def test_the_signature_is_the_specifications_hmac() -> None:
    """Computed by hand from the specification, independently of both implementations."""
    key = base64.b64decode(SECRET.reveal().removeprefix("whsec_"))
    signed = b"msg_79165550123_evt_0000000007." + str(int(AT.timestamp())).encode() + b"." + BODY
    expected = "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    assert _signed()["webhook-signature"] == expected
    # and the reference implementation accepts what we sign
    now_headers = sign(BODY, SECRET, message_id="msg_x")
    assert Webhook(SECRET.reveal()).verify(BODY, now_headers) is not None


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda b, h: (b + b" ", h), "no signature matches"),
        (lambda b, h: (b.replace(b"42.00", b"4200.00"), h), "no signature matches"),
        (lambda b, h: (b, {**h, "webhook-id": "msg_other"}), "no signature matches"),
        (lambda b, h: (b, {**h, "webhook-timestamp": str(int(AT.timestamp()) + 1)}), "matches"),
        (lambda b, h: (b, {k: v for k, v in h.items() if k != "webhook-id"}), "webhook-id"),
        (lambda b, h: (b, {**h, "webhook-signature": ""}), "webhook-signature header is"),
        (lambda b, h: (b, {**h, "webhook-timestamp": "soon"}), "not Unix seconds"),
        (lambda b, h: (b"\xff" + b, h), "not UTF-8"),
    ],
)
def test_anything_changed_is_refused(change, words) -> None:  # type: ignore[no-untyped-def]
    body, headers = change(BODY, _signed())
    with pytest.raises(WebhookVerificationError, match=words) as caught:
        unwrap(body, headers, SECRET, now=AT)
    assert SECRET.reveal() not in str(caught.value)


def test_another_secret_is_refused() -> None:
    with pytest.raises(WebhookVerificationError, match="no signature"):
        unwrap(BODY, _signed(), new_secret(), now=AT)


def test_one_of_several_signatures_may_match() -> None:
    """A secret being rotated: the header lists a signature per secret."""
    old = _signed(secret=new_secret())["webhook-signature"]
    headers = _signed()
    headers["webhook-signature"] = f"{old} {headers['webhook-signature']}"
    assert unwrap(BODY, headers, SECRET, now=AT) == EVENT


def test_the_replay_window() -> None:
    late = AT + timedelta(seconds=301)
    with pytest.raises(WebhookVerificationError, match="older"):
        unwrap(BODY, _signed(), SECRET, now=late)
    with pytest.raises(WebhookVerificationError, match="newer"):
        unwrap(BODY, _signed(), SECRET, now=AT - timedelta(seconds=301))
    assert unwrap(BODY, _signed(), SECRET, 600, now=late) == EVENT
    with pytest.raises(WebhookVerificationError, match="tolerance of 0 s"):
        unwrap(BODY, _signed(), SECRET, 0, now=AT + timedelta(seconds=1))


def test_a_signed_body_that_is_no_event_is_refused() -> None:
    body = b'{"id": "evt_1", "type": "message.sent"}'
    with pytest.raises(WebhookVerificationError, match="not a selfcare event"):
        unwrap(body, _signed(body), SECRET, now=AT)


def test_wrong_arguments_are_refused_without_echoing_the_secret() -> None:
    with pytest.raises(ValueError, match="raw bytes"):
        unwrap(BODY.decode(), _signed(), SECRET, now=AT)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="tolerance"):
        unwrap(BODY, _signed(), SECRET, -1, now=AT)
    with pytest.raises(ValueError, match="secret") as caught:
        unwrap(BODY, _signed(), "whsec_not*base64!", now=AT)
    assert "not*base64" not in str(caught.value)


def test_a_new_endpoint_never_shows_its_secret() -> None:
    made = NewWebhookEndpoint("we_1", "https://hooks.example/x", (), AT, SECRET)
    for text in (repr(made), str(made), repr(made.endpoint), f"{made}"):
        assert SECRET.reveal() not in text and "whsec" not in text
    assert made.endpoint.id == "we_1"


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("ftp://h.example/x", "http:// or https://"),
        ("javascript:alert(1)", "http:// or https://"),
        ("/relative/path", "http:// or https://"),
        ("https:///no-host", "no host"),
        ("https://h.example:99999/", "not a URL"),
        ("https://h.example/a\x00b", "control character"),
        ("https://user:pw@h.example/", "user name or password"),
        ("https://h.example/a b", "white space"),
        ("https://h.example/" + "x" * 3000, "longer than 2048"),
    ],
)
def test_webhook_urls_are_checked_naming_the_problem_not_the_value(url: str, words: str) -> None:
    with pytest.raises(ValueError, match=words) as caught:
        check_webhook_url(url)
    message = str(caught.value)
    assert len(message) < 300
    assert message.startswith("url ")
    assert url_problem(url) is not None and url_problem(url) in message  # type: ignore[operator]
    for part in (":pw", "user:", "h.example", "relative", "alert", "no-host", "xxxx", "a b"):
        assert part not in message  # no part of the URL: its path may be a secret


def test_good_urls_pass() -> None:
    for url in ("https://hooks.example/selfcare?x=1", "http://127.0.0.1:8123/hook"):
        assert check_webhook_url(url) == url
        assert url_problem(url) is None


CAPABILITY = "https://hooks.example:8443/cb/s3cr3t-path?token=q5ecr3t#frag"


def test_reprs_show_a_callback_url_as_its_origin_only() -> None:
    # a callback's path and query may be the listener's secret (a capability URL), so
    # every record holding one shows scheme://host:port/… and nothing after
    from selfcare.backends.fake._webhooks import Delivery, EndpointRecord
    from selfcare.server.tmf.hub import Hub

    made = NewWebhookEndpoint("we_1", CAPABILITY, (EventType.BALANCE_LOW,), AT, SECRET)
    endpoint = made.endpoint
    record = EndpointRecord(endpoint, SECRET, position=0)
    delivery = Delivery(endpoint, SECRET, EVENT, index=0, attempt=1, line=None)  # type: ignore[arg-type]
    hub = Hub("h1", "payment", 4, CAPABILITY, None, ("acc", "+79165550123"), 0, 0, 0, ())
    for thing in (made, endpoint, record, delivery, hub):
        text = repr(thing)
        assert "s3cr3t" not in text and "q5ecr3t" not in text and "frag" not in text, text
        assert "https://hooks.example:8443/…" in text, text
    assert endpoint.url == made.url == CAPABILITY  # the URL itself is kept whole
