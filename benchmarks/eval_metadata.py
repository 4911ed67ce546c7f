"""Metadata sidecars: how many articles get a publication date without and with them.

For every folder of a corpus holding a sidecar (``meta.jsonl`` and the other names in
``sidecars.SIDECAR_NAMES``), each article runs through the whole pipeline twice: as the text
alone, and with its sidecar row. Printed per folder: articles, those with a publication date
without / with the sidecar, how many dates came from the sidecar, and, where both gave a day,
how often the text-derived day equals the sidecar's.

Usage: python benchmarks/eval_metadata.py [CORPUS]   (default: ../shared/corpus)
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

from newsingest import pipeline, readers, sidecars
from newsingest.errors import ReadError


def main(corpus: Path) -> None:
    resources = pipeline.load_resources()
    totals = [0, 0, 0, 0, 0, 0]
    print(f"{'folder':<24}{'articles':>9}{'dated before':>14}{'dated after':>13}"
          f"{'by metadata':>13}{'same day':>12}")
    for folder in sorted(p for p in corpus.iterdir() if p.is_dir()):
        found = sidecars.find(str(folder))
        if found is None:
            continue
        sidecar = sidecars.load(found)
        row = [0, 0, 0, 0, 0, 0]  # articles, before, after, by metadata, both days, same day
        for path in sorted(folder.glob("*.txt")):
            try:
                article = readers.read_bytes(path.read_bytes(), ".txt", folder.name).articles[0]
            except ReadError:
                continue
            given = sidecar.lookup(str(path.resolve()))
            alone = pipeline.process(article, resources)
            with_meta = (
                pipeline.process(replace(article, given=given.as_metadata()), resources)
                if given is not None
                else alone
            )
            row[0] += 1
            row[1] += alone.published is not None
            row[2] += with_meta.published is not None
            row[3] += with_meta.published_method == sidecars.PUBLISHED_METHOD
            if alone.published_precision == "day" and with_meta.published_method == "metadata":
                if with_meta.published_precision == "day":
                    row[4] += 1
                    row[5] += alone.published == with_meta.published
        totals = [a + b for a, b in zip(totals, row, strict=True)]
        print(_line(folder.name, row))
    print(_line("all", totals))


def _line(name: str, row: list[int]) -> str:
    n = row[0] or 1
    same = f"{row[5]}/{row[4]}" if row[4] else "-"
    return (
        f"{name:<24}{row[0]:>9}{row[1]:>7} {row[1] / n:>5.0%}{row[2]:>6} {row[2] / n:>5.0%}"
        f"{row[3]:>13}{same:>12}"
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/corpus"))
