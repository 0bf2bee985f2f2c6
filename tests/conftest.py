"""Fixtures shared by the test modules: the seed analysed once per session, in each mode."""

import pytest

from newslens import context
from newslens.config import SEEDS
from newslens.pipeline import analyse


@pytest.fixture(scope="session")
def seed_analysis():
    """The seed in the default mode, without the article cache: tables are made on first
    use and kept for every test that reads them (none may change them)."""
    return analyse(SEEDS, cache=False)


@pytest.fixture(scope="session")
def seed_fast():
    return analyse(SEEDS, cache=False, sentiment="fast")


@pytest.fixture(scope="session")
def accurate():
    """A context in the default mode, for the functions that score loose sentences."""
    return context.make()


@pytest.fixture(scope="session")
def fast():
    return context.make(sentiment="fast")
