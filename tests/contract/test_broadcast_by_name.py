"""``broadcast("Family", ...)``: a list's name finds the list, or is refused; never a number."""

import pytest

from selfcare import RecipientStatus, ValidationError
from selfcare.operations import Capability

pytestmark = pytest.mark.requires(Capability.CONTACTS, Capability.MESSAGES)


def test_a_list_name_finds_the_list(sc) -> None:
    sc.contacts.lists.create("Family", ["+79161112233", "+79161112244"])
    result = sc.messages.broadcast("family", "Dinner at 7")
    assert [r.status for r in result.results] == [RecipientStatus.SENT] * 2
    assert {r.number.e164 for r in result.results} == {"+79161112233", "+79161112244"}


@pytest.mark.parametrize("name", ["Family", "8 800 FAMILY1"])
def test_a_name_no_list_has_is_refused_and_nothing_is_sent(sc, operator, name) -> None:
    sc.contacts.lists.create("Friends", ["+79161112233"])
    with pytest.raises(ValidationError, match="nor the name of a mailing list") as caught:
        sc.messages.broadcast(name, "hi")
    assert caught.value.field == "recipients" and "'Friends'" in str(caught.value)
    assert sc.messages.list().to_list() == []
