"""newsingest: turn folders of raw news articles into a clean, searchable SQLite corpus."""

from __future__ import annotations

import importlib

# The public names and the module each lives in. They are imported on first use: the pipeline
# pulls in numpy, the language models and the date scanner (~0.2 s), which `--help`, `status`
# and `query` never need (every `newsingest.x` import runs this file first).
_EXPORTS = {
    "Article": "article",
    "DateMention": "article",
    "Metadata": "article",
    "PlaceMention": "article",
    "Removal": "article",
    "UrlMention": "article",
    "NewsIngestError": "errors",
    "PIPELINE_VERSION": "pipeline",
    "load_resources": "pipeline",
    "process": "pipeline",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'newsingest' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
