"""A mailing list on the fake operator: import a phonebook, build a list, preview, broadcast.

Run it: ``python examples/mailing_list.py``. It uses ``Selfcare.fake()`` with a manual clock so
the delivery reports can be shown without waiting.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from selfcare import Selfcare
from selfcare.backends.fake import FakeOperator, ManualClock

PHONEBOOK = """\
name,phones,email,note
Ivan Petrov,8 916 111-22-33,ivan@example.org,chess club
Maria Ivanova,+7 903 555-00-11; 8 495 123-45-67,,chess club
Old number,+7 999 000-00-17,,nobody has it any more
"""
TEXT = "Шахматный клуб: встреча в четверг в 19:00, зал 3. Возьмите доски!"


def main() -> None:
    clock = ManualClock(datetime(2026, 11, 25, 12, tzinfo=ZoneInfo("Europe/Moscow")))
    sc = Selfcare.fake(operator=FakeOperator(seed=42, clock=clock))

    contacts = sc.contacts.import_csv(PHONEBOOK)
    print(f"imported {len(contacts)} contacts")
    club = sc.contacts.lists.create("Chess club", [*contacts, "+7 916 999-00-00"])
    print(f"list {club.name!r}: {', '.join(m.name or m.number.e164 for m in club.members)}")

    locale = sc.account.get().locale  # money as the account's region writes it: 2,00 ₽
    preview = sc.messages.preview(TEXT)  # parts × the tariff plan's SMS price
    print(
        f"preview: {preview.encoding}, {len(preview)} part(s) per recipient, "
        f"at most {preview.cost.format(default=locale)} each beyond the allowance"
    )

    # a list, plus a number typed wrong: it is rejected, the others still go
    result = sc.messages.broadcast([*club.members, "8 916 12"], TEXT, sender="ChessClub")
    for row in result.results:
        why = "" if row.sent else f": {row.reason}"
        print(f"  {row.recipient:<32} {row.status.value}{why}")
    print(f"charged: {result.cost('RUB').format(default=locale)}")

    clock.advance(timedelta(minutes=1))
    for message in result.messages:
        final = sc.messages.wait(message, timeout=5)
        (delivery,) = final.deliveries
        why = f" ({delivery.reason})" if delivery.reason else ""
        print(f"  {delivery.recipient.e164}: {final.status.value}{why}")


if __name__ == "__main__":
    main()
