"""The runnable examples run, against the fake operator."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_mailing_list_example() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "mailing_list.py")],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "imported 3 contacts" in out
    assert (
        "preview: ucs2, 1 part(s) per recipient, at most 2,00\u00a0₽ each" in out
    )  # Smart M price
    assert "8 916 12" in out and "rejected" in out
    assert "+79990000017: undeliverable" in out
    assert out.count(": delivered") == 3
