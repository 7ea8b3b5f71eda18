"""sc.logins: the login history and the operation log, on every configuration."""

from datetime import date, datetime, timedelta

import pytest

from selfcare import (
    LoginMethod,
    LoginRecord,
    LoginStatus,
    MessageStatus,
    NaiveDatetime,
    OperationRecord,
    OperationStatus,
    ValidationError,
)
from selfcare.model import OperationParameter
from selfcare.operations import Capability
from tests.conftest import MOSCOW, NOW

pytestmark = pytest.mark.requires(Capability.LOGINS)


def test_login_history_is_a_year_of_realistic_sign_ins_newest_first(sc, operator) -> None:
    logins = list(sc.logins.list(page_size=50))
    assert len(logins) == len(operator.subscriber().logins)
    assert 100 < len(logins) < 300  # a few a week over the year
    keys = [(r.at, r.id) for r in logins]
    assert keys == sorted(keys, reverse=True) and len(set(keys)) == len(keys)
    assert all(isinstance(r, LoginRecord) and r.at <= NOW for r in logins)
    assert {r.method for r in logins} == set(LoginMethod)
    assert {r.channel for r in logins} == {"web", "app"}
    failed = [r for r in logins if r.failed]
    assert failed and all(r.reason for r in failed)
    assert all(r.reason is None for r in logins if not r.failed)
    assert all(r.ip and r.client for r in logins)
    assert logins[-1].at < NOW - timedelta(days=300)


def test_login_filters(sc) -> None:
    failed = list(sc.logins.list(status="failed"))
    assert failed and all(r.status is LoginStatus.FAILED for r in failed)
    otp = list(sc.logins.list(method=LoginMethod.OTP, since=date(2026, 6, 1)))
    june = datetime(2026, 6, 1, tzinfo=MOSCOW)
    assert otp and all(r.method is LoginMethod.OTP and r.at >= june for r in otp)
    with pytest.raises(ValidationError, match="method='fingerprint'.*'password'"):
        sc.logins.list(method="fingerprint")
    with pytest.raises(ValidationError, match="status='ok'"):
        sc.logins.list(status="ok")
    with pytest.raises(NaiveDatetime, match="since"):
        sc.logins.list(since=NOW.replace(tzinfo=None))
    passwords = list(sc.logins.list(kind="password", until=date(2026, 6, 1)))
    assert passwords and all(r.method is LoginMethod.PASSWORD for r in passwords)
    assert passwords == list(sc.logins.list(method="password", until=date(2026, 6, 1)))
    with pytest.raises(ValidationError, match="kind='otp' and method='password'"):
        sc.logins.list(kind="otp", method="password")
    with pytest.raises(ValidationError, match="kind='face'"):
        sc.logins.list(kind="face")


def test_record_login_appends_to_the_history(sc, operator) -> None:
    operator.subscriber().record_login(
        NOW, "sdk", LoginMethod.TOKEN, LoginStatus.SUCCESS, client="tests"
    )
    newest = sc.logins.list().first(1)[0]
    assert (newest.at, newest.channel, newest.client) == (NOW, "sdk", "tests")
    with pytest.raises(ValidationError, match="reason"):
        operator.subscriber().record_login(NOW, "web", LoginMethod.PASSWORD, LoginStatus.FAILED)


def test_every_operation_appears_in_the_log_with_its_outcome(sc) -> None:
    sc.forwarding.to_voicemail("busy")
    sc.services.connect("internet-5gb")
    with pytest.raises(Exception, match="cannot be switched off"):
        sc.services.disconnect("voicemail")
    newest = sc.logins.operations().first(3)
    assert [r.operation for r in newest] == [
        "disconnect_service",
        "connect_service",
        "set_forwarding",
    ]
    assert [r.status for r in newest] == [
        OperationStatus.FAILED,
        OperationStatus.DONE,
        OperationStatus.DONE,
    ]
    assert "cannot be switched off" in (newest[0].reason or "")
    assert newest[1].parameters == (OperationParameter("code", "internet-5gb"),)
    assert all(isinstance(r, OperationRecord) and r.at == NOW for r in newest)


def test_a_scheduled_send_is_pending_until_it_goes_out_or_is_cancelled(sc, clock) -> None:
    later = sc.messages.send_sms(["+79161234567"], "Later", deliver_at=NOW + timedelta(hours=1))
    never = sc.messages.send_sms(["+79161234567"], "Never", deliver_at=NOW + timedelta(hours=2))
    pending = sc.logins.operations(status="pending").first(5)
    assert [r.operation for r in pending] == ["send_sms", "send_sms"]
    sc.messages.cancel(never.id)
    clock.advance(timedelta(hours=3))
    assert sc.messages.get(later.id).status is not MessageStatus.SCHEDULED
    assert sc.logins.operations(status="pending").first(5) == []
    cancel, sent_never, sent_later = sc.logins.operations(since=NOW).first(3)
    assert cancel.operation == "cancel_message" and cancel.status is OperationStatus.DONE
    assert (sent_never.status, sent_never.reason) == (
        OperationStatus.FAILED,
        "cancelled before it was sent",
    )
    assert (sent_later.status, sent_later.reason) == (OperationStatus.DONE, None)
    assert sent_later.at == NOW  # the entry keeps its time and place in the log


def test_operation_filters_and_paging(sc) -> None:
    sc.services.connect("who-called")
    sc.services.disconnect("who-called")
    with pytest.raises(ValidationError):
        sc.services.connect("smart-l")
    connects = list(sc.logins.operations(operation="connect_service"))
    assert [r.status for r in connects] == [OperationStatus.FAILED, OperationStatus.DONE]
    failed = list(sc.logins.operations(status="failed", since=NOW))
    assert [r.operation for r in failed] == ["connect_service"]
    seeded = list(sc.logins.operations(until=NOW - timedelta(seconds=1)))
    assert seeded and all(r.at < NOW for r in seeded)
    everything = list(sc.logins.operations(page_size=1))
    assert len(everything) == len(list(sc.logins.operations())) >= 5


def test_unknown_operation_names_are_refused_listing_the_known_ones(sc) -> None:
    with pytest.raises(ValidationError, match="operation='send_fax'.*set_forwarding"):
        sc.logins.operations(operation="send_fax")
