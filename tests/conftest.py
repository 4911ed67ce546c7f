"""Shared fixtures: every test gets its own database location, never the user's."""

from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
SEEDS = DATA / "seeds"


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
