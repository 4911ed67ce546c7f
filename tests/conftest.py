"""Shared fixtures: every test gets its own database location, never the user's."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
SEEDS = DATA / "seeds"
SEED_000 = SEEDS / "000_711718d73377f876.txt"
SEED_002 = SEEDS / "002_48cacc80b9f457c0.txt"
# The installed console script, for tests that run the command as a user does.
SCRIPT = shutil.which("newsingest", path=os.path.dirname(sys.executable))


def start_script(args, db, **kwargs) -> subprocess.Popen:
    """The console script started on ``db`` (output captured as text); the caller waits."""
    env = {**os.environ, "NEWSINGEST_DB": str(db)}
    return subprocess.Popen(
        [SCRIPT, *map(str, args)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,
    )


@pytest.fixture(autouse=True, scope="session")
def isolated_model_cache(tmp_path_factory):
    """Built models are cached in a folder of the test session, never the user's cache."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NEWSINGEST_CACHE", str(tmp_path_factory.mktemp("model-cache")))
        yield


@pytest.fixture(autouse=True)
def isolated_db(tmp_path, monkeypatch):
    """Point NEWSINGEST_DB at a fresh file so no test touches ./newsingest.db."""
    db = tmp_path / "corpus.db"
    monkeypatch.setenv("NEWSINGEST_DB", str(db))
    return db


@pytest.fixture(scope="session")
def resources():
    """The pipeline's shared state, built once for the whole test session."""
    from newsingest.pipeline import load_resources

    return load_resources()


@pytest.fixture
def seeds(tmp_path):
    """A folder named `seeds` holding the two seed articles."""
    folder = tmp_path / "seeds"
    shutil.copytree(SEEDS, folder)
    return folder


def write_articles(folder: Path, count: int, start: int = 0) -> list[Path]:
    """Write ``count`` distinct plain-text articles into ``folder`` (varied copies of a seed).

    Every line carries the article's number, so no line recurs across articles: nothing in
    them looks like boilerplate.
    """
    folder.mkdir(parents=True, exist_ok=True)
    base = SEED_002.read_text(encoding="utf-8").split("\n\n")
    paragraphs = [p.strip() for p in base[1:] if p.strip() and not p.startswith("Ketika")]
    paths = []
    for number in range(start, start + count):
        title = f"Laporan {number}: {base[0].strip()}"
        shift = number % len(paragraphs)
        chosen = (paragraphs[shift:] + paragraphs[:shift])[: 3 + number % 4]
        body = "\n\n".join(f"{p} (Catatan {number}.{i}.)" for i, p in enumerate(chosen))
        path = folder / f"article_{number:05d}.txt"
        path.write_text(f"{title}\n\n{body}\n", encoding="utf-8")
        paths.append(path)
    return paths
