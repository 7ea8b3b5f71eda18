"""The portal's pages. Each one is a few calls to selfcare's public ``AsyncSelfcare`` API."""

from __future__ import annotations

import math
import re
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from live import shown
from security import is_loopback
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response
from web import (
    PendingCode,
    PendingNetwork,
    Portal,
    UserSession,
    _status,
    action,
    clip,
    day,
    label,
    local_datetime,
    page,
    readable,
    redirect,
    request_language,
    say,
    whole_number,
)

from selfcare import (
    AlertName,
    APIError,
    AsyncPager,
    AuthenticationError,
    CallDirection,
    ComplaintCategory,
    ExpenseKind,
    ForwardingCondition,
    ListMember,
    MessagePriority,
    Money,
    OperationStatus,
    PhoneNumber,
    RateLimited,
    RelatedEntity,
    RelatedKind,
    SelfcareError,
    SpendingPeriod,
    ValidationError,
    _i18n,
)
from selfcare._client import phonebook_io
from selfcare._i18n import N_
from selfcare.operations import ImportContacts

PAGE_SIZE = 25
MAX_NUMBER = 64
"""Longer "phone numbers" are refused before the operator is asked."""
MAX_PASSWORD = 256
TIMERS = (5, 10, 15, 20, 25, 30)
RULES = (
    ForwardingCondition.UNCONDITIONAL,
    ForwardingCondition.BUSY,
    ForwardingCondition.NO_REPLY,
    ForwardingCondition.NOT_REACHABLE,
)


def _portal(request: Request) -> Portal:
    portal: Portal = request.app.state.portal
    return portal


async def _one_page(pager: AsyncPager[Any], cursor: str | None) -> tuple[list[Any], str | None]:
    """One page of a listing, resumed after ``cursor`` (a previous page's next cursor)."""
    pages = pager.pages(limit=PAGE_SIZE, cursor=cursor or None)
    try:
        first = await anext(pages)
    finally:
        await pages.aclose()  # type: ignore[attr-defined]
    return list(first.items), first.next_cursor


def _query_without(request: Request, *names: str) -> str:
    """The current filters as a query string, minus ``names`` (for paging links)."""
    kept = [(k, v) for k, v in request.query_params.multi_items() if k not in names]
    from urllib.parse import urlencode

    return urlencode(kept)


# --- sign-in ------------------------------------------------------------------------------


async def signin_form(request: Request) -> Response:
    portal = _portal(request)
    if await portal.user(request) is not None:
        return redirect("/dashboard")
    return portal.render(request, "signin.html", _signin_offers(request))


def _preset_allowed(request: Request) -> bool:
    """The portal's own token (``--token``) is a convenience for whoever runs the portal: it
    is offered to, and accepted from, this machine only (and, like every POST, only from the
    portal's own sign-in page, with its CSRF token)."""
    return _portal(request).preset_token is not None and is_loopback(request)


def _signin_offers(request: Request) -> dict[str, Any]:
    portal = _portal(request)
    return {
        "demo_token": portal.demo_token,
        "preset": _preset_allowed(request),
        "tokens": portal.tokens,
        "subscriber": portal.subscriber_signin,
    }


def _signin_page(
    request: Request, error: str, status_code: int, *, notice: str | None = None, **extra: Any
) -> Response:
    """The sign-in page with an SDK error (``error``) or one of the portal's own notices,
    named by ``notice`` and worded in the template (so they can be translated there)."""
    context = {**_signin_offers(request), "error": error, "notice": notice, **extra}
    return _portal(request).render(request, "signin.html", context, status_code=status_code)


def _refused(exc: BaseException) -> int:
    """The status of a sign-in page that shows ``exc``: the error's own (401 for a wrong
    password, 429 for a lock, 503 when the operator did not answer in time), 400 for input
    refused before sending."""
    if isinstance(exc, RateLimited):
        return 429
    return 400 if isinstance(exc, ValueError) else _status(exc)


