"""Real processes: overlapping runs, reads during an import, kill -9 at several points, files
the running user may not read. These drive the installed console script in subprocesses."""

import os
import shutil
import signal
import sqlite3
import subprocess
import time

import pytest

from newsingest.errors import EXIT_BUSY
from newsingest.store import open_store

from .conftest import SCRIPT, start_script, write_articles

pytestmark = pytest.mark.skipif(SCRIPT is None, reason="newsingest console script not installed")

# Compared between a killed-and-resumed import and an uninterrupted one: everything but times
# and run ids.
SNAPSHOT = {
    "articles": "SELECT id, title, body, raw, source, language, language_probability, published, "
    "published_precision, content_hash, word_count FROM articles ORDER BY id",
    "files": "SELECT path, record, size, sha256, article_id, status, error FROM files "
    "ORDER BY path",
    "dates": "SELECT article_id, field, start, text, value, precision FROM dates ORDER BY id",
    "places": "SELECT article_id, field, start, text, name, geonameid FROM places ORDER BY id",
    "urls": "SELECT article_id, field, start, text, url FROM urls ORDER BY id",
    "removed": "SELECT article_id, start, text, reason FROM removed ORDER BY id",
    "learned": "SELECT source, line, stories FROM learned_boilerplate ORDER BY source, line",
    "fts": "SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'Aleppo' ORDER BY rowid",
    "credit": "SELECT id, credit FROM articles ORDER BY id",
    "clusters": "SELECT article_id, cluster_id, similarity FROM reprint_clusters "
    "ORDER BY article_id",
    "pending": "SELECT count(*) FROM reprint_pending",
}


def _run(args, db, **kwargs):
    process = start_script(args, db, **kwargs)
    out, err = process.communicate(timeout=300)
    return process.returncode, out, err


def _scalar(db, sql):
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute(sql).fetchone()[0]
    except sqlite3.Error:
        return None


