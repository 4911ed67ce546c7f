"""A Datasette view of the corpus that reads well without plugins: the metadata file.

``datasette corpus.db --metadata metadata.json`` with the output of ``metadata()``: table and
column descriptions, newest articles first, facets, the full-text index behind the search box,
the long texts left out of the browsing view (``article_list``) and canned queries.
"""

from __future__ import annotations

from pathlib import Path

from .store import DATASETTE_QUERIES

ARTICLE_COLUMNS = {
    "id": "Article id (stable across reprocessing)",
    "source": "Source label: the folder the file came from, or --source",
    "language": "ISO 639-1 code; empty when the text is too short or the detector unsure",
    "language_probability": "The language detector's confidence, 0-1",
    "published": "Publication date: YYYY-MM-DD, YYYY-MM or YYYY, as precise as the evidence",
    "published_precision": "day, month or year",
    "published_method": (
        "Where the date came from: metadata (a sidecar), html:markup, json:date_publish, "
        "dateline, opening..."
    ),
    "format": "The file's format: text, markdown, html or json (a gzip file's inner type)",
    "url": "The article's own address, from HTML or JSON metadata",
    "site_name": "Publisher name from HTML or JSON metadata",
    "author": "Author from HTML or JSON metadata",
    "word_count": "Words in the cleaned body",
    "content_hash": "SHA-256 of the cleaned title and body: the article's identity",
    "story_signature": "Hash of the story's wording (groups reprints when learning boilerplate)",
    "first_seen": "When newsingest first stored the article (UTC)",
    "last_seen": "When a file giving the article was last seen (UTC, to the day)",
    "pipeline_version": "newsingest pipeline version that produced the derived values",
    "title": "Cleaned headline (empty when the text had none)",
    "body": "Cleaned text: boilerplate and repeated headlines removed",
    "raw": "The decoded original text, untouched",
    "metadata": "The values a metadata sidecar gave (JSON), applied again by reprocess",
    "credit": "The wire service or syndicator the article credits (Antara, Reuters...)",
}
MENTION_COLUMNS = {
    "article_id": "The article (articles.id)",
    "field": "title or body",
    "start": "Character offset of text in that field",
    "text": "As written in the article",
}
STATS_COLUMNS = {
    "source": "Source label",
    "language": "ISO 639-1 code of the articles (empty: unknown)",
    "period": "Month of publication YYYY-MM (YYYY when only the year is known; empty: unknown)",
    "to_day": "1 when these articles' publication day is known",
    "articles": "Articles counted",
}
STATS_NOTE = (
    " One row per source, language and month of publication; kept up to date by triggers, "
    "so sum the rows you need."
)