def _short(form: Any, name: str, limit: int) -> str:
    """A sign-in field, refused by name (and never echoed) when oversized."""
    value = str(form.get(name, "")).strip()
    if len(value) > limit:
        raise ValidationError(f"the {name} is too long (over {limit} characters)", field=name)
    return value


async def signin(request: Request) -> Response:
    """An access token: development mode only (the fake's demo token, ``--token``)."""
    portal = _portal(request)
    form = await request.form()
    token = str(form.get("token", ""))
    if form.get("preset"):
        if not _preset_allowed(request):
            return _signin_page(request, "", 403, notice="preset-remote")
        assert portal.preset_token is not None
        token = portal.preset_token.reveal()
    elif not portal.tokens:
        return _signin_page(request, "", 403, notice="tokens-off")
    try:
        await portal.sign_in(request, token)
    except Exception as exc:
        return _signin_page(request, readable(exc), _refused(exc))
    return redirect("/dashboard")


async def signin_password(request: Request) -> Response:
    portal = _portal(request)
    form = await request.form()
    number = str(form.get("number", ""))[:MAX_NUMBER]
    try:
        number = _short(form, "number", MAX_NUMBER)
        password = str(form.get("password", ""))
        if len(password) > MAX_PASSWORD:
            raise ValidationError("the password is too long", field="password")
        if not password:
            raise ValidationError("enter your password", field="password")
        client = await portal.connect.login(number, password)  # type: ignore[attr-defined]
        await portal.open_session(request, client)
    except Exception as exc:
        return _signin_page(request, readable(exc), _refused(exc), number=number)
    return redirect("/dashboard")


async def code_request(request: Request) -> Response:
    """Ask the operator to text a one-time code; the code page takes it."""
    portal = _portal(request)
    form = await request.form()
    number = str(form.get("number", ""))[:MAX_NUMBER]
    try:
        number = _short(form, "number", MAX_NUMBER)
        login = await portal.connect.start_login(number)  # type: ignore[attr-defined]
    except Exception as exc:
        return _signin_page(request, readable(exc), _refused(exc), number=number)
    now = portal.clock()
    await portal.hold(request, PendingCode(login, login.number.e164, sent=now, started=now))
    return redirect("/signin/code")


def _waiting_code(request: Request) -> PendingCode | None:
    pending = _portal(request).pending_of(request)
    return pending if isinstance(pending, PendingCode) else None


def _code_page(
    request: Request, pending: PendingCode, *, status_code: int = 200, **extra: Any
) -> Response:
    portal = _portal(request)
    limits = portal.settings
    wait = math.ceil(limits.code_resend_cooldown - (portal.clock() - pending.sent))
    context = {
        "number": pending.number,
        "expires_at": pending.login.expires_at,
        "attempts_left": limits.code_attempts - pending.wrong,
        "resend_wait": max(0, wait),
        "keypad": portal.keypads.issue(),
        **extra,
    }
    return portal.render(request, "signin_code.html", context, status_code=status_code)


async def code_form(request: Request) -> Response:
    pending = _waiting_code(request)
    if pending is None:
        return redirect("/signin")
    return _code_page(request, pending)


async def code_resend(request: Request) -> Response:
    portal = _portal(request)
    pending = _waiting_code(request)
    if pending is None:
        return redirect("/signin")
    wait = math.ceil(portal.settings.code_resend_cooldown - (portal.clock() - pending.sent))
    if wait > 0:
        return _code_page(request, pending, status_code=429, resend_refused=wait)
    try:
        login = await portal.connect.start_login(pending.number)  # type: ignore[attr-defined]
    except Exception as exc:
        return _code_page(request, pending, status_code=_refused(exc), error=readable(exc))
    old = pending.login
    pending.login, pending.sent, pending.wrong = login, portal.clock(), 0
    await old.aclose()
    return _code_page(request, pending, resent=True)


