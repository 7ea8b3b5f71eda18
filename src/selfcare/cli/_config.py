"""Saved profiles and where their tokens live: the system keyring, else a private file.

A profile is a name, a base URL and a reference to its token (never the token itself, never a
PIN), kept in ``profiles.json`` in the user's config directory. ``SELFCARE_CONFIG_DIR``
overrides that directory (tests point it at a temporary one).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import attrs

from selfcare._errors import ValidationError
from selfcare._secret import Secret

__all__ = [
    "DEFAULT_PROFILE",
    "KEYRING_SERVICE",
    "Profile",
    "config_dir",
    "delete_profile",
    "load_profile",
    "load_profiles",
    "read_token",
    "save_profile",
]

DEFAULT_PROFILE = "default"
KEYRING_SERVICE = "selfcare"
_KEYRING = "keyring"
_NAME = re.compile(r"[A-Za-z0-9_.-]{1,64}")


@attrs.frozen
class Profile:
    """A saved server: its base URL and where its token is stored (``keyring`` or ``file``)."""

    name: str
    base_url: str
    token_store: str

    @property
    def in_keyring(self) -> bool:
        """The token is in the system keyring (else in a private file)."""
        return self.token_store == _KEYRING


def config_dir() -> Path:
    """``$SELFCARE_CONFIG_DIR``, else the platform's per-user config directory."""
    override = os.environ.get("SELFCARE_CONFIG_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_config_dir("selfcare", appauthor=False))


def check_profile_name(name: str) -> str:
    """``name`` if it can name a profile (and a token file)."""
    if not _NAME.fullmatch(name):
        raise ValidationError(
            f"profile {name!r} must be 1–64 letters, digits, '.', '_' or '-'", field="profile"
        )
    return name


def _profiles_file() -> Path:
    return config_dir() / "profiles.json"


def _token_file(name: str) -> Path:
    return config_dir() / "tokens" / f"{check_profile_name(name)}.token"


def load_profiles() -> dict[str, Profile]:
    """Every saved profile by name (none when nothing was saved yet)."""
    path = _profiles_file()
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise ValidationError(
            f"cannot read the profiles in {path}: {exc}", field="profile"
        ) from None
    found: dict[str, Profile] = {}
    try:
        for name, entry in dict(data["profiles"]).items():
            found[name] = Profile(name, str(entry["base_url"]), str(entry["token_store"]))
    except (KeyError, TypeError, ValueError, AttributeError):
        raise ValidationError(
            f"the profiles in {path} are damaged: fix or delete the file", field="profile"
        ) from None
    return found


def load_profile(name: str) -> Profile | None:
    """The profile ``name``, or ``None`` if there is none."""
    return load_profiles().get(check_profile_name(name))


def _write_profiles(profiles: dict[str, Profile]) -> None:
    data = {
        "profiles": {
            p.name: {"base_url": p.base_url, "token_store": p.token_store}
            for p in profiles.values()
        }
    }
    path = _profiles_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def save_profile(name: str, base_url: str, token: Secret) -> Profile:
    """Store ``token`` (keyring if one works, else a 0600 file) and save the profile."""
    check_profile_name(name)
    in_keyring = _keyring_set(name, token)
    if in_keyring:
        _token_file(name).unlink(missing_ok=True)
    else:
        _write_private(_token_file(name), token.reveal())
    store = _KEYRING if in_keyring else "file"
    profile = Profile(name, base_url, store)
    profiles = load_profiles()
    profiles[name] = profile
    _write_profiles(profiles)
    return profile


def read_token(profile: Profile) -> Secret | None:
    """The token a profile refers to, or ``None`` when it is gone."""
    if profile.in_keyring:
        return _keyring_get(profile.name)
    try:
        return Secret(_token_file(profile.name).read_text(encoding="utf-8").strip())
    except FileNotFoundError:
        return None


def delete_profile(name: str) -> bool:
    """Forget profile ``name`` and its token; ``False`` when there was no such profile."""
    profiles = load_profiles()
    profile = profiles.pop(check_profile_name(name), None)
    if profile is None:
        return False
    if profile.in_keyring:
        _keyring_delete(name)
    _token_file(name).unlink(missing_ok=True)
    _write_profiles(profiles)
    return True


def _write_private(path: Path, text: str) -> None:
    """Write ``text`` to a file only its owner can read (0600, in a 0700 directory)."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        os.chmod(path, 0o600)  # the mode above is ignored when the file already existed
        handle.write(text)


# The keyring is optional: no package, no backend, or a locked one all mean "use the file".


def _keyring() -> Any:
    try:
        import keyring
    except ImportError:
        return None
    return keyring


def _failures() -> tuple[type[BaseException], ...]:
    import keyring.errors

    return (keyring.errors.KeyringError, RuntimeError, OSError)


def _keyring_set(name: str, token: Secret) -> bool:
    keyring = _keyring()
    if keyring is None:
        return False
    try:
        keyring.set_password(KEYRING_SERVICE, name, token.reveal())
    except _failures():
        return False
    return True


def _keyring_get(name: str) -> Secret | None:
    keyring = _keyring()
    if keyring is None:
        return None
    try:
        value = keyring.get_password(KEYRING_SERVICE, name)
    except _failures():
        return None
    return None if value is None else Secret(value)


def _keyring_delete(name: str) -> None:
    keyring = _keyring()
    if keyring is None:
        return
    try:
        keyring.delete_password(KEYRING_SERVICE, name)
    except _failures():
        pass  # nothing stored, or no keyring to forget it from
