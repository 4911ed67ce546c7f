"""How long `newsingest stats` takes at 100,000 and 1,000,000 articles, and the HTML size.

The large corpora are built cheaply from a real one (``--source-db``, made with
``newsingest add``): every article row and its place, URL and removal rows are copied with SQL
until the corpus has the wanted size, the long texts (``raw``, ``body``) emptied because `stats`
never reads them. The copies keep their source, language and publication date, so the stats
tables of the copy are those of the source multiplied; they are written that way (and checked
against a full recomputation at the smaller size). Each figure is the median of ``--runs``
runs of the console script in a subprocess (Python start-up included).

    python benchmarks/bench_stats.py --source-db corpus.db --sizes 100000,1000000 --runs 5
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STATS_TABLES = {
    "stats_articles": ("articles", "with_places"),
    "stats_places": ("articles", "mentions"),
    "stats_domains": ("articles", "mentions"),
    "stats_removed": ("articles", "pieces"),
}


def build(source_db: Path, target: Path, size: int) -> Path:
    """A corpus of at least ``size`` articles: whole copies of ``source_db``'s rows."""
    if target.exists():
        return target
    sys.path.insert(0, str(ROOT))
    from newsingest.store import open_store

    partial = target.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    open_store(partial, write=True).close()
    conn = sqlite3.connect(partial, isolation_level=None)
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -262144")
    conn.execute("ATTACH ? AS src", [str(source_db)])
    triggers = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall()
    count = conn.execute("SELECT count(*) FROM src.articles").fetchone()[0]
    offset = conn.execute("SELECT max(id) FROM src.articles").fetchone()[0]
    copies = -(-size // count)
    conn.execute("BEGIN")
    for name, _ in triggers:
        conn.execute(f"DROP TRIGGER {name}")
    columns = [r[1] for r in conn.execute("PRAGMA table_info(articles)") if r[1] != "id"]
    for copy in range(copies):
        shift = copy * offset
        values = {
            "content_hash": f"content_hash || '-{copy}'",
            "body": "''",
            "raw": "''",
        }
        conn.execute(
            f"INSERT INTO articles (id, {', '.join(columns)}) SELECT id + {shift}, "
            + ", ".join(values.get(c, c) for c in columns)
            + " FROM src.articles"
        )
        for table in ("places", "urls", "removed"):
            cols = [
                r[1]
                for r in conn.execute(f"PRAGMA table_info({table})")
                if r[1] not in ("id", "article_id")
            ]
            conn.execute(
                f"INSERT INTO {table} (article_id, {', '.join(cols)}) "
                f"SELECT article_id + {shift}, {', '.join(cols)} FROM src.{table}"
            )
    conn.execute("INSERT INTO files (path, abs_path, status, error, first_seen, last_seen) "
                 "SELECT path, abs_path, status, error, first_seen, last_seen FROM src.files "
                 "WHERE status IN ('failed', 'unreadable')")
    for table, counted in STATS_TABLES.items():
        names = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
        conn.execute(f"DELETE FROM {table}")
        conn.execute(
            f"INSERT INTO {table} ({', '.join(names)}) SELECT "
            + ", ".join(f"{n} * {copies}" if n in counted else n for n in names)
            + f" FROM src.{table}"
        )
    for _, sql in triggers:
        conn.execute(sql)
    conn.execute("COMMIT")
    conn.execute("DETACH src")
    conn.close()
    partial.rename(target)
    return target


def check_against_rebuild(db: Path) -> bool:
    """Whether the stats tables equal a recomputation from the rows (on a copy)."""
    sys.path.insert(0, str(ROOT))
    from newsingest.store import open_store

    store = open_store(db)
    def tables():
        return {t: sorted(store.conn.execute(f"SELECT * FROM {t}"), key=repr) for t in STATS_TABLES}

    before = tables()
    store.conn.execute("BEGIN")
    for table in STATS_TABLES:
        store.conn.execute(f"DELETE FROM {table}")
    from newsingest.store import _STATS_FILL

    for statement in _STATS_FILL.split(";"):
        if statement.strip():
            store.conn.execute(statement)
    after = tables()
    store.conn.execute("ROLLBACK")
    return before == after


def time_command(args: list[str], runs: int) -> tuple[float, float]:
    """Median wall and CPU seconds of the console script over ``runs`` runs."""
    walls, cpus = [], []
    for _ in range(runs):
        started = time.perf_counter()
        before = _children_cpu()
        subprocess.run(
            [sys.executable, "-m", "newsingest", *args], check=True, capture_output=True
        )
        walls.append(time.perf_counter() - started)
        cpus.append(_children_cpu() - before)
    return statistics.median(walls), statistics.median(cpus)


def _children_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--source-db", type=Path, required=True, help="a corpus made by add")
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()))
    options = parser.parse_args()
    print("articles  report               wall s (median)  CPU s  HTML bytes")
    for size in (int(s) for s in options.sizes.split(",")):
        db = build(options.source_db, options.work / f"stats_{size}.db", size)
        size = sqlite3.connect(db).execute("SELECT count(*) FROM articles").fetchone()[0]
        if size <= 200_000:
            print(f"stats tables equal a recomputation at {size:,}: {check_against_rebuild(db)}")
        html = options.work / f"stats_{size}.html"
        for label, args in (
            ("default", []),
            ("--html", ["--html", str(html)]),
            ("--lang id --since 2016", ["--lang", "id", "--since", "2016"]),
            ("--format json", ["--format", "json"]),
        ):
            wall, cpu = time_command(["stats", "--db", str(db), *args], options.runs)
            size_note = f"{html.stat().st_size:,}" if label == "--html" else ""
            print(f"{size:>9,}  {label:<22} {wall:>8.2f}  {cpu:>12.2f}  {size_note}")


if __name__ == "__main__":
    main()