async def code_confirm(request: Request) -> Response:
    portal = _portal(request)
    pending = _waiting_code(request)
    if pending is None:
        return redirect("/signin")
    form = await request.form()
    try:
        if form.get("keypad_id"):
            raw = str(form.get("positions", ""))[:200]
            try:
                positions = [int(p) for p in raw.split(",") if p.strip()]
            except ValueError:
                raise ValidationError("the keypad sent something other than positions") from None
            code = portal.keypads.decode(str(form.get("keypad_id", ""))[:100], positions).reveal()
        else:
            code = _short(form, "code", 32)
        client = await pending.login.confirm(code)
    except AuthenticationError as exc:
        pending.wrong += 1
        if pending.wrong >= portal.settings.code_attempts:
            await portal.drop_pending(request)
            return _signin_page(request, readable(exc), 401, notice="codes-used-up")
        return _code_page(request, pending, status_code=401, error=readable(exc))
    except Exception as exc:
        return _code_page(request, pending, status_code=_refused(exc), error=readable(exc))
    try:
        await portal.open_session(request, client)
    except Exception as exc:
        return _signin_page(request, readable(exc), _refused(exc))
    return redirect("/dashboard")


CALLBACK = "/signin/network/callback"


async def network_start(request: Request) -> Response:
    """Send the browser to the operator, which recognises the line from the connection
    (a GET: the Content-Security-Policy's ``form-action 'self'`` would stop a form's
    redirect to the operator)."""
    portal = _portal(request)
    if not portal.subscriber_signin:
        return redirect("/signin")
    redirect_uri = str(request.url.replace(path=CALLBACK, query=""))
    try:
        login = await portal.connect.start_network_login(redirect_uri)  # type: ignore[attr-defined]
    except Exception as exc:
        return _signin_page(request, readable(exc), 502 if isinstance(exc, APIError) else 400)
    await portal.hold(request, PendingNetwork(login, portal.clock()))
    return redirect(login.authorization_url)


async def network_callback(request: Request) -> Response:
    """Where the operator sends the browser back, with a code or ``login_required``."""
    portal = _portal(request)
    pending = portal.pending_of(request)
    if not isinstance(pending, PendingNetwork):
        if "again" not in request.query_params and "state" in request.query_params:
            # Coming from the operator's site, the browser sent no SameSite=Strict cookie:
            # a page of the portal's own leads it back here, and then it does.
            again = str(request.url.include_query_params(again="1"))
            return portal.render(request, "continue.html", {"next": again})
        return _signin_page(request, "", 400, notice="stale-network")
    portal.pending.pop(request.session.get("pending", ""), None)  # a callback completes once
    try:
        client = await pending.login.complete(str(request.url.remove_query_params("again")))
        await portal.open_session(request, client)
    except Exception as exc:
        if "login_required" in str(exc):
            return _signin_page(request, "", 401, notice="not-recognised")
        return _signin_page(request, readable(exc), _refused(exc))
    return redirect("/dashboard")


async def signout(request: Request) -> Response:
    await _portal(request).sign_out(request)
    return redirect("/signin")


async def home(request: Request) -> Response:
    return redirect("/dashboard" if await _portal(request).user(request) else "/signin")


# --- dashboard ----------------------------------------------------------------------------


@page
async def dashboard(request: Request, user: UserSession) -> Response:
    sc = user.client
    balance = await sc.account.balance()
    debts = await sc.account.debts().to_list()
    today = balance.as_of.astimezone(user.zone).date()  # the operator's today, not ours
    since = date(today.year - 1, today.month, 1)
    months = await sc.expenses.summary("month", since=since)
    peak = max((row.total.amount for row in months.rows), default=Decimal(0)) or Decimal(1)
    bars = [(row, int(row.total.amount * 100 / peak)) for row in months.rows]
    return _portal(request).render(
        request,
        "dashboard.html",
        {"balance": balance, "debts": debts, "months": months, "bars": bars},
        user=user,
    )


# --- expenses and calls -------------------------------------------------------------------


