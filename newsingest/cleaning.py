"""Title detection, repeated headline/caption removal, boilerplate removal, normalisation.

FIRST VERSION: the cleaning issue replaces this module.
"""

from __future__ import annotations

from dataclasses import replace

from .article import Article


def load_rules():
    """The built-in boilerplate rules."""
    return None


def clean(article: Article, resources) -> Article:
    """Stage: title and cleaned body from the reader's text."""
    lines = [line.strip() for line in article.text.splitlines()]
    lines = [line for line in lines if line]
    title = lines[0] if lines else ""
    return replace(article, title=title, body="\n\n".join(lines[1:]))


def boilerplate_observations(article: Article) -> frozenset[str]:
    """TEMP placeholder."""
    return frozenset(line.strip() for line in article.text.splitlines() if 0 < len(line.strip()) < 120)


def story_signature(article: Article) -> int:
    """TEMP placeholder."""
    import hashlib

    return int.from_bytes(hashlib.blake2b(article.body[:200].encode(), digest_size=8).digest(), "big", signed=True)


def select_learned(counts, stories):
    """TEMP placeholder."""
    return frozenset(k for k, n in counts.items() if n >= 5 and n >= 0.2 * stories)
