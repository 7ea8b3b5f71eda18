from pathlib import Path

from selfcare.protocol._routes import ROUTES

DOC = Path(__file__).resolve().parents[2] / "docs" / "protocol.md"


def test_the_protocol_page_lists_every_route() -> None:
    text = DOC.read_text()
    for route in ROUTES:
        assert f"| `{route.method}` | `{route.path}` | `{route.name}` |" in text, route.name