@page
async def expenses(request: Request, user: UserSession) -> Response:
    q = request.query_params
    kinds = q.getlist("kind")
    pager = user.client.expenses.list(
        since=day(q.get("since"), "since"),
        until=day(q.get("until"), "until"),
        kinds=kinds or None,
        page_size=PAGE_SIZE,
    )
    items, next_cursor = await _one_page(pager, q.get("cursor"))
    return _portal(request).render(
        request,
        "expenses.html",
        {
            "items": items,
            "next_cursor": next_cursor,
            "kinds": list(ExpenseKind),
            "chosen": set(kinds),
            "q": q,
            "filters": _query_without(request, "cursor"),
        },
        user=user,
    )


@page
async def calls(request: Request, user: UserSession) -> Response:
    q = request.query_params
    direction = q.get("direction") or None
    pager = user.client.calls.list(
        since=day(q.get("since"), "since"),
        until=day(q.get("until"), "until"),
        direction=direction,
        missed=True if q.get("missed") else None,
        page_size=PAGE_SIZE,
    )
    items, next_cursor = await _one_page(pager, q.get("cursor"))
    return _portal(request).render(
        request,
        "calls.html",
        {
            "items": items,
            "next_cursor": next_cursor,
            "directions": list(CallDirection),
            "q": q,
            "filters": _query_without(request, "cursor"),
        },
        user=user,
    )


# --- forwarding ---------------------------------------------------------------------------


@page
async def forwarding(request: Request, user: UserSession) -> Response:
    state = await user.client.forwarding.get()
    return _portal(request).render(
        request,
        "forwarding.html",
        {"state": state, "conditions": list(ForwardingCondition), "timers": TIMERS},
        user=user,
    )


@action(back="/forwarding")
async def forwarding_set(request: Request, user: UserSession) -> Response:
    form = await request.form()
    condition = str(form.get("condition", ""))
    timer = form.get("timer")
    timeout = whole_number(timer, "timer")
    if form.get("target") == "voicemail":
        await user.client.forwarding.to_voicemail(condition, timer=timeout)
        done = say(
            request,
            N_("Calls (%(condition)s) now go to voicemail."),
            condition=_condition(request, condition),
        )
    else:
        number = str(form.get("number", ""))
        if not number.strip():
            raise ValidationError("enter the number to forward to", field="number")
        await user.client.forwarding.set(condition, number, timer=timeout)
        done = say(
            request,
            N_("Calls (%(condition)s) now go to %(number)s."),
            condition=_condition(request, condition),
            number=number,
        )
    user.flash(done, "ok")
    return redirect("/forwarding")


def _condition(request: Request, condition: str) -> str:
    """A forwarding condition the operator took, as the reader calls it."""
    return label(ForwardingCondition(condition), request_language(request)[0])


@action(back="/forwarding")
async def forwarding_disable(request: Request, user: UserSession) -> Response:
    form = await request.form()
    condition = str(form.get("condition", ""))
    await user.client.forwarding.disable(condition)
    shown_as = _condition(request, condition)
    user.flash(say(request, N_("Forwarding (%(condition)s) is off."), condition=shown_as), "ok")
    return redirect("/forwarding")


# --- messages -----------------------------------------------------------------------------


async def _sms_price(user: UserSession) -> Money | None:
    """The price of one SMS part beyond the allowance: the tariff plan's ``sms_price``.

    Looked up once per session in the catalogue; None if the operator publishes none.
    """
    if not user.sms_price_known:
        user.sms_price = await user.client.messages.sms_price()
        user.sms_price_known = True
    return user.sms_price


async def _messages_page(
    request: Request, user: UserSession, extra: dict[str, Any] | None = None
) -> Response:
    sc = user.client
    price = await _sms_price(user)
    context: dict[str, Any] = {
        "contacts": await sc.contacts.list().to_list(),
        "lists": await sc.contacts.lists.list().to_list(),
        "history": await sc.messages.list().first(20),
        "priorities": list(MessagePriority),
        "price": price,
        "form": {},
    }
    context.update(extra or {})
    return _portal(request).render(request, "messages.html", context, user=user)


@page
async def messages(request: Request, user: UserSession) -> Response:
    return await _messages_page(request, user)


