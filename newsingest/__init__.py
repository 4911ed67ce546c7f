"""newsingest: turn folders of raw news articles into a clean, searchable SQLite corpus."""

from .article import Article, DateMention, Metadata, PlaceMention, Removal, UrlMention
from .errors import NewsIngestError
from .pipeline import PIPELINE_VERSION, load_resources, process

__all__ = [
    "Article",
    "DateMention",
    "Metadata",
    "NewsIngestError",
    "PIPELINE_VERSION",
    "PlaceMention",
    "Removal",
    "UrlMention",
    "load_resources",
    "process",
]
