"""The model cache: a mapped, built model is the very model built from the shipped files, and
a cache that is missing, damaged, turned off or unwritable only costs time."""

import dataclasses
import os
import time

import numpy as np
import pytest

from newsingest import language, model_cache


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("NEWSINGEST_CACHE", str(folder))
    return folder


def _assert_same(a, b):
    for item in dataclasses.fields(a):
        x, y = getattr(a, item.name), getattr(b, item.name)
        if isinstance(x, np.ndarray):
            assert x.dtype == y.dtype and x.shape == y.shape, item.name
            assert np.array_equal(x, y), item.name
        elif dataclasses.is_dataclass(x):
            _assert_same(x, y)
        elif hasattr(x, "items"):
            assert dict(x) == dict(y), item.name
        else:
            assert x == y, item.name


def test_the_mapped_language_model_is_the_model_built_from_the_shipped_tables(cache):
    built = language._model_from_shipped()
    first = language.load_model()  # builds and writes the cache
    assert len(list(cache.iterdir())) == 1
    mapped = language.load_model()  # maps it
    _assert_same(built, first)
    _assert_same(built, mapped)
    assert type(mapped.words.ratio).__name__ == "mappingproxy"
    text = "Pemerintah daerah menyiapkan bantuan bagi warga yang terdampak banjir."
    assert language.identify(text, mapped) == language.identify(text, built)


def test_a_damaged_cache_file_is_built_again(cache):
    language.load_model()
    (path,) = cache.iterdir()
    path.write_bytes(path.read_bytes()[:1000])
    _assert_same(language.load_model(), language._model_from_shipped())
    assert path.stat().st_size > 1_000_000  # replaced by a whole one


def test_an_empty_cache_file_is_built_again(cache):
    language.load_model()
    (path,) = cache.iterdir()
    path.write_bytes(b"")
    _assert_same(language.load_model(), language._model_from_shipped())


def test_off_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSINGEST_CACHE", "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert model_cache.cache_dir() is None
    _assert_same(language.load_model(), language._model_from_shipped())
    assert not (tmp_path / "xdg").exists()


def test_an_unwritable_cache_folder_only_costs_time(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("NEWSINGEST_CACHE", str(blocker / "cache"))
    _assert_same(language.load_model(), language._model_from_shipped())


def test_without_a_setting_the_cache_follows_xdg(tmp_path, monkeypatch):
    monkeypatch.delenv("NEWSINGEST_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert model_cache.cache_dir() == tmp_path / "newsingest"


def test_a_changed_source_file_names_a_new_cache_file(tmp_path, cache):
    source = tmp_path / "table.bin"
    source.write_bytes(b"one")
    first = model_cache.cache_path("m", [source])
    source.write_bytes(b"three")
    assert model_cache.cache_path("m", [source]) != first
    built = []

    def build():
        built.append(1)
        return b"built"

    assert model_cache.load("m", [source], build, bytes) == b"built"
    assert model_cache.load("m", [source], build, bytes) == b"built"
    assert built == [1]  # the second came from the file
    assert oct(os.stat(model_cache.cache_path("m", [source])).st_mode & 0o777) == "0o644"


def test_the_cached_gazetteer_is_the_one_parsed_from_the_shipped_file(cache):
    from importlib import resources

    from newsingest.places import gazetteer

    shipped = resources.files("newsingest").joinpath("data", gazetteer.DATA_FILE)
    parsed = gazetteer._read(shipped)
    gazetteer.load()
    cached = gazetteer.load()
    assert len([p for p in cache.iterdir() if p.name.startswith("gazetteer-")]) == 1
    for slot in gazetteer.Gazetteer.__slots__:
        a, b = getattr(parsed, slot), getattr(cached, slot)
        if slot in ("lat", "lon"):  # NaN marks an unknown coordinate: compare the bytes
            assert a.tobytes() == b.tobytes()
        else:
            assert a == b, slot
    assert cached.candidates("jakarta") == parsed.candidates("jakarta")


def _aged(path, days, now):
    path.write_bytes(b"x")
    os.utime(path, (now - days * 86400, now - days * 86400))
    return path


def test_writing_a_cache_file_removes_what_older_versions_left_unused(tmp_path, cache):
    source = tmp_path / "table.bin"
    source.write_bytes(b"model")
    cache.mkdir()
    now = time.time()
    stale = _aged(cache / "m-0123456789abcdef.bin", model_cache.STALE_AFTER_DAYS + 1, now)
    in_use = _aged(cache / "m-fedcba9876543210.bin", model_cache.STALE_AFTER_DAYS - 1, now)
    other_model = _aged(cache / "mm-0123456789abcdef.bin", 400, now)
    not_ours = _aged(cache / "m-notes.txt", 400, now)
    abandoned = _aged(cache / ".m-0123456789abcdef.bin.k2j4", 2, now)
    being_written = _aged(cache / ".m-fedcba9876543210.bin.a8x1", 0.001, now)

    assert model_cache.load("m", [source], lambda: b"built", bytes) == b"built"

    assert model_cache.cache_path("m", [source]).exists()
    assert not stale.exists() and not abandoned.exists()
    assert in_use.exists() and other_model.exists() and not_ours.exists()
    assert being_written.exists()


def test_mapping_a_cache_file_marks_it_used(tmp_path, cache):
    source = tmp_path / "table.bin"
    source.write_bytes(b"model")
    model_cache.load("m", [source], lambda: b"built", bytes)
    path = model_cache.cache_path("m", [source])
    old = time.time() - (model_cache.STALE_AFTER_DAYS + 5) * 86400
    os.utime(path, (old, old))

    assert model_cache.load("m", [source], lambda: b"rebuilt", bytes) == b"built"
    assert time.time() - path.stat().st_mtime < 3600
    assert model_cache.remove_stale(cache / "m-0000000000000000.bin") == []


def test_a_cache_folder_that_cannot_be_listed_removes_nothing(tmp_path):
    assert model_cache.remove_stale(tmp_path / "missing" / "m-0123456789abcdef.bin") == []
