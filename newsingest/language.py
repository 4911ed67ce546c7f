"""Language identification.

FIRST VERSION: the language issue replaces this module.
"""

from __future__ import annotations

from dataclasses import replace

from .article import Article


def load_model():
    """The language model shared by every article."""
    from langdetect import DetectorFactory

    DetectorFactory.seed = 0
    return None


def detect(article: Article, resources) -> Article:
    """Stage: the article's language and its probability."""
    from langdetect import detect_langs
    from langdetect.lang_detect_exception import LangDetectException

    try:
        best = detect_langs(article.body[:1000] or article.title)[0]
    except LangDetectException:
        return article
    return replace(article, language=best.lang, language_probability=round(best.prob, 4))