def metadata(db_path: str) -> dict:
    """Datasette metadata for the corpus database at ``db_path``."""
    database = Path(db_path).stem
    article_facets = ["source", "language", "published_month"]
    return {
        "title": "newsingest corpus",
        "description": (
            "News articles cleaned and enriched by newsingest. Browse article_list (one line "
            "per article, newest first); search it or articles with the search box."
        ),
        "databases": {
            database: {
                "tables": {
                    "article_list": {
                        "description": "One line per article, newest first (view of articles "
                        "without the long texts). Click an id for the full article.",
                        "sort_desc": "published",
                        "facets": article_facets,
                        "label_column": "title",
                        "fts_table": "articles_fts",
                        "fts_pk": "id",
                        "columns": {
                            **_pick(ARTICLE_COLUMNS, "id", "published", "title", "source",
                                    "language", "word_count", "url"),
                            "published_month": "YYYY-MM of the publication date (YYYY when "
                            "only the year is known)",
                        },
                        "size": 50,
                    },
                    "articles": {
                        "description": "Every article with its cleaned and original text "
                        "(wide: article_list reads better for browsing).",
                        "sort_desc": "published",
                        "facets": ["source", "language"],
                        "label_column": "title",
                        "fts_table": "articles_fts",
                        "fts_pk": "id",
                        "columns": ARTICLE_COLUMNS,
                        "size": 20,
                    },
                    "dates": {
                        "description": "Every date an article mentions.",
                        "facets": ["precision", "kind"],
                        "columns": {
                            **MENTION_COLUMNS,
                            "value": "YYYY-MM-DD, YYYY-MM or YYYY; empty when unresolved",
                            "precision": "day, month or year",
                            "kind": "absolute, or relative (kemarin, last Tuesday)",
                        },
                    },
                    "places": {
                        "description": "Every place an article mentions.",
                        "facets": ["kind", "country_code"],
                        "label_column": "name",
                        "columns": {
                            **MENTION_COLUMNS,
                            "name": "Canonical name",
                            "country_code": "ISO 3166 code",
                            "latitude": "Stored point (a country's is its capital's)",
                            "longitude": "Stored point",
                            "geonameid": "GeoNames id; empty for places found only by a cue",
                            "kind": "country, admin, city or feature",
                        },
                    },
                    "urls": {
                        "description": "Every web address an article mentions.",
                        "facets": ["domain"],
                        "columns": {
                            **MENTION_COLUMNS,
                            "url": "Normalised address",
                            "domain": "Registrable domain",
                        },
                    },
                    "removed": {
                        "description": "Every piece of text cleaning removed, with its rule.",
                        "facets": ["reason"],
                        "columns": {
                            "article_id": "The article (articles.id)",
                            "start": "Offset in the text before cleaning",
                            "text": "What was removed",
                            "reason": "The rule that removed it",
                        },
                    },
                    "files": {
                        "description": "Every file read, with what happened to it.",
                        "facets": ["status"],
                        "sort_desc": "last_seen",
                    },
                    "runs": {"description": "Every add and reprocess run.", "sort_desc": "id"},
                    "stats_articles": {
                        "description": "Articles per source, language and month." + STATS_NOTE,
                        "columns": {
                            **STATS_COLUMNS,
                            "with_places": "Articles naming at least one place",
                        },
                    },
                    "stats_places": {
                        "description": "Articles naming each place." + STATS_NOTE,
                        "columns": {**STATS_COLUMNS, "mentions": "Mentions counted"},
                    },
                    "stats_domains": {
                        "description": "Articles linking to each domain." + STATS_NOTE,
                        "columns": {**STATS_COLUMNS, "mentions": "Mentions counted"},
                    },
                    "stats_removed": {
                        "description": "Text removed by each cleaning rule." + STATS_NOTE,
                        "columns": {**STATS_COLUMNS, "pieces": "Pieces of text removed"},
                    },
                    "reprint_clusters": {
                        "description": "Clusters of reprints: one row per article in a cluster "
                        "of two or more; the cluster id is its canonical member's article id.",
                        "columns": {
                            "article_id": "The article (articles.id)",
                            "cluster_id": "The cluster's canonical article (articles.id)",
                            "similarity": "Similarity of the body to the canonical's, 0-1",
                        },
                    },
                    "search_terms": {
                        "description": "Every indexed word with its stem: the forms a query "
                        "word is widened to by newsingest query.",
                    },
                    "term_documents": {
                        "description": "In how many articles each indexed word occurs (FTS5's "
                        "own count, stored): read by newsingest query's guards.",
                    },
                    **{
                        name: {"hidden": True}
                        for name in (
                            "boilerplate_observations", "boilerplate_keys",
                            "boilerplate_pending", "boilerplate_reclean",
                            "reprint_bands", "reprint_signatures", "reprint_pending",
                            "search_filters",
                        )
                    },
                },
                "queries": {
                    name: {"title": title, "sql": sql}
                    for name, (title, sql) in DATASETTE_QUERIES.items()
                },
            }
        },
    }


def _pick(columns: dict, *names: str) -> dict:
    return {name: columns[name] for name in names}
