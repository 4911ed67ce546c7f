"""Running unattended: a full disk, Ctrl-C, runs started together, a read-only corpus, files that
keep failing, hostile file names, a mistyped --db, the database inside an imported folder.

Most of these drive the installed console script in real processes, on real filesystems: a
small tmpfs when the tests may mount one (root), else the same failure raised by the kernel
through a file-size limit or /dev/full.
"""

import contextlib
import json
import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from newsingest.cli import cli
from newsingest.errors import (
    EXIT_BUSY,
    EXIT_FILES_FAILED,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    EXIT_WRITE_FAILED,
    DatabaseBusyError,
)
from newsingest.render import CONTROL_CHARACTERS, printable
from newsingest.store import open_store

from .conftest import SCRIPT, start_script, write_articles

needs_script = pytest.mark.skipif(SCRIPT is None, reason="newsingest console script not installed")


def _run(args, db, prefix=(), preexec_fn=None):
    env = {**os.environ, "NEWSINGEST_DB": str(db)}
    done = subprocess.run(
        [*prefix, SCRIPT, *map(str, args)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=preexec_fn,
    )
    return done.returncode, done.stdout, done.stderr


def _unprivileged_prefix():
    """A command prefix that drops the right to bypass file permissions (even as root)."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv to drop privileges")
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search"]


def _runs(db):
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(row) for row in conn.execute("SELECT * FROM runs ORDER BY id")]


def _count(db, table="articles"):
    with sqlite3.connect(db) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def cli_run(*args, expect=0):
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == expect, result.output + result.stderr
    return result


@pytest.fixture(scope="module")
def big_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ops") / "news"
    write_articles(folder, 1500)
    return folder


# ----------------------------------------------------------------------------------------------
# Full disk


@contextlib.contextmanager
def _small_filesystem(path, size):
    """A tmpfs of ``size`` at ``path``; None when this process may not mount one."""
    path.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        yield None
        return
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], capture_output=True
    )
    if mounted.returncode != 0:
        yield None
        return
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], capture_output=True)


def _file_size_limit(limit):
    def apply():
        # The kernel then fails writes past the limit with EFBIG instead of killing the process.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


@needs_script
def test_full_disk_stops_with_one_line_status_4_and_keeps_every_batch(big_folder, tmp_path):
    with _small_filesystem(tmp_path / "small", "3m") as small:
        if small is not None:  # a real full disk
            db, preexec, reason = small / "c.db", None, "disk full"
        else:  # the kernel's file-size limit: SQLite sees a failed write
            db, preexec, reason = tmp_path / "c.db", _file_size_limit(2_000_000), None
        summary = tmp_path / "last-run.json"
        args = ["add", big_folder, "--workers", "1", "--commit-every", "100"]
        code, out, err = _run([*args, "--summary-json", summary], db, preexec_fn=preexec)
        assert code == EXIT_WRITE_FAILED
        lines = err.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in err
        assert lines[0].startswith("Error: ")
        assert lines[0].endswith(
            f" while writing {db}; add stopped, every batch committed before is kept"
        )
        if reason:
            assert lines[0].startswith(f"Error: {reason} while writing")
        stored = _count(db)
        assert 0 < stored < 1500
        (run,) = _runs(db)
        assert run["exit_code"] == EXIT_WRITE_FAILED and "while writing" in run["error"]
        assert json.loads(summary.read_text())["exit_code"] == EXIT_WRITE_FAILED
        store = open_store(db, write=True)
        assert store.integrity_errors() == []
        store.close()
        if small is not None:  # room again: the next run finishes the import
            subprocess.run(["mount", "-o", "remount,size=64m", str(small)], check=True)
            code, _, err = _run(["add", big_folder, "--workers", "1"], db)
            assert code == EXIT_OK, err
            assert _count(db) == 1500
            assert f"{stored} unchanged" in err


@needs_script
def test_full_disk_while_creating_the_database_is_one_line(seeds, tmp_path):
    with _small_filesystem(tmp_path / "small", "1m") as small:
        if small is not None:
            (small / "filler").write_bytes(b"\0" * 1024 * 1024)  # a real full disk
            db, preexec = small / "c.db", None
        else:
            db, preexec = tmp_path / "c.db", _file_size_limit(0)
        code, _, err = _run(["add", seeds, "--workers", "0"], db, preexec_fn=preexec)
    assert code == EXIT_WRITE_FAILED
    assert err.splitlines() in (
        [f"Error: disk full while writing {db}"],
        [f"Error: disk I/O error while writing {db}"],
    )


def _dev_full(path):
    """``path`` as a link to /dev/full: every write to it fails with ENOSPC."""
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full on this system")
    path.symlink_to("/dev/full")
    return path


def test_full_disk_while_writing_the_summary(seeds, tmp_path, isolated_db):
    summary = _dev_full(tmp_path / "last-run.json")
    result = cli_run("add", seeds, "--workers", "0", "--summary-json", summary, expect=4)
    summary_line, error = result.stderr.splitlines()
    assert summary_line.startswith("add: 2 added")
    assert error == f"Error: disk full while writing {summary}"
    assert _count(isolated_db) == 2  # the import itself is kept


def test_full_disk_while_writing_the_log(seeds, tmp_path, isolated_db):
    log = _dev_full(tmp_path / "run.log")
    result = cli_run("add", seeds, "--workers", "0", "--log-file", log, expect=4)
    assert result.stderr.splitlines() == [
        f"Error: disk full while writing {log}; messages go to stderr only",
        result.stderr.splitlines()[-1],
    ]
    assert result.stderr.splitlines()[-1].startswith("add: 2 added")
    assert _count(isolated_db) == 2
    (run,) = _runs(isolated_db)
    assert run["exit_code"] == EXIT_WRITE_FAILED and run["added"] == 2


# ----------------------------------------------------------------------------------------------
# Files named on the command line


@needs_script
def test_unreadable_file_named_on_the_command_line_is_recorded_and_the_rest_imported(tmp_path):
    folder = tmp_path / "incoming"
    good = write_articles(folder, 2)
    secret = folder / "secret.txt"
    secret.write_text("Rahasia\n\nTidak boleh dibaca.\n")
    secret.chmod(0)
    broken = folder / "gone.txt"
    broken.symlink_to(folder / "nowhere.txt")
    db = tmp_path / "c.db"
    # What `newsingest add incoming/*.txt` from cron passes: the glob's files, one by one.
    args = ["add", good[0], secret, broken, good[1], "--workers", "0"]
    code, _, err = _run(args, db, prefix=_unprivileged_prefix())
    assert code == EXIT_FILES_FAILED, err
    assert set(err.splitlines()[:2]) == {
        f"{secret}: unreadable: permission denied",
        f"{broken}: unreadable: broken symbolic link",
    }
    assert "2 added" in err and "Traceback" not in err
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT path, status FROM files ORDER BY path").fetchall()
    assert rows == [
        (str(good[0]), "stored"),
        (str(good[1]), "stored"),
        (str(broken), "unreadable"),
        (str(secret), "unreadable"),
    ]


def test_a_path_that_does_not_exist_is_still_a_usage_error(seeds, tmp_path, isolated_db):
    result = cli_run("add", seeds, tmp_path / "nope.txt", expect=EXIT_USAGE)
    assert "does not exist" in result.stderr
    assert not isolated_db.exists()


# ----------------------------------------------------------------------------------------------
# --wait everywhere


@needs_script
def test_two_runs_started_together_on_a_new_database(big_folder, tmp_path):
    db = tmp_path / "new.db"
    args = ["add", big_folder, "--workers", "1"]
    first, second = start_script(args, db), start_script(args, db)
    ended = {}

    def finish(name, process):
        out, err = process.communicate(timeout=300)
        ended[name] = (time.monotonic(), process.returncode, err)

    watchers = [
        threading.Thread(target=finish, args=(name, process))
        for name, process in (("first", first), ("second", second))
    ]
    for watcher in watchers:
        watcher.start()
    for watcher in watchers:
        watcher.join()
    (_, winner), (_, loser) = sorted((ended[name][1], name) for name in ("first", "second"))
    assert (ended[winner][1], ended[loser][1]) == (EXIT_OK, EXIT_BUSY), ended
    # The loser gave up at once instead of waiting for the whole first run.
    assert ended[loser][0] < ended[winner][0]
    assert ended[loser][2].strip().splitlines() == [
        f"Error: {db}: another newsingest run is "
        + ("creating or upgrading" if "creating" in ended[loser][2] else "writing to")
        + " this database (use --wait SECONDS to wait for it)"
    ]
    assert _count(db) == 1500


@needs_script
def test_reads_never_wait_for_a_run_creating_the_database(big_folder, tmp_path):
    db = tmp_path / "new.db"
    writer = start_script(["add", big_folder, "--workers", "1"], db)
    try:
        outcomes = set()
        while writer.poll() is None and len(outcomes) < 50:
            code, _, err = _run(["status", "--wait", "0"], db)
            assert "Traceback" not in err
            assert code in (EXIT_OK, EXIT_USAGE, EXIT_BUSY), err
            outcomes.add(code)
            if code == EXIT_OK:
                break
        assert writer.poll() is None, "the import ended before a read answered"
        assert EXIT_OK in outcomes
    finally:
        writer.wait(timeout=300)
    assert writer.returncode == 0


def _hold_lock(path):
    """Another process holding the writer lock (POSIX locks are per process) until stdin ends."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, sys; f = open(sys.argv[1], 'a'); fcntl.lockf(f, fcntl.LOCK_EX); "
            "print('held', flush=True); sys.stdin.read()",
            str(path),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline() == "held\n"
    return holder


def test_a_reader_waits_for_a_schema_upgrade_only_as_long_as_told(tmp_path):
    db = tmp_path / "c.db"
    db.touch()  # a new database another process is about to create
    holder = _hold_lock(f"{db}.lock")
    try:
        with pytest.raises(DatabaseBusyError, match="creating or upgrading"):
            open_store(db, wait=0)
        threading.Timer(0.3, holder.stdin.close).start()
        store = open_store(db, wait=60)  # the lock goes away: the reader creates the schema
    finally:
        holder.kill()
        holder.wait()
    assert store.counts()["articles"] == 0


def test_a_database_locked_by_another_process_is_busy_not_unusable(seeds, tmp_path, monkeypatch):
    from newsingest import store

    db = tmp_path / "c.db"
    cli_run("add", seeds, "--db", db, "--workers", "0")
    with sqlite3.connect(db) as conn:  # a journal mode in which a writer blocks readers
        conn.execute("PRAGMA journal_mode = DELETE")
    monkeypatch.setattr(store, "MIN_BUSY_SECONDS", 0.2)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        result = cli_run("query", "Aleppo", "--db", db, expect=EXIT_BUSY)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.stderr == (
        f"Error: {db}: locked by another process (use --wait SECONDS to wait for it)\n"
    )


# ----------------------------------------------------------------------------------------------
# A read-only corpus


@needs_script
@pytest.mark.parametrize("command", ["query", "status", "show", "export"])
def test_a_corpus_in_a_read_only_folder_can_be_read(seeds, tmp_path, command):
    folder = tmp_path / "archive"
    folder.mkdir()
    db = folder / "c.db"
    assert _run(["add", seeds, "--workers", "0"], db)[0] == 0
    args = {
        "query": ["query", "Aleppo", "--format", "json"],
        "status": ["status"],
        "show": ["show", "2"],
        "export": ["export"],
    }[command]
    folder.chmod(0o555)
    db.chmod(0o444)
    try:
        code, out, err = _run(args, db, prefix=_unprivileged_prefix())
        left = sorted(path.name for path in folder.iterdir())
    finally:
        folder.chmod(0o755)
    assert code == 0, err
    assert "Aleppo" in out or "2 articles" in out
    assert left == ["c.db", "c.db.lock"]  # nothing written beside it


@needs_script
def test_a_corpus_on_a_read_only_mount_can_be_read(seeds, tmp_path):
    with _small_filesystem(tmp_path / "archive", "8m") as mount:
        if mount is None:
            pytest.skip("needs a tmpfs mount (root)")
        db = mount / "c.db"
        assert _run(["add", seeds, "--workers", "0"], db)[0] == 0
        subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
        code, out, err = _run(["query", "Aleppo", "--format", "csv"], db)
        assert code == 0, err
        assert out.splitlines()[1].startswith("2,")


# ----------------------------------------------------------------------------------------------
# Ctrl-C


@needs_script
def test_ctrl_c_stops_an_import_with_one_line_and_status_130(big_folder, tmp_path):
    db = tmp_path / "c.db"
    summary = tmp_path / "last-run.json"
    process = start_script(
        ["add", big_folder, "--workers", "2", "--commit-every", "50", "--summary-json", summary],
        db,
        start_new_session=True,
        # As a terminal starts it (a test runner started in the background ignores SIGINT).
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        with contextlib.suppress(sqlite3.Error):
            if _count(db) >= 100:
                break
        time.sleep(0.05)
    assert process.poll() is None, "the import ended before it could be interrupted"
    # A terminal's Ctrl-C goes to the whole foreground process group: workers included.
    os.killpg(process.pid, signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == EXIT_INTERRUPTED
    assert err.splitlines() == ["add: interrupted; every batch committed before is kept"]
    (run,) = _runs(db)
    assert run["exit_code"] == EXIT_INTERRUPTED and run["error"] == "interrupted"
    written = json.loads(summary.read_text())
    assert (written["exit_code"], written["error"]) == (EXIT_INTERRUPTED, "interrupted")
    kept = _count(db)
    assert kept >= 100
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, 0)
        pytest.fail("a worker outlived the interrupted import")
    code, _, err = _run(["add", big_folder, "--workers", "2"], db)
    assert code == 0 and _count(db) == 1500 and f"{kept} unchanged" in err


def test_ctrl_c_in_a_read_command_is_one_line_and_status_130(seeds, monkeypatch):
    cli_run("add", seeds, "--workers", "0")
    from newsingest.store import Store

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(Store, "search", interrupted)
    result = cli_run("query", "Aleppo", expect=EXIT_INTERRUPTED)
    assert result.stderr == "interrupted\n"


# ----------------------------------------------------------------------------------------------
# Files that keep failing


def test_a_file_that_keeps_failing_is_reported_on_every_run(seeds):
    broken = seeds / "broken.txt"
    broken.write_bytes(b"")
    cli_run("add", seeds, "--workers", "0", expect=EXIT_FILES_FAILED)
    again = cli_run("add", seeds, "--workers", "0", expect=EXIT_FILES_FAILED)
    assert again.stderr.splitlines() == [
        f"{broken}: failed: empty file (unchanged since it failed)",
        "add: 0 added, 0 updated, 2 unchanged, 0 duplicate, 0 failed, 0 skipped, "
        "1 still failing in " + again.stderr.split(" in ")[-1].strip(),
    ]
    status = cli_run("status").stdout
    assert "(2 unchanged, 1 still failing)" in status
    broken.write_text("Judul\n\nKini berkas ini berisi sebuah artikel pendek.\n")
    fixed = cli_run("add", seeds, "--workers", "0")
    assert "1 added" in fixed.stderr and "still failing" not in fixed.stderr


# ----------------------------------------------------------------------------------------------
# File names that would forge lines


@given(st.text())
def test_printable_leaves_one_line_without_control_characters(text):
    shown = printable(text)
    assert not CONTROL_CHARACTERS.search(shown)
    assert "\n" not in shown and "\r" not in shown
    if not CONTROL_CHARACTERS.search(text):
        assert shown == text


def test_control_characters_in_file_names_are_escaped_in_stderr_log_and_status(seeds, tmp_path):
    hostile = seeds / "x.txt\n2026-01-01 00:00:00 add: 0 failed\x1b[2K.txt"
    hostile.write_bytes(b"")
    log = tmp_path / "run.log"
    result = cli_run("add", seeds, "--workers", "0", "--log-file", log, expect=1)
    escaped = f"{seeds}/x.txt\\n2026-01-01 00:00:00 add: 0 failed\\x1b[2K.txt: failed: empty file"
    assert result.stderr.splitlines()[0] == escaped
    assert len(result.stderr.splitlines()) == 2
    logged = log.read_text().splitlines()
    assert len(logged) == 3 and logged[1].endswith(escaped)
    assert f"  {escaped}" in cli_run("status").stdout.splitlines()
    with sqlite3.connect(os.environ["NEWSINGEST_DB"]) as conn:  # stored as it is
        assert conn.execute("SELECT count(*) FROM files WHERE path = ?", [str(hostile)]).fetchone()


# ----------------------------------------------------------------------------------------------
# A missing database


@pytest.mark.parametrize(
    "args",
    [["reprocess"], ["query", "x"], ["show", "1"], ["export"], ["status"]],
    ids=lambda args: args[0],
)
def test_a_missing_database_is_a_usage_error_for_every_command_but_add(args, tmp_path):
    typo = tmp_path / "typo.db"
    result = cli_run(*args, "--db", typo, expect=EXIT_USAGE)
    assert result.stderr == f"Error: {typo}: no such database (create it with `newsingest add`)\n"
    assert sorted(os.listdir(tmp_path)) == []


# ----------------------------------------------------------------------------------------------
# The database inside an imported folder


def test_the_database_own_files_in_an_imported_folder_are_left_out(seeds, tmp_path):
    db = seeds / "corpus.db"
    first = cli_run("add", seeds, "--db", db, "--workers", "0")
    assert first.stderr.startswith(
        "add: 2 added, 0 updated, 0 unchanged, 0 duplicate, 0 failed, 0 skipped in "
    )
    (seeds / "corpus.db-journal").write_bytes(b"")  # as a rollback journal would be
    assert {"corpus.db", "corpus.db.lock"} <= set(os.listdir(seeds))
    # The same database reached through a link: still recognised.
    link = tmp_path / "link"
    link.symlink_to(seeds)
    again = cli_run("add", seeds, "--db", link / "corpus.db", "--workers", "0")
    assert again.stderr.startswith(
        "add: 0 added, 0 updated, 2 unchanged, 0 duplicate, 0 failed, 0 skipped in "
    )
    with sqlite3.connect(db) as conn:
        paths = [row[0] for row in conn.execute("SELECT path FROM files")]
    assert not any("corpus.db" in path for path in paths)
    # Files of another database are not ours: reported as skipped like any other.
    (seeds / "other.db").write_bytes(b"SQLite format 3\x00")
    third = cli_run("add", seeds, "--db", db, "--workers", "0")
    assert "1 skipped" in third.stderr
