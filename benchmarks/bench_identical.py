"""Proof that a speed change leaves what is stored unchanged: a digest of every table.

Imports a folder of articles into a new database with `newsingest add` (the version installed
in this Python), then prints one SHA-256 per table over its rows, sorted. Surrogate ids are
replaced by what they stand for (an article by its content hash, a file by its path), and the
columns that hold the time of the run are left out, so two imports of the same files give the
same digests whatever the order the workers finished in. The FTS5 index is compared through
its vocabulary (every term with its document and occurrence counts).

    python benchmarks/bench_identical.py path/to/corpus --save before.json    # one version
    python benchmarks/bench_identical.py path/to/corpus --against before.json # the other
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Columns that record when (or in which run) something happened, not what was found.
TIME_COLUMNS = {"first_seen", "last_seen", "applied_at", "started", "finished", "seconds", "run_id"}
# Tables about the runs themselves (their times and arguments), not the articles.
SKIPPED_TABLES = {"runs"}


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')]


def table_digests(db: Path) -> dict[str, str]:
    """Table name -> SHA-256 of its rows (sorted; ids replaced by the keys they stand for)."""
    conn = sqlite3.connect(db)
    conn.execute("CREATE VIRTUAL TABLE temp.fts_terms USING fts5vocab(main, articles_fts, row)")
    tables = [
        name
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name NOT LIKE 'articles_fts%' ORDER BY name"
        )
    ]
    digests = {}
    for table in tables:
        if table in SKIPPED_TABLES:
            continue
        columns = _columns(conn, table)
        selected = []
        for column in columns:
            if column in TIME_COLUMNS:
                continue
            if column == "id":
                continue  # a surrogate key: the row's other columns say what it is
            if column == "article_id":
                selected.append(f'(SELECT content_hash FROM articles a WHERE a.id = t."{column}")')
            else:
                selected.append(f't."{column}"')
        if table == "_sqlite_migrations":
            selected = ["t.migration_set", "t.name"]
        rows = conn.execute(f'SELECT {", ".join(selected)} FROM "{table}" t').fetchall()
        digests[table] = _digest(rows)
    digests["articles_fts (vocabulary)"] = _digest(
        conn.execute("SELECT term, doc, cnt FROM temp.fts_terms").fetchall()
    )
    conn.close()
    return digests


def _digest(rows: list[tuple]) -> str:
    lines = sorted(repr(row) for row in rows)
    return f"{len(lines)} rows " + hashlib.sha256("\n".join(lines).encode()).hexdigest()[:16]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="the articles to import")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--db", type=Path, help="hash this database instead of importing")
    parser.add_argument("--save", type=Path, help="write the digests to this JSON file")
    parser.add_argument("--against", type=Path, help="compare with digests saved earlier")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        db = args.db
        if db is None:
            db = Path(work) / "digest.db"
            started = time.perf_counter()
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "newsingest",
                    "add",
                    str(args.folder),
                    "--db",
                    str(db),
                    "--workers",
                    str(args.workers),
                    "--quiet",
                ],
                check=False,
            )
            print(f"imported in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        digests = table_digests(db)
    for table, digest in digests.items():
        print(f"{table:32} {digest}")
    if args.save:
        args.save.write_text(json.dumps(digests, indent=1) + "\n")
    if args.against:
        before = json.loads(args.against.read_text())
        differing = sorted(t for t in set(before) | set(digests) if before.get(t) != digests.get(t))
        if differing:
            print(f"DIFFERENT: {', '.join(differing)}")
            raise SystemExit(1)
        print(f"identical: all {len(digests)} tables")


if __name__ == "__main__":
    main()
