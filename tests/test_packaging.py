"""The public face of the package and the generated sync client stay as intended."""

import subprocess
import sys
import types
from pathlib import Path

import selfcare

ROOT = Path(__file__).resolve().parent.parent


def test_exported_members() -> None:
    public = [
        name
        for name, value in vars(selfcare).items()
        if (not name.startswith("_") or name == "__version__")
        and not isinstance(value, types.ModuleType)
    ]
    assert sorted(selfcare.__all__) == sorted(public)
    assert selfcare.__all__ == sorted(selfcare.__all__, key=str)


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