@page
async def messages_send(request: Request, user: UserSession) -> Response:
    """Broadcast the text to the chosen list, contacts and typed numbers; show each result."""
    sc = user.client
    form = await request.form()
    text = str(form.get("text", "")).replace("\r\n", "\n")
    try:
        recipients: list[Any] = []
        list_id = str(form.get("list", ""))
        if list_id:
            recipients.extend((await sc.contacts.lists.get(list_id)).members)
        for contact_id in form.getlist("contact"):
            recipients.append(await sc.contacts.get(str(contact_id)))
        typed = str(form.get("numbers", "")).replace(";", ",").replace("\n", ",")
        recipients.extend(n.strip() for n in typed.split(",") if n.strip())
        if not recipients:
            raise ValidationError("pick at least one recipient", field="to")
        validity = whole_number(form.get("validity"), "validity")
        result = await sc.messages.broadcast(
            recipients,
            text,
            sender=str(form.get("sender", "")).strip() or None,
            deliver_at=local_datetime(str(form.get("deliver_at", "")), user.zone, "deliver_at"),
            validity=None if validity is None else timedelta(minutes=validity),
            delivery_report=bool(form.get("delivery_report")),
            flash=bool(form.get("flash")),
            priority=str(form.get("priority") or "normal"),
        )
    except (SelfcareError, ValueError) as exc:
        return await _messages_page(request, user, {"error": readable(exc), "form": form})
    return await _messages_page(request, user, {"results": result})


# --- contacts and mailing lists -----------------------------------------------------------


@page
async def contacts(request: Request, user: UserSession) -> Response:
    sc = user.client
    search = request.query_params.get("search") or None
    return _portal(request).render(
        request,
        "contacts.html",
        {
            "contacts": await sc.contacts.list(search=search).to_list(),
            "lists": await sc.contacts.lists.list().to_list(),
            "search": search or "",
        },
        user=user,
    )


def _phones(text: str) -> list[str]:
    return [p.strip() for p in text.replace(";", ",").split(",") if p.strip()]


@action(back="/contacts")
async def contact_add(request: Request, user: UserSession) -> Response:
    form = await request.form()
    contact = await user.client.contacts.add(
        str(form.get("name", "")),
        _phones(str(form.get("phones", ""))),
        email=str(form.get("email", "")).strip() or None,
        note=str(form.get("note", "")).strip() or None,
    )
    user.flash(say(request, N_("Added %(name)s."), name=contact.name), "ok")
    return redirect("/contacts")


@page
async def contact_edit(request: Request, user: UserSession) -> Response:
    contact = await user.client.contacts.get(request.path_params["contact_id"])
    return _portal(request).render(request, "contact_edit.html", {"contact": contact}, user=user)


@action(back="/contacts/{contact_id}")
async def contact_update(request: Request, user: UserSession) -> Response:
    form = await request.form()
    contact = await user.client.contacts.update(
        request.path_params["contact_id"],
        name=str(form.get("name", "")),
        phones=_phones(str(form.get("phones", ""))),
        email=str(form.get("email", "")).strip() or None,
        note=str(form.get("note", "")).strip() or None,
    )
    user.flash(say(request, N_("Saved %(name)s."), name=contact.name), "ok")
    return redirect("/contacts")


@action(back="/contacts")
async def contact_delete(request: Request, user: UserSession) -> Response:
    await user.client.contacts.delete(request.path_params["contact_id"])
    user.flash(say(request, N_("Contact deleted.")), "ok")
    return redirect("/contacts")


@action(back="/contacts")
async def contacts_import(request: Request, user: UserSession) -> Response:
    form = await request.form()
    upload = form.get("vcard")
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise ValidationError("choose a .vcf file to import", field="vcard")
    data = await upload.read()
    # vCard parsing (vobject, then every number) is CPU work: in a worker thread, not on the
    # event loop serving everyone. The request's size is capped before it is read (app.py).
    # ``sc.contacts.import_vcard(data)`` would do the same on the loop; selfcare has no public
    # parser yet, hence its private one here.
    drafts = await _portal(request).parse_off_loop(
        phonebook_io.read_vcard, data, user.account.region
    )
    imported = await user.client.execute(ImportContacts(tuple(drafts))) if drafts else ()
    text = _i18n.ngettext(
        "Imported %(num)s contact from %(file)s.",
        "Imported %(num)s contacts from %(file)s.",
        len(imported),
        request_language(request)[0],
    )
    user.flash(text % {"num": len(imported), "file": clip(upload.filename, 80)}, "ok")
    return redirect("/contacts")


