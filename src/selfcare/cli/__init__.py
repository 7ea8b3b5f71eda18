"""The ``selfcare`` command (needs the ``cli`` extra: click and rich)."""

from __future__ import annotations

import sys

__all__ = ["main"]


def main() -> None:
    """Entry point of the ``selfcare`` console script."""
    try:
        from selfcare.cli._app import cli
    except ImportError as exc:  # pragma: no cover - depends on the environment
        sys.exit(f"the selfcare command needs the 'cli' extra: pip install 'selfcare[cli]' ({exc})")
    cli(prog_name="selfcare", complete_var="_SELFCARE_COMPLETE")
