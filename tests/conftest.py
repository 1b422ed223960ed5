import numpy as np
import pytest

import minicnn


@pytest.fixture(params=["numpy", "numba"])
def backend(request):
    """Run the test once per backend; restores the previous backend afterwards."""
    with minicnn.use_backend(request.param):
        yield request.param


@pytest.fixture
def rng():
    return np.random.default_rng(1234)


@pytest.fixture(autouse=True)
def _seeded():
    """Every test starts from the same global minicnn seed (repeatable initial weights)."""
    minicnn.set_seed(0)
    yield