@action(back="/contacts")
async def list_create(request: Request, user: UserSession) -> Response:
    form = await request.form()
    members: list[Any] = [await user.client.contacts.get(str(c)) for c in form.getlist("contact")]
    members += _phones(str(form.get("numbers", "")))
    created = await user.client.contacts.lists.create(str(form.get("name", "")), members)
    text = _i18n.ngettext(
        "Created the list %(name)s (%(num)s member).",
        "Created the list %(name)s (%(num)s members).",
        len(created),
        request_language(request)[0],
    )
    user.flash(text % {"name": created.name, "num": len(created)}, "ok")
    return redirect("/contacts")


@page
async def list_detail(request: Request, user: UserSession) -> Response:
    sc = user.client
    mailing_list = await sc.contacts.lists.get(request.path_params["list_id"])
    on_list = {m.contact_id for m in mailing_list.members if m.contact_id}
    return _portal(request).render(
        request,
        "list.html",
        {
            "list": mailing_list,
            "contacts": [c for c in await sc.contacts.list().to_list() if c.id not in on_list],
        },
        user=user,
    )


@action(back="/lists/{list_id}")
async def list_add_members(request: Request, user: UserSession) -> Response:
    form = await request.form()
    members: list[Any] = [await user.client.contacts.get(str(c)) for c in form.getlist("contact")]
    members += _phones(str(form.get("numbers", "")))
    if not members:
        raise ValidationError("pick a contact or type a number to add", field="members")
    list_id = request.path_params["list_id"]
    updated = await user.client.contacts.lists.add_members(list_id, members)
    text = _i18n.ngettext(
        "Added to %(name)s; it now has %(num)s member.",
        "Added to %(name)s; it now has %(num)s members.",
        len(updated),
        request_language(request)[0],
    )
    user.flash(text % {"name": updated.name, "num": len(updated)}, "ok")
    return redirect(f"/lists/{list_id}")


@action(back="/lists/{list_id}")
async def list_remove_member(request: Request, user: UserSession) -> Response:
    """Take one member off: a contact by its id, or a bare number, as the list named it."""
    form = await request.form()
    list_id = request.path_params["list_id"]
    number = PhoneNumber.parse(str(form.get("number", "")))
    member = ListMember(number=number, contact_id=str(form.get("contact", "")) or None)
    updated = await user.client.contacts.lists.remove_members(list_id, [member])
    who = str(form.get("name", "")) or number.e164
    user.flash(say(request, N_("Removed %(who)s from %(name)s."), who=who, name=updated.name), "ok")
    return redirect(f"/lists/{list_id}")


@action(back="/contacts")
async def list_delete(request: Request, user: UserSession) -> Response:
    await user.client.contacts.lists.delete(request.path_params["list_id"])
    user.flash(say(request, N_("Mailing list deleted.")), "ok")
    return redirect("/contacts")


# --- payments and the card keypad ---------------------------------------------------------


@page
async def payments(request: Request, user: UserSession) -> Response:
    sc = user.client
    keypad = _portal(request).keypads.issue()
    return _portal(request).render(
        request,
        "payments.html",
        {
            "keypad": keypad,
            "balance": await sc.account.balance(),
            "debts": await sc.account.debts().to_list(),
            "history": await sc.payments.list().first(10),
        },
        user=user,
    )


