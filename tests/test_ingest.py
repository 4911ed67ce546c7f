"""The import loop: walking, incremental skipping, bad input, order-independent results."""

import gc
import json
import os
import sqlite3

import pytest

from newsingest import ingest
from newsingest.ingest import Callbacks, Options
from newsingest.store import open_store

from .conftest import write_articles


def _add(db, paths, problems=None, **options):
    store = open_store(db, write=True)
    run_id = store.start_run("add", {})
    callbacks = Callbacks(problem=lambda *p: problems.append(p)) if problems is not None else None
    report = ingest.add(store, [str(p) for p in paths], Options(**options), run_id, callbacks)
    store.close()
    return report


def _rows(db, sql):
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def test_walk_is_sorted_recursive_and_skips_hidden(tmp_path):
    for name in ["b/2.txt", "a/1.txt", "a/c/3.txt", ".git/x.txt", "a/.hidden.txt", "0.txt"]:
        path = tmp_path / "in" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")
    found = [os.path.relpath(c.path, tmp_path / "in") for c in ingest.walk([str(tmp_path / "in")])]
    assert found == ["0.txt", "a/1.txt", "a/c/3.txt", "b/2.txt"]


def test_source_defaults_to_the_parent_folder_name(tmp_path):
    write_articles(tmp_path / "kompas", 1)
    candidate = next(ingest.walk([str(tmp_path / "kompas")]))
    assert candidate.source == "kompas"
    assert next(ingest.walk([str(tmp_path / "kompas")], "mine")).source == "mine"


def test_a_folder_given_twice_is_walked_once(tmp_path):
    folder = tmp_path / "news"
    write_articles(folder, 2)
    roots, notes = ingest.plan_roots([str(folder), str(folder / "."), str(folder / "sub")])
    assert roots == [str(folder)]
    assert len(notes) == 2
    roots, notes = ingest.plan_roots([str(folder / "article_00000.txt"), str(folder)])
    assert roots == [str(folder)]


def test_adding_twice_adds_nothing_and_reads_nothing(tmp_path, isolated_db, monkeypatch):
    folder = tmp_path / "news"
    write_articles(folder, 5)
    first = _add(isolated_db, [folder])
    assert first.counts["added"] == 5
    columns = "id, title, body, raw, language, published, content_hash, first_seen"
    before = _rows(isolated_db, f"SELECT {columns} FROM articles ORDER BY id")

    def no_reading(*args, **kwargs):
        raise AssertionError("an unchanged file was opened")

    monkeypatch.setattr(ingest, "_read_bounded", no_reading)
    second = _add(isolated_db, [folder])
    assert second.counts["unchanged"] == 5 and second.counts["added"] == 0
    assert _rows(isolated_db, f"SELECT {columns} FROM articles ORDER BY id") == before


def test_touched_but_identical_file_is_unchanged(tmp_path, isolated_db):
    folder = tmp_path / "news"
    (path,) = write_articles(folder, 1)
    _add(isolated_db, [folder])
    os.utime(path, ns=(1, 1))
    report = _add(isolated_db, [folder])
    assert report.counts["unchanged"] == 1
    assert _rows(isolated_db, "SELECT mtime_ns FROM files") == [(1,)]


def test_a_changed_file_updates_its_article(tmp_path, isolated_db):
    folder = tmp_path / "news"
    (path,) = write_articles(folder, 1)
    _add(isolated_db, [folder])
    path.write_text("Judul baru sama sekali\n\nIsi yang baru tentang Mosul dan Aleppo.\n")
    report = _add(isolated_db, [folder])
    assert report.counts["updated"] == 1
    assert _rows(isolated_db, "SELECT id, title FROM articles") == [(1, "Judul baru sama sekali")]


def test_same_text_in_two_files_is_one_article_linked_to_both(tmp_path, isolated_db):
    folder = tmp_path / "news"
    (path,) = write_articles(folder, 1)
    (folder / "copy.txt").write_bytes(path.read_bytes())
    report = _add(isolated_db, [folder])
    assert report.counts["added"] == 1 and report.counts["duplicate"] == 1
    assert _rows(isolated_db, "SELECT count(*) FROM articles") == [(1,)]
    assert _rows(isolated_db, "SELECT count(DISTINCT article_id), count(*) FROM files") == [(1, 2)]


def test_a_vanished_file_is_reported_and_its_article_kept(tmp_path, isolated_db):
    folder = tmp_path / "news"
    paths = write_articles(folder, 2)
    _add(isolated_db, [folder])
    paths[0].unlink()
    problems = []
    report = _add(isolated_db, [folder], problems)
    assert report.counts["missing"] == 1
    assert problems[0][1] == "missing"
    assert _rows(isolated_db, "SELECT count(*) FROM articles") == [(2,)]
    assert _rows(isolated_db, "SELECT status FROM files ORDER BY path") == [
        ("missing",),
        ("stored",),
    ]


