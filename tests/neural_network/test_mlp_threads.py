"""Training small networks on one BLAS thread, restored afterwards."""

import numpy as np
import pytest
from threadpoolctl import threadpool_info

from skscale import DropoutMLPRegressor
from skscale.neural_network import _threads


def blas_threads():
    counts = [p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"]
    if not counts:
        pytest.skip("no BLAS library seen by threadpoolctl")
    return counts


class Recording(DropoutMLPRegressor):
    """Records the BLAS thread counts at the end of every epoch."""

    def _end_epoch(self, *args):
        self.seen_.append(blas_threads())
        super()._end_epoch(*args)


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(100, 4))
    return X, X[:, 0] - X[:, 1]


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_small_network_trains_on_one_blas_thread_then_restores(data):
    before = blas_threads()
    model = Recording((8,), max_iter=3, random_state=0)
    model.seen_ = []
    model.fit(*data)
    assert model.seen_ and all(c == [1] * len(c) for c in model.seen_)
    assert blas_threads() == before


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_large_products_keep_the_threads(data, monkeypatch):
    monkeypatch.setattr(_threads, "SMALL_PRODUCT", 0)
    before = blas_threads()
    model = Recording((8,), max_iter=2, random_state=0)
    model.seen_ = []
    model.fit(*data)
    assert all(c == before for c in model.seen_)


def test_overlapping_fits_restore_the_original_count_once():
    before = blas_threads()
    first = _threads.blas_threads_for(1)
    second = _threads.blas_threads_for(1)
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)  # the other fit still trains
    assert blas_threads() == [1] * len(before)
    second.__exit__(None, None, None)
    assert blas_threads() == before
