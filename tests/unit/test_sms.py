"""SMS segmentation: vectors from 3GPP TS 23.038 / 23.040 plus Hypothesis properties."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from selfcare._errors import ValidationError
from selfcare.model.money import Money
from selfcare.sms import MAX_PARTS, Encoding, SmsPart, SmsPlan, is_gsm7, plan, septets, ucs2_units

VECTORS_FILE = Path(__file__).parent.parent / "vectors" / "sms_segmentation.json"
DATA = json.loads(VECTORS_FILE.read_text(encoding="utf-8"))
VECTORS = DATA["vectors"]

# The 127 characters of the default alphabet (TS 23.038 6.2.1) and the 10 of the extension
# table (6.2.1.1), written out independently of the module under test.
GSM_BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENSION = "\f^{}\\[~]|€"


def build(text: str | list[list[Any]]) -> str:
    if isinstance(text, str):
        return text
    return "".join(chunk * count for chunk, count in text)


def test_vectors_cite_known_sources() -> None:
    for vector in VECTORS:
        assert vector["source"], vector["name"]
        for key in vector["source"]:
            assert key in DATA["sources"], (vector["name"], key)


@pytest.mark.parametrize("vector", VECTORS, ids=[v["name"] for v in VECTORS])
def test_vector(vector: dict[str, Any]) -> None:
    text = build(vector["text"])
    kwargs: dict[str, Any] = {}
    if "max_parts" in vector:
        kwargs["max_parts"] = vector["max_parts"]
    if "force" in vector:
        kwargs["encoding"] = vector["force"]

    if "raises_parts" in vector:
        with pytest.raises(ValidationError) as info:
            plan(text, **kwargs)
        message = str(info.value)
        assert f"needs {vector['raises_parts']} SMS parts" in message
        assert f"at most {vector.get('max_parts', MAX_PARTS)}" in message
        assert info.value.field == "text"
        return

    result = plan(text, **kwargs)
    assert result.encoding == vector["encoding"]
    assert result.per_part == vector["per_part"]
    assert "".join(p.text for p in result.parts) == text
    if "part_units" in vector:
        assert [p.units for p in result.parts] == vector["part_units"]
        assert [len(p.text) for p in result.parts] == vector["part_chars"]
        assert result.units == sum(vector["part_units"])
        assert result.remaining == vector["per_part"] - vector["part_units"][-1]
    if "part_count" in vector:
        assert result.count == vector["part_count"]
    assert all(p.capacity == vector["per_part"] for p in result.parts)


def test_alphabet_sizes_and_membership() -> None:
    assert len(GSM_BASIC) == 127  # 128 codes less ESC (0x1B)
    assert len(set(GSM_BASIC)) == 127
    assert is_gsm7(GSM_BASIC)
    assert septets(GSM_BASIC) == 127
    for char in GSM_EXTENSION:
        assert is_gsm7(char)
        assert septets(char) == 2, repr(char)
    assert septets(GSM_EXTENSION) == 20


@pytest.mark.parametrize("char", list("çÀÁÂÃÈÊÍÓÔÕÚáâãêíóôõúœ`«»“”‘’–—…\x1b\t\x00ΑΒяЯ😀"))
def test_not_gsm(char: str) -> None:
    assert not is_gsm7(char)
    assert plan(char).encoding == "ucs2"
    with pytest.raises(ValidationError, match=f"U\\+{ord(char):04X}.*position 0"):
        septets(char)


def test_septets_names_the_position_of_the_culprit() -> None:
    with pytest.raises(ValidationError, match="position 3") as info:
        septets("abcя")
    assert info.value.field == "text"


def test_ucs2_units_counts_surrogate_pairs() -> None:
    assert ucs2_units("") == 0
    assert ucs2_units("я") == 1
    assert ucs2_units("😀") == 2
    assert ucs2_units("a😀b") == 4


def test_plan_shape_and_repr() -> None:
    result = plan("a" * 161)
    assert isinstance(result, SmsPlan)
    assert len(result) == result.count == 2
    assert result.concatenated
    assert result.encoding == "gsm7"
    assert result.encoding is Encoding.GSM7
    assert isinstance(result.parts, tuple)
    assert all(isinstance(p, SmsPart) for p in result.parts)
    assert result.cost is None
    assert repr(result) == (
        "SmsPlan(encoding='gsm7', count=2, units=161, per_part=153, remaining=145)"
    )
    assert repr(result.parts[1]) == "SmsPart('aaaaaaaa', units=8, capacity=153)"
    assert repr(result.parts[0]).startswith("SmsPart('aaaaaaaaaaaaaaaaaaaaaaa…', units=153")
    assert result.parts[0].remaining == 0
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        result.per_part = 1  # type: ignore[misc]


def test_empty_text_is_one_empty_part() -> None:
    result = plan("")
    assert len(result) == 1
    assert result.units == 0
    assert result.remaining == 160
    assert not result.concatenated
    assert result.parts[0].text == ""


def test_cost_is_parts_times_price() -> None:
    price = Money("2.00", "RUB")
    assert plan("Hello", price=price).cost == Money("2.00", "RUB")
    assert plan("a" * 161, price=price).cost == Money("4.00", "RUB")
    assert plan("я" * 135, price=price).cost == Money("6.00", "RUB")  # 67 + 67 + 1
    assert "cost=Money('4.00', 'RUB')" in repr(plan("a" * 161, price=price))


def test_price_must_be_money() -> None:
    with pytest.raises(ValidationError) as info:
        plan("hi", price=2)  # type: ignore[arg-type]
    assert info.value.field == "price"


@pytest.mark.parametrize("bad", [0, -1, 256, True, 2.0, "3"])
def test_max_parts_must_be_1_to_255(bad: Any) -> None:
    with pytest.raises(ValidationError) as info:
        plan("hi", max_parts=bad)
    assert info.value.field == "max_parts"


def test_limit_error_is_a_value_error_naming_both_numbers() -> None:
    with pytest.raises(ValueError, match=r"needs 2 SMS parts .* at most 1") as info:
        plan("a" * 161, max_parts=1)
    assert isinstance(info.value, ValidationError)
    assert info.value.details == {"parts": 2, "max_parts": 1}


def test_forced_encodings() -> None:
    assert plan("hello", encoding="ucs2").encoding == "ucs2"
    assert plan("hello", encoding=Encoding.UCS2).per_part == 70
    assert plan("hello", encoding="gsm7").encoding == "gsm7"
    # forcing UCS-2 counts UTF-16 units, so an extension character costs one, not two
    assert plan("€" * 70, encoding="ucs2").units == 70
    with pytest.raises(ValidationError, match="U\\+044F"):
        plan("hello я", encoding="gsm7")
    with pytest.raises(ValidationError) as info:
        plan("hello", encoding="latin1")  # type: ignore[arg-type]
    assert info.value.field == "encoding"


def test_text_must_be_str() -> None:
    with pytest.raises(ValidationError):
        plan(b"hello")  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        is_gsm7(None)  # type: ignore[arg-type]


# ---------------------------------------------------------------- properties

gsm_text = st.text(alphabet=st.sampled_from(GSM_BASIC + GSM_EXTENSION), max_size=700)
any_text = st.text(
    alphabet=st.one_of(
        st.sampled_from(GSM_BASIC + GSM_EXTENSION),
        st.sampled_from("яЖçΑ€😀👍🇷🇺"),
        st.characters(codec="utf-8"),  # utf-8 excludes lone surrogates
    ),
    max_size=400,
)


def check_invariants(text: str, result: SmsPlan) -> None:
    assert "".join(p.text for p in result.parts) == text
    assert all(p.units <= p.capacity == result.per_part for p in result.parts)
    assert result.units == sum(p.units for p in result.parts)
    assert 0 <= result.remaining <= result.per_part
    if result.encoding == "gsm7":
        assert result.units == septets(text)
        assert all(p.units == septets(p.text) for p in result.parts)
        single, multi = 160, 153
    else:
        assert result.units == ucs2_units(text)
        assert all(p.units == ucs2_units(p.text) for p in result.parts)
        single, multi = 70, 67
    assert result.per_part == (single if result.units <= single else multi)
    if result.concatenated:
        # greedy: a part is only closed when the next character (1 or 2 units) does not fit
        assert all(p.units >= p.capacity - 1 for p in result.parts[:-1])
        assert all(p.text for p in result.parts)


@given(gsm_text)
def test_gsm_only_texts_never_choose_ucs2(text: str) -> None:
    result = plan(text)
    assert result.encoding == "gsm7"
    check_invariants(text, result)


@given(any_text)
def test_parts_rejoin_and_respect_capacity(text: str) -> None:
    result = plan(text)
    assert (result.encoding == "gsm7") == is_gsm7(text)
    check_invariants(text, result)


@given(any_text)
def test_forced_ucs2_invariants(text: str) -> None:
    result = plan(text, encoding="ucs2")
    assert result.encoding == "ucs2"
    check_invariants(text, result)


@given(any_text, st.integers(min_value=1, max_value=5))
def test_max_parts_is_respected_or_refused(text: str, limit: int) -> None:
    needed = len(plan(text))
    if needed <= limit:
        assert len(plan(text, max_parts=limit)) == needed
    else:
        with pytest.raises(ValidationError, match=f"needs {needed} SMS parts .* at most {limit}"):
            plan(text, max_parts=limit)


@given(any_text)
def test_parts_are_whole_code_points(text: str) -> None:
    # Each part must be encodable on its own: a half surrogate pair would make strict UTF-16
    # encoding fail, and its UTF-16 length must be exactly the units counted for it.
    result = plan(text, encoding="ucs2")
    for part in result.parts:
        assert len(part.text.encode("utf-16-le")) // 2 == part.units
