"""Text that cannot go over the wire (a lone surrogate) is refused the same way on every backend."""

from collections.abc import Callable
from typing import Any

import pytest

from selfcare import ValidationError

LONE = "\ud800"
"""What Python makes of undecodable bytes (``surrogateescape``) or a half of a UTF-16 pair."""

CASES: list[tuple[str, Callable[[Any], Any], str]] = [
    ("sms text", lambda sc: sc.messages.send_sms("+79161234567", "hi " + LONE), "text"),
    ("sms preview", lambda sc: sc.messages.preview(LONE), "text"),
    ("mms text", lambda sc: sc.messages.send_mms("+79161234567", text=LONE), "text"),
    (
        "mms subject",
        lambda sc: sc.messages.send_mms("+79161234567", subject=LONE, text="x"),
        "subject",
    ),
    ("contact name", lambda sc: sc.contacts.add("Anna" + LONE, "+79161234567"), "name"),
    ("contact note", lambda sc: sc.contacts.add("Anna", "+79161234567", note=LONE), "note"),
    ("list name", lambda sc: sc.contacts.lists.create(LONE, ["+79161234567"]), "name"),
    (
        "complaint subject",
        lambda sc: sc.complaints.file(LONE, "text", category="billing"),
        "subject",
    ),
    (
        "complaint text",
        lambda sc: sc.complaints.file("Subject", LONE, category="billing"),
        "text",
    ),
]


@pytest.mark.parametrize(("case", "call", "field"), CASES, ids=[c[0] for c in CASES])
def test_a_lone_surrogate_is_refused_naming_the_field(sc, case, call, field) -> None:
    caps = {"sms": "messages", "mms": "messages", "contact": "contacts", "list": "contacts"}
    if caps.get(case.split()[0], "complaints") not in sc.capabilities:
        pytest.skip(f"no {case} here")
    with pytest.raises(ValidationError) as caught:
        call(sc)
    assert caught.value.field == field
    assert "surrogate" in str(caught.value) and "U+D800" in str(caught.value)


def test_nothing_was_stored(sc) -> None:
    if "messages" not in sc.capabilities:
        pytest.skip("no messages here")
    with pytest.raises(ValidationError):
        sc.messages.send_sms("+79161234567", LONE)
    assert sc.messages.list().to_list() == []
