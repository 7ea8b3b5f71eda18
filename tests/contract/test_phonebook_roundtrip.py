"""The phonebook's import and export keep what they read, on every backend."""

import pytest

from selfcare.operations import Capability

pytestmark = pytest.mark.requires(Capability.CONTACTS)

ANNA = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Anna K\r\nN:K;Anna;;;\r\nTEL:+79161234567\r\nEND:VCARD\r\n"


def test_a_vcard_structured_name_survives_import_store_export(sc) -> None:
    (anna,) = sc.contacts.import_vcard(ANNA)
    assert (anna.name, anna.family_name, anna.given_name) == ("Anna K", "K", "Anna")
    assert sc.contacts.get(anna.id) == anna
    exported = sc.contacts.export_vcard()
    assert "N:K;Anna;;;" in exported and "FN:Anna K" in exported
    sc.contacts.delete(anna)
    (again,) = sc.contacts.import_vcard(exported)
    assert again.draft() == anna.draft()


def test_a_contact_without_a_structured_name_exports_its_name_as_given(sc) -> None:
    sc.contacts.add("Ivan Petrov", "+79161112233")
    assert "N:;Ivan Petrov;;;" in sc.contacts.export_vcard()


def test_renaming_drops_the_stale_structured_name(sc) -> None:
    (anna,) = sc.contacts.import_vcard(ANNA)
    assert sc.contacts.update(anna, note="gym").family_name == "K"  # name unchanged: kept
    renamed = sc.contacts.update(anna, name="Anna Smith")
    assert (renamed.family_name, renamed.given_name) == (None, None)
    assert "N:;Anna Smith;;;" in sc.contacts.export_vcard()
