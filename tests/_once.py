"""First-use installs (npm packages, Chromium, a venv) run one at a time across processes.

Under pytest-xdist two workers may reach the same installer together; ``npm ci`` into one
folder or two ``apt-get`` runs at once would break each other. Each installer takes a lock
named after what it installs, then checks again whether the other worker already did it.
"""

from __future__ import annotations

import fcntl
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def one_at_a_time(name: str) -> Iterator[None]:
    """Hold an exclusive lock on ``<tmp>/selfcare-tests-<name>.lock`` for the block."""
    path = Path(tempfile.gettempdir()) / f"selfcare-tests-{name}.lock"
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