def _wait_for(predicate, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return False


def _snapshot(db):
    with sqlite3.connect(db) as conn:
        return {name: conn.execute(sql).fetchall() for name, sql in SNAPSHOT.items()}


@pytest.fixture(scope="module")
def big_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("big") / "news"
    write_articles(folder, 1500)
    return folder


def test_overlapping_add_exits_or_waits_and_reads_keep_working(big_folder, tmp_path):
    db = tmp_path / "c.db"
    first = start_script(["add", big_folder, "--workers", "1"], db)
    try:
        assert _wait_for(lambda: _scalar(db, "SELECT count(*) FROM articles"))
        code, _, err = _run(["add", big_folder], db)
        assert code == EXIT_BUSY
        assert err.strip().splitlines() == [
            f"Error: {db}: another newsingest run is writing to this database "
            "(use --wait SECONDS to wait for it)"
        ]
        for args in (["query", "Aleppo", "--limit", "3"], ["status"], ["show", "1"]):
            code, out, err = _run(args, db)
            assert code == 0, err
            assert "locked" not in err and "Traceback" not in err
        assert first.poll() is None, "the first import ended too soon to test overlap"
        waiting = start_script(["add", big_folder, "--wait", "300"], db)
        code, _, err = _run(["reprocess", "--wait", "0"], db)
        assert code == EXIT_BUSY
    finally:
        first.wait(timeout=300)
    assert first.returncode == 0, first.stderr.read()
    out, err = waiting.communicate(timeout=300)
    assert waiting.returncode == 0, err
    assert "0 added" in err and "1500 unchanged" in err


@pytest.fixture(scope="module")
def reference(big_folder, tmp_path_factory):
    """The database an uninterrupted import gives."""
    db = tmp_path_factory.mktemp("reference") / "reference.db"
    assert _run(["add", big_folder, "--workers", "2"], db)[0] == 0
    return db


@pytest.mark.parametrize("kill_after", [0, 100, 700, 1400])
def test_kill_9_then_rerun_gives_the_uninterrupted_result(
    big_folder, reference, tmp_path, kill_after
):
    db = tmp_path / "killed.db"
    # Small transactions: many commit points to be killed between (and inside).
    process = start_script(["add", big_folder, "--workers", "2", "--commit-every", "50"], db)
    if kill_after:
        assert _wait_for(lambda: (_scalar(db, "SELECT count(*) FROM articles") or 0) >= kill_after)
    else:
        assert _wait_for(lambda: db.exists())
    assert process.poll() is None, "the import ended before it could be killed"
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    store = open_store(db, write=True)  # FTS5's integrity check is a write command
    assert store.integrity_errors() == []
    orphans = store.conn.execute(
        "SELECT count(*) FROM articles WHERE id NOT IN (SELECT article_id FROM files "
        "WHERE article_id IS NOT NULL)"
    ).fetchone()[0]
    assert orphans == 0
    expected = _snapshot(reference)
    partial = _snapshot(db)
    # Articles still waiting for their source's boilerplate to be learned (or to be cleaned
    # again with it) may differ from the final ones; every other stored article is final.
    waiting = {
        row[0]
        for row in store.conn.execute(
            "SELECT id FROM articles WHERE source IN (SELECT source FROM boilerplate_pending) "
            "UNION SELECT article_id FROM boilerplate_reclean"
        )
    }
    final = {row[0] for row in partial["articles"]} - waiting
    for table in ("dates", "places", "urls", "removed"):
        done = [row for row in partial[table] if row[0] in final]
        assert done == [row for row in expected[table] if row[0] in final], table
        holding = {row[0] for row in expected[table]} & {row[0] for row in partial["articles"]}
        assert holding - waiting <= {row[0] for row in partial[table]}, table
    store.close()
    code, _, err = _run(["add", big_folder, "--workers", "2"], db)
    assert code == 0, err
    assert _snapshot(db) == expected
    assert open_store(db, write=True).integrity_errors() == []


def _unprivileged(args, db):
    """Run newsingest without the right to bypass file permissions (even as root)."""
    prefix = []
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv to drop privileges")
        prefix = [setpriv, "--bounding-set=-dac_override,-dac_read_search"]
    env = {**os.environ, "NEWSINGEST_DB": str(db)}
    done = subprocess.run(
        [*prefix, SCRIPT, *map(str, args)], env=env, capture_output=True, text=True, timeout=300
    )
    return done.returncode, done.stdout, done.stderr


def test_unreadable_file_is_reported_and_the_run_goes_on(tmp_path):
    folder = tmp_path / "news"
    write_articles(folder, 2)
    secret = folder / "secret.txt"
    secret.write_text("Rahasia\n\nTidak boleh dibaca.\n")
    secret.chmod(0)
    locked = folder / "locked"
    locked.mkdir()
    (locked / "inside.txt").write_text("x")
    locked.chmod(0)
    db = tmp_path / "c.db"
    try:
        code, _, err = _unprivileged(["add", folder, "--workers", "0"], db)
    finally:
        locked.chmod(0o755)
    assert code == 1, err
    assert f"{secret}: unreadable: permission denied" in err.splitlines()
    assert f"{locked}: unreadable: permission denied" in err.splitlines()
    assert "2 added" in err
    with sqlite3.connect(db) as conn:
        assert conn.execute(
            "SELECT status, error FROM files WHERE path = ?", [str(secret)]
        ).fetchone() == ("unreadable", "permission denied")


def test_read_only_database_folder_is_a_usage_error(tmp_path):
    folder = tmp_path / "news"
    write_articles(folder, 1)
    readonly = tmp_path / "ro"
    readonly.mkdir()
    readonly.chmod(0o555)
    try:
        code, _, err = _unprivileged(["add", folder], readonly / "c.db")
    finally:
        readonly.chmod(0o755)
    assert code == 2
    assert err.strip() == f"Error: {readonly / 'c.db'}: folder {readonly} is not writable"
    assert not (readonly / "c.db").exists()
