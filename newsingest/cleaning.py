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
