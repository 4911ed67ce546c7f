"""Build cleaning_unseen.jsonl from the hand marks in cleaning_unseen_marks.jsonl.

eval_cleaning.py builds the cases in memory when the file is absent: the articles' text comes
from the corpus and is not kept in the repository (several sources state no licence).

The boilerplate, duplicate and "unsure" strings of each article were marked by reading it
(see cleaning_unseen.md). The title is the source's own metadata title when the file's first
line is that title. Content items are derived mechanically: every marked string (every
occurrence) is cut out of each line; what remains of a line of at most 300 characters is one
item; longer (flattened) lines give sentences of 40-200 characters (longer ones cut at a word
boundary), at most 12 per article, spread evenly; lines holding mojibake (C1 control
characters) give none. Every separator run (``===``) of a
turnbackhoax text is boilerplate, as the labelling rules of the DEV set say.

    python benchmarks/make_cleaning_unseen.py [CORPUS_DIR]
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SENTENCE_BREAK = re.compile(r"(?<=[.!?…])\s+")
MOJIBAKE = re.compile("[\x80-\x9f]")
LINE_ITEM_MAX = 300
SENTENCE_MIN, SENTENCE_MAX, SENTENCES_MAX = 40, 200, 12


def norm(s: str) -> str:
    return " ".join(s.split())


def build(corpus: Path, mark: dict) -> dict:
    """One labelled case from one article's marks."""
    source, name = mark["source"], mark["file"]
    text = (corpus / source / name).read_text(encoding="utf-8").lstrip("\ufeff")
    with open(corpus / source / "meta.jsonl", encoding="utf-8") as fh:
        meta = next(m for m in map(json.loads, fh) if m["file"] == name)
    boilerplate = list(mark["boilerplate"])
    if source == "id_turnbackhoax":
        runs = set(re.findall(r"={3,}", text)) - set(boilerplate)
        boilerplate += sorted(runs, key=len, reverse=True)
    lines = text.split("\n")
    title = None
    if meta["title"] and norm(lines[0]) == norm(meta["title"]):
        title = lines[0].strip()
        lines = lines[1:]
    marked = boilerplate + mark["unsure"] + mark["duplicates"] + ([title] if title else [])
    for s in marked:
        assert norm(s) in norm(text), (name, s)
    cuts = sorted({norm(s) for s in marked}, key=len, reverse=True)
    content: list[str] = []
    sentences: list[str] = []
    for line in lines:
        if MOJIBAKE.search(line):
            continue  # a cleaner that repairs the encoding changes the line: not labelled
        pieces = [norm(line)]
        for cut in cuts:
            pieces = [part for piece in pieces for part in piece.split(cut)]
        for piece in (p.strip() for p in pieces):
            if len(piece) < 15 or not re.search(r"[^\W\d_]{3}", piece):
                continue
            if len(line) <= LINE_ITEM_MAX:
                content.append(piece)
                continue
            for sentence in SENTENCE_BREAK.split(piece):
                if len(sentence) > SENTENCE_MAX:
                    sentence = sentence[:SENTENCE_MAX].rsplit(" ", 1)[0]
                if len(sentence) >= SENTENCE_MIN:
                    sentences.append(sentence)
    if len(sentences) > SENTENCES_MAX:
        step = (len(sentences) - 1) / (SENTENCES_MAX - 1)
        sentences = [sentences[round(i * step)] for i in range(SENTENCES_MAX)]
    return {
        "source": source,
        "file": name,
        "selection": mark["selection"],
        "title": title,
        "boilerplate": boilerplate,
        "duplicates": mark["duplicates"],
        "content": content + sentences,
        "unsure": mark["unsure"],
    }


def main() -> int:
    corpus = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE.parent.parent / "shared" / "corpus"
    with open(HERE / "cleaning_unseen_marks.jsonl", encoding="utf-8") as fh:
        marks = [json.loads(line) for line in fh]
    cases = [build(corpus, mark) for mark in marks]
    with open(HERE / "cleaning_unseen.jsonl", "w", encoding="utf-8") as fh:
        for case in cases:
            fh.write(json.dumps(case, ensure_ascii=False) + "\n")
    items = sum(len(c["boilerplate"]) for c in cases), sum(len(c["content"]) for c in cases)
    print(f"{len(cases)} cases, {items[0]} boilerplate items, {items[1]} content items")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
