"""HTML charset labels: corpus articles as 8-bit HTML pages, labelled rightly and wrongly.

Each article of a corpus folder (one sub-folder per source, the language code first in its name)
that holds a letter beyond ASCII and fits its language's 8-bit code page (cp1256 for Arabic,
cp1252 for the others) is wrapped in a page whose ``<meta charset>`` names, in turn, that code
page, ISO-8859-1 (the commonest label, which browsers read as cp1252) and windows-1250 (a wrong
one). A page counts as right when ``readers.read_bytes`` gives back the page exactly. The first
``PER_SOURCE`` such articles of each source are used; articles whose bytes are valid UTF-8 are
left out (they are read as UTF-8 before any label is looked at).

Usage: python benchmarks/eval_charset_labels.py [CORPUS]   (default: ../shared/corpus)
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

from newsingest import readers
from newsingest.errors import ReadError

PER_SOURCE = 60
CODE_PAGES = {"ar": "cp1256"}  # every other language: cp1252


def _page(label: str, text: str) -> str:
    return f'<html><head><meta charset="{label}"></head><body><p>{text}</p></body></html>'


def _articles(folder: Path, code_page: str):
    found = 0
    for path in sorted(folder.glob("*.txt")):
        if found == PER_SOURCE:
            return
        text = path.read_text(encoding="utf-8-sig").replace("\r", "")
        try:
            data = text.encode(code_page)
        except UnicodeEncodeError:
            continue
        if data.isascii():
            continue
        try:
            data.decode("utf-8")
            continue
        except UnicodeDecodeError:
            pass
        found += 1
        yield text


def main(corpus: Path) -> None:
    right: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for folder in sorted(p for p in corpus.iterdir() if p.is_dir()):
        code_page = CODE_PAGES.get(folder.name.split("_")[0], "cp1252")
        for text in _articles(folder, code_page):
            for label in (code_page, "iso-8859-1", "windows-1250"):
                kind = "right label" if label == code_page else f"labelled {label}"
                page = _page(label, text)
                try:
                    result = readers.read_bytes(page.encode(code_page), ".html", "s")
                    ok = result.articles[0].raw == page
                except ReadError:
                    ok = False
                tally = right[(kind, folder.name)]
                tally[0] += ok
                tally[1] += 1
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for (kind, source), (ok, total) in sorted(right.items()):
        print(f"{kind:24} {source:24} {ok:4} / {total}")
        totals[kind][0] += ok
        totals[kind][1] += total
    for kind, (ok, total) in sorted(totals.items()):
        print(f"{kind:24} {'all':24} {ok:4} / {total}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/corpus"))
