"""The public face of the package and the generated sync client stay as intended."""

import json
import subprocess
import sys
import types
from pathlib import Path

import pytest

import selfcare

ROOT = Path(__file__).resolve().parent.parent

HEAVY = (
    "selfcare.backends.fake",
    "selfcare.tmf",
    "selfcare.server",
    "selfcare.cli",
    "selfcare.analysis",
    "selfcare._async._client",
    "asyncio",
    "httpx",
    "click",
    "rich",
    "vobject",
    "phonenumbers",
    "dateutil.rrule",
    "pandas",
    "pyarrow",
    "babel",
    "selfcare._i18n",
    "starlette",
    "uvicorn",
    "authlib",
    "joserfc",
)
"""What ``import selfcare`` must not load: each part loads when first used."""


def _loaded_after(code: str, *args: str) -> set[str]:
    """The modules a fresh interpreter has loaded after running ``code`` (and exiting)."""
    probe = (
        "import atexit, json, sys\n"
        "atexit.register(lambda: sys.__stderr__.write('\\n' + json.dumps(sorted(sys.modules))))\n"
        + code
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, *args], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    modules: list[str] = json.loads(result.stderr.splitlines()[-1])
    return set(modules)


def test_exported_members() -> None:
    public = [
        name
        for name in dir(selfcare)  # the lazily loaded names too, loaded or not yet
        if (not name.startswith("_") or name == "__version__")
        and not isinstance(getattr(selfcare, name), types.ModuleType)
    ]
    assert sorted(selfcare.__all__) == sorted(public)
    assert selfcare.__all__ == sorted(selfcare.__all__, key=str)


def test_import_selfcare_leaves_the_heavy_parts_unloaded() -> None:
    loaded = _loaded_after("import selfcare")
    assert "selfcare._sync._client" in loaded  # the probe sees what the import loads
    assert sorted(loaded & set(HEAVY)) == []


@pytest.mark.parametrize(
    ("code", "loads", "not_yet"),
    [
        ("selfcare.Selfcare.fake()", {"selfcare.backends.fake"}, {"httpx", "selfcare.tmf"}),
        ("selfcare.AsyncSelfcare.fake()", {"selfcare._async._client", "asyncio"}, {"httpx"}),
        ("selfcare.Selfcare(base_url='http://127.0.0.1:9')", {"httpx"}, {"selfcare.tmf"}),
        ("selfcare.Selfcare.tmf(base_url='http://127.0.0.1:9')", {"selfcare.tmf", "httpx"}, set()),
        ("from selfcare.backends import FakeBackend", {"selfcare.backends.fake"}, {"httpx"}),
        ("selfcare.HttpBackend", {"httpx", "selfcare.backends.http._sync"}, {"asyncio"}),
        ("from selfcare.backends import HttpBackend", {"httpx"}, {"selfcare.backends.fake"}),
        ("selfcare.Selfcare.fake().contacts.export_vcard()", {"vobject"}, {"httpx"}),
        ("selfcare.PhoneNumber('+79161234567')", set(), {"phonenumbers"}),
        ("selfcare.PhoneNumber.parse('8 916 123-45-67')", {"phonenumbers"}, set()),
        ("selfcare.model.payment.check_schedule('FREQ=DAILY')", {"dateutil.rrule"}, set()),
    ],
)
def test_each_part_loads_when_first_used(code: str, loads: set[str], not_yet: set[str]) -> None:
    loaded = _loaded_after(f"import selfcare\n{code}")
    assert loads <= loaded
    assert sorted(loaded & {*not_yet, "selfcare.server", "selfcare.cli", "pandas"}) == []


def test_lazy_names_are_the_real_ones() -> None:
    from selfcare import backends
    from selfcare._async._client import AsyncSelfcare
    from selfcare.backends.fake import FakeBackend, FakeOperator
    from selfcare.backends.http._async import AsyncHttpBackend
    from selfcare.backends.http._sync import HttpBackend

    assert selfcare.AsyncSelfcare is AsyncSelfcare
    assert backends.FakeBackend is FakeBackend
    assert backends.FakeOperator is FakeOperator
    assert selfcare.HttpBackend is backends.HttpBackend is HttpBackend
    assert selfcare.AsyncHttpBackend is backends.AsyncHttpBackend is AsyncHttpBackend
    assert {"AsyncSelfcare", "AsyncPager", "AsyncPendingLogin"} <= set(dir(selfcare))
    assert {"FakeBackend", "AsyncFakeBackend", "FakeOperator", "HttpBackend"} <= set(dir(backends))
    with pytest.raises(AttributeError, match="has no attribute 'Nonsense'"):
        selfcare.Nonsense  # noqa: B018
    with pytest.raises(ImportError):
        from selfcare.backends import Nonsense  # noqa: F401


def test_sync_client_is_generated_from_the_async_source() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "unasync.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_sync_and_async_clients_have_the_same_surface() -> None:
    def surface(cls: type) -> set[str]:
        return {
            name.replace("aclose", "close")
            .replace("__aenter__", "__enter__")
            .replace("__aexit__", "__exit__")
            for name in dir(cls)
            if not name.startswith("_")
            or name in {"__aenter__", "__aexit__", "__enter__", "__exit__"}
        }

    assert surface(selfcare.Selfcare) == surface(selfcare.AsyncSelfcare)
    sc = selfcare.Selfcare.fake()
    asc = selfcare.AsyncSelfcare.fake(operator=sc.backend.operator)  # type: ignore[attr-defined]
    for area in (
        "expenses",
        "calls",
        "account",
        "payments",
        "messages",
        "contacts",
        "forwarding",
        "services",
        "logins",
        "complaints",
    ):
        assert surface(type(getattr(sc, area))) == surface(type(getattr(asc, area))), area
    assert surface(type(sc.contacts.lists)) == surface(type(asc.contacts.lists))