def test_results_do_not_depend_on_the_number_of_workers(tmp_path):
    folder = tmp_path / "news"
    write_articles(folder, 12)
    (folder / "dup.txt").write_bytes((folder / "article_00003.txt").read_bytes())
    dbs = []
    for workers in (0, 2):
        db = tmp_path / f"w{workers}.db"
        _add(db, [folder], workers=workers)
        dbs.append(_rows(db, "SELECT id, title, body, language, content_hash FROM articles"))
        dbs.append(_rows(db, "SELECT path, article_id, status FROM files ORDER BY path"))
    assert dbs[0] == dbs[2] and dbs[1] == dbs[3]


class _FrozenObjects:
    """A task reporting how many objects the worker's garbage collector leaves alone."""

    def run(self, resources):
        return gc.get_freeze_count()


def test_forked_workers_find_the_loaded_models_frozen_and_the_run_unfreezes_them():
    runner = ingest._Runner(2)
    try:
        counts = list(runner.map([_FrozenObjects() for _ in range(4)], chunk=1))
    finally:
        runner.close()
    # without the freeze a worker's collector would walk (and copy) every inherited object
    assert min(counts) > 0
    assert gc.get_freeze_count() == 0


def test_file_over_max_bytes_is_not_read(tmp_path, isolated_db, monkeypatch):
    folder = tmp_path / "news"
    write_articles(folder, 1)
    big = folder / "big.txt"
    with open(big, "wb") as handle:  # sparse: 3 GB on paper, nothing on disk
        handle.truncate(3 * 1024**3)
    problems = []
    report = _add(isolated_db, [folder], problems, max_bytes=1024 * 1024)
    assert report.counts["failed"] == 1 and report.counts["added"] == 1
    assert problems[0][0].endswith("big.txt") and "over --max-bytes" in problems[0][2]


def test_broken_symlink_and_loop_are_reported(tmp_path, isolated_db):
    folder = tmp_path / "news"
    write_articles(folder, 1)
    (folder / "broken.txt").symlink_to(tmp_path / "nowhere.txt")
    (folder / "loop").symlink_to(folder)
    (folder / "self.txt").symlink_to(folder / "self.txt")
    problems = []
    report = _add(isolated_db, [folder], problems)
    reasons = {os.path.basename(p[0]): p[2] for p in problems}
    assert reasons == {
        "broken.txt": "broken symbolic link",
        "loop": "symbolic link loop",
        "self.txt": "symbolic link loop",
    }
    assert report.counts["added"] == 1 and report.counts["failed"] == 3


def test_file_name_that_is_not_utf8(tmp_path, isolated_db):
    folder = tmp_path / "news"
    (path,) = write_articles(folder, 1)
    odd = os.path.join(os.fsencode(folder), b"caf\xe9.txt")
    with open(odd, "wb") as handle:
        handle.write(path.read_bytes().replace(b"Laporan", b"Liputan"))
    report = _add(isolated_db, [folder])
    assert report.counts["added"] == 2
    assert ("caf\\xe9.txt",) in [
        (os.path.basename(p),) for (p,) in _rows(isolated_db, "SELECT path FROM files")
    ]
    assert _add(isolated_db, [folder]).counts["unchanged"] == 2


def test_a_file_vanishing_during_the_run_is_unreadable(tmp_path):
    candidate = ingest.Candidate(str(tmp_path / "gone.txt"), str(tmp_path / "gone.txt"), "s", 5, 1)
    result = ingest.FileTask(candidate, None, 1000).run(None)
    assert (result.status, result.reason) == ("unreadable", "file vanished")


def test_a_file_changing_while_read_is_unreadable(tmp_path, monkeypatch):
    (path,) = write_articles(tmp_path, 1)
    real_fstat = os.fstat
    calls = []

    def growing(fd):
        calls.append(fd)
        result = real_fstat(fd)
        if len(calls) > 1:
            return os.stat_result((*result[:6], result.st_size + 10, *result[7:]))
        return result

    monkeypatch.setattr(ingest.os, "fstat", growing)
    candidate = ingest.Candidate(str(path), str(path), "s")
    result = ingest.FileTask(candidate, None, 10**6).run(None)
    assert (result.status, result.reason) == ("unreadable", "file changed while it was read")


