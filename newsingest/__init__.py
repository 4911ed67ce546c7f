"""newsingest: turn folders of raw news articles into a clean, searchable SQLite corpus."""

# The names are loaded on first use: the command line starts without importing the pipeline,
# so a Ctrl-C while it starts is handled by the command line, not shown as a traceback.
_EXPORTS = {
    "Article": "article",
    "DateMention": "article",
    "Metadata": "article",
    "NewsIngestError": "errors",
    "PIPELINE_VERSION": "pipeline",
    "PlaceMention": "article",
    "Removal": "article",
    "UrlMention": "article",
    "load_resources": "pipeline",
    "process": "pipeline",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    """Import a public name from its module when it is first asked for."""
    if name not in _EXPORTS:
        raise AttributeError(f"module 'newsingest' has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