@action(back="/payments")
async def card_activate(request: Request, user: UserSession) -> Response:
    """Decode the clicked positions with the keypad the page showed; the digits never left
    the server."""
    form = await request.form()
    raw = str(form.get("positions", ""))
    try:
        positions = [int(p) for p in raw.split(",") if p.strip()]
    except ValueError:
        raise ValidationError("the keypad sent something other than positions") from None
    secret = _portal(request).keypads.decode(str(form.get("keypad_id", "")), positions)
    payment = await user.client.payments.activate_card(secret)
    credited = payment.amount.format(default=user.account.locale)
    user.flash(say(request, N_("Card activated: %(amount)s credited."), amount=credited), "ok")
    return redirect("/payments")


# --- operation history --------------------------------------------------------------------


@page
async def history(request: Request, user: UserSession) -> Response:
    q = request.query_params
    pager = user.client.logins.operations(
        since=day(q.get("since"), "since"),
        until=day(q.get("until"), "until"),
        operation=q.get("operation") or None,
        status=q.get("status") or None,
        page_size=PAGE_SIZE,
    )
    items, next_cursor = await _one_page(pager, q.get("cursor"))
    recent = await user.client.logins.operations().first(200)
    return _portal(request).render(
        request,
        "history.html",
        {
            "items": items,
            "next_cursor": next_cursor,
            "operations": sorted({r.operation for r in recent}),
            "statuses": list(OperationStatus),
            "q": q,
            "filters": _query_without(request, "cursor"),
        },
        user=user,
    )


# --- complaints ---------------------------------------------------------------------------


@page
async def complaints(request: Request, user: UserSession) -> Response:
    return _portal(request).render(
        request,
        "complaints.html",
        {
            "items": await user.client.complaints.list().first(50),
            "categories": list(ComplaintCategory),
            "related_kinds": list(RelatedKind),
        },
        user=user,
    )


@action(back="/complaints")
async def complaint_file(request: Request, user: UserSession) -> Response:
    form = await request.form()
    related_id = str(form.get("related_id", "")).strip()
    related = (
        RelatedEntity(RelatedKind(str(form.get("related_kind"))), related_id)
        if related_id
        else None
    )
    complaint = await user.client.complaints.file(
        str(form.get("subject", "")),
        str(form.get("text", "")),
        category=str(form.get("category", "")),
        related=related,
    )
    user.flash(say(request, N_("Complaint %(id)s filed."), id=complaint.id), "ok")
    return redirect(f"/complaints/{complaint.id}")


@page
async def complaint_detail(request: Request, user: UserSession) -> Response:
    complaint = await user.client.complaints.get(request.path_params["complaint_id"])
    return _portal(request).render(request, "complaint.html", {"complaint": complaint}, user=user)


@action(back="/complaints/{complaint_id}")
async def complaint_note(request: Request, user: UserSession) -> Response:
    form = await request.form()
    complaint_id = request.path_params["complaint_id"]
    await user.client.complaints.add_note(complaint_id, str(form.get("text", "")))
    user.flash(say(request, N_("Note added.")), "ok")
    return redirect(f"/complaints/{complaint_id}")


# --- events and alerts --------------------------------------------------------------------

EVENTS_SHOWN = 50


@page
async def events(request: Request, user: UserSession) -> Response:
    """The line's latest events; with JavaScript, new ones join the list as they happen
    (``live.event_stream``); without it, reloading shows them."""
    lang = request_language(request)[0]
    recent = await user.client.events.list().first(EVENTS_SHOWN)
    rows = [shown(e, lang, user.zone, user.account.locale) for e in recent]
    return _portal(request).render(
        request,
        "events.html",
        {"events": rows, "after": recent[0].id if recent else ""},
        user=user,
    )


MAX_ALERT_FIELD = 32
"""Longer alert inputs are refused (and never echoed) before anything else is read."""
_AMOUNT = re.compile(r"\d{1,9}(?:\.\d{1,2})?")
_BLANKS = re.compile(r"[\s\u00a0\u202f']")


