"""Bytes on disk -> Article records (raw text + format), and the parse stage (raw -> text + meta).

FIRST VERSION: plain text only; the readers issue replaces this module.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .article import Article
from .errors import ReadError

FORMATS = {".txt": "text"}


@dataclass(frozen=True)
class ReadResult:
    """What one file holds: its encoding and the articles in it (one, or several for JSONL)."""

    encoding: str
    articles: tuple[Article, ...]


def read_bytes(data: bytes, suffix: str, source: str) -> ReadResult:
    """Decode one file's bytes into articles; raise ReadError with the reason when impossible."""
    fmt = FORMATS.get(suffix.lower())
    if fmt is None:
        raise ReadError(f"unsupported file type {suffix or '(none)'}")
    if not data.strip():
        raise ReadError("empty file")
    if b"\x00" in data:
        raise ReadError("binary file (NUL bytes)")
    try:
        text, encoding = data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as exc:
        raise ReadError("not UTF-8") from exc
    return ReadResult(encoding, (Article(raw=text, format=fmt, source=source),))


def parse(article: Article, resources) -> Article:
    """Stage: the article text and metadata inside ``raw``."""
    return replace(article, text=article.raw)
