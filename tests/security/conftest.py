import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def empty_cache(db):
    """Log-in failure counts live in the cache; every test starts with none."""
    cache.clear()
    yield
    cache.clear()