def _amount(form: Any, name: str) -> Decimal:
    """An amount of money as people type it (``150``, ``99,50``, ``1 500``), in the
    account's currency; a translated message naming what is wrong otherwise."""
    raw = str(form.get(name, "")).strip()
    if not raw:
        raise AlertInputError(name, N_("Enter an amount, such as 150 or 99.50."))
    if len(raw) > MAX_ALERT_FIELD:
        raise AlertInputError(name, N_("That amount is too long."))
    text = _BLANKS.sub("", raw).replace(",", ".")
    if not _AMOUNT.fullmatch(text):
        raise AlertInputError(
            name,
            N_("Enter the amount as a number, such as 150 or 99.50 (at most two decimals)."),
        )
    value = Decimal(text)
    if value <= 0:
        raise AlertInputError(name, N_("The amount must be more than zero."))
    return value


def _days(form: Any, name: str) -> int:
    raw = str(form.get(name, "")).strip()
    if len(raw) > MAX_ALERT_FIELD or not raw.isdigit() or not 1 <= int(raw) <= 60:
        raise AlertInputError(name, N_("Enter a whole number of days from 1 to 60."))
    return int(raw)


class AlertInputError(ValueError):
    """A field of the alerts form that cannot be used: its name and what to do (an
    English message of the catalog, translated where it is shown)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


async def _alerts_page(
    request: Request, user: UserSession, *, status_code: int = 200, **extra: Any
) -> Response:
    context: dict[str, Any] = {
        "alerts": await user.client.alerts.get(),
        "periods": list(SpendingPeriod),
        "invalid": None,
        "form": {},
        **extra,
    }
    return _portal(request).render(
        request, "alerts.html", context, user=user, status_code=status_code
    )


@page
async def alerts(request: Request, user: UserSession) -> Response:
    return await _alerts_page(request, user)


@page
async def alerts_set(request: Request, user: UserSession) -> Response:
    """Turn one alert on (or change it): the form names it in ``alert``. Input is checked
    here first, so each mistake gets a message in the reader's language on the field."""
    form = await request.form()
    lang = request_language(request)[0]
    name = str(form.get("alert", ""))
    try:
        if name == AlertName.BALANCE_BELOW:
            await user.client.alerts.set(balance_below=_amount(form, "balance_below"))
            done = N_("You will be told when your balance falls below the amount.")
        elif name == AlertName.BILL_DUE_WITHIN:
            await user.client.alerts.set(bill_due_within=_days(form, "bill_due_within"))
            done = N_("You will be told before a bill falls due.")
        elif name == AlertName.SPENDING_ABOVE:
            amount = _amount(form, "spending_above")
            period = str(form.get("period", ""))
            if period not in {p.value for p in SpendingPeriod}:
                raise AlertInputError("period", N_("Choose a period: a month or a day."))
            await user.client.alerts.set(spending_above=(amount, period))
            done = N_("You will be told when your spending goes above the amount.")
        else:
            raise ValidationError(f"alert={clip(name, 40)!r} is not an alert", field="alert")
    except AlertInputError as exc:
        kept = {k: str(v) for k, v in form.items() if len(str(v)) <= MAX_ALERT_FIELD}
        return await _alerts_page(
            request,
            user,
            status_code=400,
            invalid=exc.field,
            invalid_message=_i18n.gettext(exc.message, lang),
            form=kept,
        )
    except (SelfcareError, ValueError) as exc:
        return await _alerts_page(
            request, user, status_code=_refused(exc), error=readable(exc), form=form
        )
    user.flash(say(request, done), "ok")
    return redirect("/alerts")


@action(back="/alerts")
async def alerts_disable(request: Request, user: UserSession) -> Response:
    """Turn one alert off (``alert`` names it), or all of them (``alert=all``)."""
    form = await request.form()
    name = str(form.get("alert", ""))
    if name == "all":
        await user.client.alerts.disable()
        user.flash(say(request, N_("Every alert is off.")), "ok")
    else:
        if name not in {a.value for a in AlertName}:
            raise ValidationError(f"alert={clip(name, 40)!r} is not an alert", field="alert")
        await user.client.alerts.disable(name)
        user.flash(say(request, N_("That alert is off.")), "ok")
    return redirect("/alerts")
