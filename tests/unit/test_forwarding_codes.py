"""Tests for the MMI codes of selfcare.forwarding: vectors both ways, validation, round-trip property."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from selfcare._errors import ValidationError
from selfcare.forwarding import (
    BASIC_SERVICE_CODES,
    NO_REPLY_TIMER_VALUES,
    ForwardingCondition,
    MmiAction,
    MmiCode,
    check_no_reply_timer,
    coerce_condition,
    parse_mmi,
)
from selfcare.model.phone import PhoneNumber

VECTORS: dict[str, Any] = json.loads(
    (Path(__file__).parent.parent / "vectors" / "mmi_forwarding.json").read_text(encoding="utf-8")
)
NUMBER = PhoneNumber("+79161234567")


def _code_from_vector(vector: dict[str, Any]) -> MmiCode:
    number = vector["number"]
    return MmiCode(
        action=MmiAction(vector["action"]),
        condition=ForwardingCondition(vector["condition"]),
        number=PhoneNumber(number) if number is not None else None,
        timer=vector["timer"],
        basic_service=vector["basic_service"],
    )


# --- vectors ------------------------------------------------------------------------------


def test_every_vector_cites_a_source() -> None:
    for group in ("valid", "parse_only", "invalid"):
        for vector in VECTORS[group]:
            assert vector["sources"], vector
            assert all(isinstance(s, str) and s for s in vector["sources"]), vector


@pytest.mark.parametrize("vector", VECTORS["valid"], ids=lambda v: v["mmi"])
def test_vector_renders(vector: dict[str, Any]) -> None:
    code = _code_from_vector(vector)
    assert code.render() == vector["mmi"]
    assert str(code) == vector["mmi"]


@pytest.mark.parametrize("vector", VECTORS["valid"], ids=lambda v: v["mmi"])
def test_vector_parses(vector: dict[str, Any]) -> None:
    assert parse_mmi(vector["mmi"]) == _code_from_vector(vector)


@pytest.mark.parametrize("vector", VECTORS["parse_only"], ids=lambda v: v["input"])
def test_parse_only_vector(vector: dict[str, Any]) -> None:
    code = parse_mmi(vector["input"], region=vector.get("region", "RU"))
    assert code.render() == vector["canonical"]
    assert parse_mmi(vector["canonical"]) == code


@pytest.mark.parametrize("vector", VECTORS["invalid"], ids=lambda v: v["input"] or "<empty>")
def test_invalid_vector(vector: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as info:
        parse_mmi(vector["input"])
    assert info.value.field == vector["field"]
    assert repr(vector["input"]) in str(info.value)  # the error names the input


def test_vectors_cover_every_condition_and_action() -> None:
    valid = VECTORS["valid"]
    assert {v["condition"] for v in valid} == {c.value for c in ForwardingCondition}
    assert {v["action"] for v in valid} == {a.value for a in MmiAction}


# --- enums and helpers --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("condition", "code"),
    [
        (ForwardingCondition.UNCONDITIONAL, "21"),
        (ForwardingCondition.BUSY, "67"),
        (ForwardingCondition.NO_REPLY, "61"),
        (ForwardingCondition.NOT_REACHABLE, "62"),
        (ForwardingCondition.ALL, "002"),
        (ForwardingCondition.ALL_CONDITIONAL, "004"),
    ],
)
def test_service_codes(condition: ForwardingCondition, code: str) -> None:
    assert condition.service_code == code
    assert ForwardingCondition.from_service_code(code) is condition


def test_condition_values() -> None:
    assert [c.value for c in ForwardingCondition] == [
        "unconditional",
        "busy",
        "no_reply",
        "not_reachable",
        "all",
        "all_conditional",
    ]


def test_takes_timer() -> None:
    assert {c for c in ForwardingCondition if c.takes_timer} == {
        ForwardingCondition.NO_REPLY,
        ForwardingCondition.ALL,
        ForwardingCondition.ALL_CONDITIONAL,
    }


def test_unknown_service_code() -> None:
    with pytest.raises(ValidationError, match="'33'") as info:
        ForwardingCondition.from_service_code("33")
    assert info.value.field == "condition"


@pytest.mark.parametrize(
    ("action", "prefix"),
    [
        (MmiAction.ACTIVATE, "*"),
        (MmiAction.DEACTIVATE, "#"),
        (MmiAction.REGISTER, "**"),
        (MmiAction.ERASURE, "##"),
        (MmiAction.INTERROGATE, "*#"),
    ],
)
def test_action_prefixes(action: MmiAction, prefix: str) -> None:
    assert action.prefix == prefix


@pytest.mark.parametrize("condition", list(ForwardingCondition))
def test_coerce_condition_accepts_member_and_value(condition: ForwardingCondition) -> None:
    assert coerce_condition(condition) is condition
    assert coerce_condition(condition.value) is condition


@pytest.mark.parametrize("bad", ["UNCONDITIONAL", "cfu", "21", "", None, 21])
def test_coerce_condition_refuses(bad: Any) -> None:
    with pytest.raises(ValidationError) as info:
        coerce_condition(bad)
    assert info.value.field == "condition"
    message = str(info.value)
    assert repr(bad) in message
    for condition in ForwardingCondition:
        assert repr(condition.value) in message  # lists the valid choices


@pytest.mark.parametrize("seconds", NO_REPLY_TIMER_VALUES)
def test_check_no_reply_timer_accepts(seconds: int) -> None:
    assert check_no_reply_timer(seconds) == seconds


@pytest.mark.parametrize("bad", [0, 4, 7, 31, 35, -5, 100, True, 20.0, "20", None])
def test_check_no_reply_timer_refuses(bad: Any) -> None:
    with pytest.raises(ValidationError) as info:
        check_no_reply_timer(bad)
    assert info.value.field == "timer"
    assert repr(bad) in str(info.value)


def test_timer_values_are_five_to_thirty_in_fives() -> None:
    assert list(NO_REPLY_TIMER_VALUES) == [5, 10, 15, 20, 25, 30]


# --- MmiCode construction -----------------------------------------------------------------


def test_examples_from_the_brief() -> None:
    assert MmiCode(MmiAction.REGISTER, "no_reply", NUMBER, 20).render() == (
        "**61*+79161234567**20#"
    )
    assert MmiCode("register", "unconditional", NUMBER).render() == "**21*+79161234567#"
    assert MmiCode(MmiAction.ERASURE, ForwardingCondition.ALL).render() == "##002#"
    assert MmiCode("deactivate", "unconditional").render() == "#21#"
    assert MmiCode("interrogate", "unconditional").render() == "*#21#"


def test_strings_are_coerced() -> None:
    code = MmiCode("register", "busy", NUMBER)
    assert code.action is MmiAction.REGISTER
    assert code.condition is ForwardingCondition.BUSY


def test_frozen() -> None:
    code = MmiCode("deactivate", "busy")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        code.timer = 20  # type: ignore[misc]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"action": "register", "condition": "busy"}, "number"),
        ({"action": "erasure", "condition": "busy", "number": NUMBER}, "number"),
        ({"action": "deactivate", "condition": "busy", "number": NUMBER}, "number"),
        ({"action": "interrogate", "condition": "busy", "number": NUMBER}, "number"),
        ({"action": "register", "condition": "busy", "number": NUMBER, "timer": 20}, "timer"),
        (
            {"action": "register", "condition": "unconditional", "number": NUMBER, "timer": 20},
            "timer",
        ),
        ({"action": "register", "condition": "no_reply", "number": NUMBER, "timer": 22}, "timer"),
        ({"action": "activate", "condition": "no_reply", "timer": 20}, "timer"),
        ({"action": "deactivate", "condition": "no_reply", "timer": 20}, "timer"),
        ({"action": "register", "condition": "busy", "number": "+79161234567"}, "number"),
        ({"action": "interrogate", "condition": "busy", "basic_service": "14"}, "basic_service"),
        ({"action": "interrogate", "condition": "busy", "basic_service": 11}, "basic_service"),
        ({"action": "forward", "condition": "busy"}, "action"),
        ({"action": "*", "condition": "busy"}, "action"),
        ({"action": "register", "condition": "cfb", "number": NUMBER}, "condition"),
    ],
)
def test_invalid_combinations(kwargs: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as info:
        MmiCode(**kwargs)
    assert info.value.field == field


def test_voicemail_is_plain_registration() -> None:
    voicemail = PhoneNumber("+79168999100")
    code = MmiCode("register", "not_reachable", voicemail)
    assert code.render() == "**62*+79168999100#"
    assert parse_mmi(code.render()) == code


# --- parsing details ----------------------------------------------------------------------


def test_parse_ignores_whitespace_everywhere() -> None:
    assert parse_mmi("\t*# 21 #\n") == MmiCode("interrogate", "unconditional")


def test_parse_national_number_uses_region() -> None:
    code = parse_mmi("**21*89161234567#")
    assert code.number == NUMBER
    assert parse_mmi("**21*2025550123#", region="US").number == PhoneNumber("+12025550123")


def test_parse_refuses_non_text() -> None:
    with pytest.raises(ValidationError):
        parse_mmi(b"#21#")  # type: ignore[arg-type]


def test_parse_refuses_invalid_national_number() -> None:
    with pytest.raises(ValidationError, match="123") as info:
        parse_mmi("**21*123#")
    assert info.value.field == "number"


def test_parse_refuses_non_ascii_digit_timer() -> None:
    with pytest.raises(ValidationError) as info:
        parse_mmi("**61*+79161234567**２０#")
    assert info.value.field == "timer"


# --- properties ---------------------------------------------------------------------------

e164 = st.from_regex(r"\+[1-9][0-9]{6,14}", fullmatch=True).map(PhoneNumber)
basic_services = st.none() | st.sampled_from(sorted(BASIC_SERVICE_CODES))


@st.composite
def mmi_codes(draw: st.DrawFn) -> MmiCode:
    action = draw(st.sampled_from(list(MmiAction)))
    condition = draw(st.sampled_from(list(ForwardingCondition)))
    number: PhoneNumber | None = None
    if action is MmiAction.REGISTER:
        number = draw(e164)
    elif action is MmiAction.ACTIVATE:
        number = draw(st.none() | e164)
    timer = None
    if number is not None and condition.takes_timer:
        timer = draw(st.none() | st.sampled_from(NO_REPLY_TIMER_VALUES))
    return MmiCode(action, condition, number, timer, draw(basic_services))


@given(mmi_codes())
def test_render_parse_round_trip(code: MmiCode) -> None:
    text = code.render()
    assert parse_mmi(text) == code
    assert parse_mmi(text).render() == text


@given(mmi_codes(), st.data())
def test_round_trip_with_whitespace(code: MmiCode, data: st.DataObject) -> None:
    text = code.render()
    spaced = "".join(
        ch + data.draw(st.sampled_from(["", " ", "  ", "\t"]), label="gap") for ch in text
    )
    assert parse_mmi(" " + spaced) == code


@given(st.integers())
def test_timer_helper_agrees_with_rule(seconds: int) -> None:
    if 5 <= seconds <= 30 and seconds % 5 == 0:
        assert check_no_reply_timer(seconds) == seconds
    else:
        with pytest.raises(ValidationError):
            check_no_reply_timer(seconds)


@given(st.text(alphabet="*#0123456789+ ab", max_size=30))
def test_parse_only_ever_raises_validation_error(text: str) -> None:
    try:
        code = parse_mmi(text)
    except ValidationError:
        return
    assert parse_mmi(code.render()) == code


def test_the_public_forwarding_module_names_the_same_objects() -> None:
    import selfcare.forwarding
    import selfcare.model.forwarding

    for name in selfcare.model.forwarding.__all__:
        assert getattr(selfcare.forwarding, name) is getattr(selfcare.model.forwarding, name)
    assert set(selfcare.model.forwarding.__all__) <= set(selfcare.forwarding.__all__)
    assert set(selfcare.model.forwarding.__all__) <= set(dir(selfcare.forwarding))
    code = selfcare.forwarding.parse_mmi("##002#")
    assert code == MmiCode("erasure", "all") and code.render() == "##002#"


def test_the_old_forwarding_codes_module_warns_and_names_the_same_objects() -> None:
    import selfcare.forwarding
    import selfcare.forwarding_codes

    for name in selfcare.forwarding_codes.__all__:
        with pytest.warns(DeprecationWarning, match=f"use selfcare.forwarding.{name}"):
            old = getattr(selfcare.forwarding_codes, name)
        assert old is getattr(selfcare.forwarding, name), name
    with pytest.raises(AttributeError):
        selfcare.forwarding_codes.ForwardingRule  # noqa: B018 - never lived there
