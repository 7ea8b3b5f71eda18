"""Keep the message catalogs in step with the code: extract, update, compile, check.

    python scripts/i18n.py update     # extract from the sources, merge into every .po
    python scripts/i18n.py compile    # write each .mo beside its .po (they are committed)
    python scripts/i18n.py check      # exit 1 if a message is untranslated or a .mo is stale

The same as ``pybabel extract -F babel.cfg -k ... && pybabel update && pybabel compile``, with
the keywords in one place (``tests/cli/test_i18n.py`` uses this module too).
"""

from __future__ import annotations

import ast
import io
import sys
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import IO, Any

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir, extract_python
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE_DIR = ROOT / "src" / "selfcare" / "locale"
DOMAIN = "selfcare"
LANGUAGES = ("ru",)
"""The languages with a catalog (English is the source language)."""

KEYWORDS = {
    **DEFAULT_KEYWORDS,
    "N_": None,
    "NC_": ((1, "c"), 2),
    "Column": (1,),
}


def extract_python_and_columns(
    fileobj: IO[bytes],
    keywords: Collection[str],
    comment_tags: Collection[str],
    options: dict[str, Any],
) -> Iterator[tuple[int, str, Any, list[str]]]:
    """Babel's Python extractor, plus the header of every ``Column("When", ...)``: Babel's
    own loses its way after an annotation such as ``list[Column[Expense]]`` (the name of a
    keyword not followed by a call), missing the messages after it."""
    source = fileobj.read()
    plain = [name for name in keywords if name != "Column"]
    yield from extract_python(io.BytesIO(source), plain, comment_tags, options)
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "Column"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            yield node.lineno, "Column", node.args[0].value, []


def extract() -> Catalog:
    """Every message marked in the sources babel.cfg names."""
    with (ROOT / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    method_map = [
        (pattern, extract_python_and_columns if method == "python" else method)
        for pattern, method in method_map
    ]
    catalog = Catalog(project="selfcare", domain=DOMAIN, charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",)
    ):
        catalog.add(
            message,
            None,
            [(filename, lineno)],
            auto_comments=comments,
            context=context,
            flags=("python-format",) if _formatted(message) else (),
        )
    return catalog


def _formatted(message: str | tuple[str, ...]) -> bool:
    texts = message if isinstance(message, tuple) else (message,)
    return any("%(" in text for text in texts)


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def read(lang: str) -> Catalog:
    with po_path(lang).open("rb") as f:
        return read_po(f, locale=lang, domain=DOMAIN)


def update() -> None:
    template = extract()
    for lang in LANGUAGES:
        path = po_path(lang)
        if path.exists():
            catalog = read(lang)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            catalog = Catalog(locale=lang, domain=DOMAIN, project="selfcare", charset="utf-8")
        catalog.update(template, no_fuzzy_matching=True, update_creation_date=False)
        catalog.fuzzy = False  # the header: a fuzzy one is left out of the .mo, plurals too
        write(lang, catalog)


def write(lang: str, catalog: Catalog) -> None:
    """Write a .po without line numbers (they would change with every edit of the code and
    make merges conflict), messages in the order of the code."""
    with po_path(lang).open("wb") as f:
        write_po(f, catalog, width=100, ignore_obsolete=True, include_lineno=False)


def compiled(lang: str) -> bytes:
    out = io.BytesIO()
    write_mo(out, read(lang), use_fuzzy=False)
    return out.getvalue()


def compile_all() -> None:
    for lang in LANGUAGES:
        po_path(lang).with_suffix(".mo").write_bytes(compiled(lang))


def problems() -> list[str]:
    """What is wrong with the catalogs: a message of the code missing or untranslated in a
    language, a fuzzy translation, a placeholder lost, a .mo that is not the .po compiled."""
    found: list[str] = []
    template = extract()
    for lang in LANGUAGES:
        catalog = read(lang)
        for message in template:
            if not message.id:
                continue
            have = catalog.get(message.id, context=message.context)
            name = f"{lang}: {message.id!r}" + (f" ({message.context})" if message.context else "")
            if have is None:
                found.append(f"{name} is not in the catalog (run scripts/i18n.py update)")
            elif not have.string or not all(
                have.string if isinstance(have.string, tuple) else (have.string,)
            ):
                found.append(f"{name} is not translated")
            elif have.fuzzy:
                found.append(f"{name} is fuzzy")
            elif errors := list(have.check(catalog)):
                found.append(f"{name}: {'; '.join(str(e) for e in errors)}")
        mo = po_path(lang).with_suffix(".mo")
        if not mo.exists():
            found.append(f"{lang}: {mo.name} is missing (run scripts/i18n.py compile)")
        else:
            with mo.open("rb") as f:
                shipped = read_mo(f)
            expected = {_key(m): _text(m.string) for m in catalog if m.id and not m.fuzzy}
            actual = {_key(m): _text(m.string) for m in shipped if m.id}
            if catalog.plural_forms != shipped.plural_forms:
                found.append(f"{lang}: {mo.name} has other plural forms than the .po")
            if expected != actual:
                found.append(f"{lang}: {mo.name} is stale (run scripts/i18n.py compile)")
    return found


def _text(value: Any) -> Any:
    return tuple(value) if isinstance(value, list | tuple) else value


def _key(message: Any) -> tuple[str | None, Any]:
    return message.context, _text(message.id)


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "check"
    if command == "update":
        update()
    elif command == "compile":
        compile_all()
    elif command == "check":
        found = problems()
        for line in found:
            print(line)
        return 1 if found else 0
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