def test_a_fifo_does_not_hang_the_run(tmp_path, isolated_db):
    folder = tmp_path / "news"
    write_articles(folder, 1)
    os.mkfifo(folder / "pipe.txt")
    problems = []
    report = _add(isolated_db, [folder], problems)
    assert report.counts["added"] == 1
    assert problems == [(str(folder / "pipe.txt"), "unreadable", "not a regular file")]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("empty.txt", b""),
        ("blank.txt", b" \n\t\r\n  "),
        ("nul.txt", b"abc\x00def" * 10),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4),
    ],
)
def test_bad_content_is_a_failed_file_and_the_run_goes_on(tmp_path, isolated_db, name, content):
    folder = tmp_path / "news"
    write_articles(folder, 1)
    (folder / name).write_bytes(content)
    problems = []
    report = _add(isolated_db, [folder], problems)
    assert report.counts["added"] == 1 and report.counts["failed"] == 1
    assert problems[0][0].endswith(name) and problems[0][1] == "failed" and problems[0][2]
    status, error = _rows(
        isolated_db, f"SELECT status, error FROM files WHERE path LIKE '%{name}'"
    )[0]
    assert status == "failed" and error == problems[0][2]
    assert report.exit_code == 1


def test_unsupported_files_are_skipped_not_failed(tmp_path, isolated_db):
    folder = tmp_path / "news"
    write_articles(folder, 1)
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0")
    report = _add(isolated_db, [folder])
    assert report.counts["skipped"] == 1 and report.counts["failed"] == 0
    assert report.exit_code == 0


def test_a_file_failing_later_keeps_its_article(tmp_path, isolated_db):
    folder = tmp_path / "news"
    (path,) = write_articles(folder, 1)
    _add(isolated_db, [folder])
    path.write_bytes(b"")
    report = _add(isolated_db, [folder])
    assert report.counts["failed"] == 1
    assert _rows(isolated_db, "SELECT count(*) FROM articles") == [(1,)]
    assert _rows(isolated_db, "SELECT article_id, status FROM files") == [(1, "failed")]


def test_reprocess_keeps_ids_and_rebuilds_derived_rows(tmp_path, isolated_db):
    folder = tmp_path / "news"
    write_articles(folder, 3)
    _add(isolated_db, [folder])
    before = _rows(isolated_db, "SELECT id, title, body FROM articles ORDER BY id")
    with sqlite3.connect(isolated_db) as conn:
        conn.execute("UPDATE articles SET title = 'stale', body = 'stale'")
        conn.execute("DELETE FROM dates")
    store = open_store(isolated_db, write=True)
    report = ingest.reprocess(store, Options())
    assert report.counts["updated"] == 3
    assert _rows(isolated_db, "SELECT id, title, body FROM articles ORDER BY id") == before
    assert store.integrity_errors() == []


def test_learned_boilerplate_does_not_depend_on_file_order(tmp_path):
    footer = "Ikuti kami di media sosial untuk berita terbaru setiap hari."
    folder = tmp_path / "portal"
    paths = write_articles(folder, 12)
    for path in paths:
        path.write_text(path.read_text() + footer + "\n")
    results = []
    for order, db in (("forward", tmp_path / "a.db"), ("backward", tmp_path / "b.db")):
        listed = paths if order == "forward" else list(reversed(paths))
        _add(db, listed)
        results.append(
            sorted(
                _rows(
                    db, "SELECT f.path, a.body FROM articles a JOIN files f ON f.article_id = a.id"
                )
            )
        )
    assert results[0] == results[1]


def test_an_import_learns_a_sources_closing_tags_and_separators(tmp_path):
    words = ["hujan", "pasar", "jalan", "kota", "sungai", "sekolah", "kebun", "pantai"]
    folder = tmp_path / "portal"
    paths = write_articles(folder, 12)
    for number, path in enumerate(paths):
        text = path.read_text().rstrip("\n")
        head, sep, rest = text.partition("\n\n")
        rest = rest.replace(".)\n\n", ".) ◆◆◆◆◆\n\n", 1)
        tail = f" Kata kunci {words[number % 8]} {words[(number * 3 + 1) % 8]}\n"
        path.write_text(head + sep + rest + tail)
    db = tmp_path / "n.db"
    _add(db, [folder])
    bodies = [body for (body,) in _rows(db, "SELECT body FROM articles")]
    assert len(bodies) == 12
    assert not [b for b in bodies if "Kata kunci" in b or "◆" in b]
    assert all(b.rstrip().endswith(".)") for b in bodies)  # the story's own text stays
    reasons = {r for (r,) in _rows(db, "SELECT DISTINCT reason FROM removed")}
    assert {"learned-ending", "learned-separator"} <= reasons


