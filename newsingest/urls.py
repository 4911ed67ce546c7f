"""URLs: every http(s) and www. address written in an article's title and body.

Finding is a compiled pattern plus two repairs seen in real news text: trailing punctuation and
unbalanced brackets are trimmed ("(lihat https://x.id/a)." -> "https://x.id/a"), and addresses
glued together without a space ("...-hoakshttps://www.antaranews.com/...") are split.
Normalisation (lower-case host, default port and tracking parameters such as utm_* removed) is
courlan's ``normalize_url``; the domain is the registrable domain (courlan ``extract_domain``,
public suffix list). The text as written is kept in ``UrlMention.text``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from types import MappingProxyType

from .article import BODY, TITLE, Article, UrlMention

# Up to the next space, quote or angle bracket. Raw non-ASCII is allowed (Arabic paths).
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"“”‘’«»\u200b]+", re.IGNORECASE)
# Where a second address starts inside a first one: "http(s)://" right after anything but the
# start of a query value ("...hoakshttps://", "?type=3https://", ".../kode-etik/https://"); an
# address after "=" is a query value ("?u=https://"), and one after an archive's path is the
# archived page ("web.archive.org/web/2019.../https://"), both kept whole.
_GLUED = re.compile(r"(?<=[^=%:?&#])https?://", re.IGNORECASE)
_ARCHIVE_PREFIX = re.compile(r"https?://(?:web\.)?archive\.[a-z]+/", re.IGNORECASE)
_TRAILING = ".,;:!?'\"*|`’”″»"
_PAIRS = MappingProxyType({")": "(", "]": "[", "}": "{", ">": "<"})
_HOST_OK = re.compile(r"[\w.-]+\.[^\W\d_]{2,}|[\w.-]+\.xn--[\w-]+|\d{1,3}(?:\.\d{1,3}){3}")


def find_spans(text: str) -> list[tuple[int, str]]:
    """(offset, address as written) for every URL in ``text``."""
    if "://" not in text and "www." not in text and "WWW." not in text:
        return []
    out = []
    for m in _URL.finditer(text):
        start, chunk = m.start(), m.group()
        pieces = _split_glued(chunk)
        for offset, piece in pieces:
            piece = _trim(piece)
            if piece and _has_host(piece):
                out.append((start + offset, piece))
    return out


def _split_glued(chunk: str) -> list[tuple[int, str]]:
    cuts = [0]
    for m in _GLUED.finditer(chunk, 1):
        cuts.append(m.start())
    # "https://web.archive.org/web/2019.../https://x.com": a path, not a second address
    for i in range(len(cuts) - 1, 0, -1):
        before = chunk[cuts[i - 1] : cuts[i]]
        if _ARCHIVE_PREFIX.match(before) and before.endswith("/"):
            del cuts[i]
    cuts.append(len(chunk))
    return [(cuts[i], chunk[cuts[i] : cuts[i + 1]]) for i in range(len(cuts) - 1)]


def _trim(piece: str) -> str:
    """Drop trailing punctuation and closing brackets that the address does not open."""
    while piece:
        last = piece[-1]
        if last in _TRAILING or _foreign_punctuation(last):
            piece = piece[:-1]
        elif last in _PAIRS and piece.count(last) > piece.count(_PAIRS[last]):
            piece = piece[:-1]
        else:
            break
    return piece


def _foreign_punctuation(char: str) -> bool:
    """Punctuation beyond ASCII (an Arabic comma, an en dash, an ideographic full stop), which
    ends a sentence or clause after an address and is never the last character of one. An
    ellipsis stays: it marks an address cut short, which must not be stored as a whole one."""
    return (
        not char.isascii()
        and char != "\u2026"
        and unicodedata.category(char) in ("Po", "Pd", "Pe", "Pf", "Pi")
    )


def _has_host(piece: str) -> bool:
    rest = piece.split("://", 1)[1] if "://" in piece else piece
    host = re.split(r"[/?#:]", rest, maxsplit=1)[0]
    return bool(_HOST_OK.fullmatch(host))


def normalize(text: str) -> tuple[str, str]:
    """(normalised URL, registrable domain) of an address as written."""
    from courlan import extract_domain, normalize_url

    url = text if "://" in text else "http://" + text
    # courlan collapses "//" in paths, which breaks an address inside a path (web.archive.org)
    inner = url.find("://", url.find("://") + 3)
    scheme_start = inner
    while scheme_start > 0 and url[scheme_start - 1].isalpha():
        scheme_start -= 1
    try:
        if inner > 0 and url[scheme_start - 1] == "/":
            normal = normalize_url(url[:scheme_start]) + normalize_url(url[scheme_start:])
        else:
            normal = normalize_url(url)
        domain = extract_domain(normal)
    except ValueError:  # an unparsable port or IPv6 literal: keep the address as written
        normal, domain = url, None
    if not domain:
        host = re.split(r"[/?#]", normal.split("://", 1)[-1], maxsplit=1)[0]
        domain = host.rsplit("@", 1)[-1].split(":", 1)[0].lower()
    return normal, domain


def extract(article: Article, resources) -> Article:
    """Stage: the URLs mentioned in title and body."""
    mentions = []
    for field, text in ((TITLE, article.title), (BODY, article.body)):
        for start, written in find_spans(text):
            url, domain = normalize(written)
            mentions.append(UrlMention(field, start, written, url, domain))
    return replace(article, urls=tuple(mentions))