def test_an_import_learns_a_sources_credit_tags_by_their_shape(tmp_path):
    desks = ["abd/wdi", "bbn/rhm", "has/ktr", "vit/up", "nim/kru", "mro/jub", "tas/red", "ben/sar"]
    folder = tmp_path / "portal"
    paths = write_articles(folder, 12)
    for number, path in enumerate(paths):
        # no two stories share the names: only the build "(a:a/a)" recurs
        first, second = desks[number % 8].split("/")
        tag = f"(naskah: {first}{'x' * (number // 8)}/{second})"
        path.write_text(path.read_text().rstrip("\n") + f" {tag}\n")
    db = tmp_path / "n.db"
    _add(db, [folder])
    bodies = [body for (body,) in _rows(db, "SELECT body FROM articles")]
    assert len(bodies) == 12
    assert all(b.rstrip().endswith(".)") for b in bodies)  # the numbered notes stay
    removed = _rows(db, "SELECT text FROM removed WHERE reason = 'learned-shape'")
    assert len(removed) == 12 and all(text.startswith("(naskah: ") for (text,) in removed)


def test_records_left_out_of_a_jsonl_file_stay_reported_while_it_is_unchanged(tmp_path):
    db = tmp_path / "c.db"
    path = tmp_path / "in" / "dump.jsonl"
    path.parent.mkdir()
    good = [{"title": f"Berita {n}", "text": f"Isi berita nomor {n} tentang banjir."} for n in "ab"]
    lines = [json.dumps(good[0]), '{"title": "tanpa isi"}', json.dumps(good[1]), '{"text": "cut']
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems: list = []
    first = _add(db, [tmp_path / "in"], problems, workers=0)
    assert (first.counts["added"], first.counts["failed"], first.exit_code) == (2, 2, 1)
    assert [p[2] for p in problems] == [
        "line 2: no article text",
        "line 4: invalid JSON (Unterminated string starting at, column 10)",
    ]
    failed = _rows(db, "SELECT error FROM files WHERE status = 'failed' ORDER BY record")
    assert failed == [(problems[0][2],), (problems[1][2],)]  # `status` lists them
    problems.clear()
    again = _add(db, [tmp_path / "in"], problems, workers=0)
    assert (again.counts["still_failing"], again.exit_code) == (1, 1)
    assert problems and problems[0][2].endswith("(unchanged since it failed)")
    path.write_text("\n".join(lines[::2]) + "\n", encoding="utf-8")  # the bad lines removed
    fixed = _add(db, [tmp_path / "in"], [], workers=0)
    assert (fixed.counts["failed"], fixed.exit_code) == (0, 0)
    assert _rows(db, "SELECT count(*) FROM files WHERE status = 'failed'") == [(0,)]


def test_a_json_record_date_its_article_does_not_get_is_named(tmp_path):
    db = tmp_path / "c.db"
    path = tmp_path / "in" / "dump.jsonl"
    path.parent.mkdir()
    text = "Isi berita nomor {} tentang banjir yang melanda kota pada pekan ini, kata warga."
    dates = [
        {"date_publish": "2023-12-31 10:00:00"},
        {"datePublished": "2023-02-29"},
        {"date": "31/12/2023"},
        {"date_publish": "2921-01-05 10:00:00"},  # a typo for 2021: no story is dated so
        {"date": 0},  # a zeroed epoch: "no date", nothing to tell
        {"date": "Senin, 4/3/2024"},
    ]
    records = [{"title": f"Berita {n}", "text": text.format(n), **d} for n, d in enumerate(dates)]
    records[5]["text"] = "JAKARTA, 4/3/2024 - " + records[5]["text"]
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    problems: list = []
    report = _add(db, [tmp_path / "in"], problems, workers=0)
    assert (report.counts["added"], report.exit_code) == (6, 0)  # told, not failed
    said = [(where.rsplit(" ", 1)[-1], reason) for where, status, reason in problems
            if status == "date not used"]
    assert said == [
        ("2)", "'2023-02-29' (json:datePublished): not a day on the calendar; "
               "the article is not dated"),
        ("3)", "'31/12/2023' (json:date): not ISO 8601, RFC 2822 or epoch seconds; "
               "the article is not dated"),
        ("4)", "'2921-01-05T10:00:00' (json:date_publish): in the future; "
               "the article is not dated"),
        ("6)", "'Senin, 4/3/2024' (json:date): not ISO 8601, RFC 2822 or epoch seconds; "
               "the article is dated 2024-03-04 from its text"),
    ]
    assert _rows(db, "SELECT published FROM articles ORDER BY id")[0] == ("2023-12-31",)
    problems.clear()
    _add(db, [tmp_path / "in"], problems, workers=0)  # unchanged: nothing new to say
    assert not [p for p in problems if p[1] == "date not used"]
