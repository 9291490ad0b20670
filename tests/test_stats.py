"""ColumnStats: exact merges, weights, NaN, sparse input counted with its zeros."""

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy import sparse

from skscale._engine._stats import ColumnStats, summarize


def _data(seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(3.0, 2.0, size=(400, 3))
    X[rng.random(X.shape) < 0.1] = np.nan
    X[:, 2] = 0.1  # a constant column whose sum is inexact
    return X


def _assert_stats_equal(a, b, rtol=1e-12):
    for name in ("count", "min", "max", "mean", "m2"):
        assert_allclose(getattr(a, name), getattr(b, name), rtol=rtol, atol=1e-12)


def test_merge_of_chunks_equals_the_whole_with_nan():
    X = _data()
    merged = ColumnStats.empty(3)
    for rows in np.array_split(np.arange(len(X)), 17):
        merged = merged.merge(ColumnStats.from_array(X[rows]))
    whole = ColumnStats.from_array(X)
    _assert_stats_equal(merged, whole)
    assert_allclose(whole.mean[:2], np.nanmean(X[:, :2], axis=0))
    assert_allclose(whole.variance(1)[:2], np.nanvar(X[:, :2], axis=0, ddof=1))
    assert whole.mean[2] == 0.1 and merged.mean[2] == 0.1


def test_weighted_equals_repeated_rows_and_zero_weights_skip_extremes():
    X = _data()
    weight = np.random.default_rng(1).integers(0, 4, len(X))
    weight[np.nanargmax(X[:, 0])] = 0  # the maximum's row has weight 0
    weighted = ColumnStats.from_array(X, sample_weight=weight.astype(float))
    repeated = ColumnStats.from_array(np.repeat(X, weight, axis=0))
    _assert_stats_equal(weighted, repeated)
    assert weighted.max[0] < np.nanmax(X[:, 0])


def test_weighted_merge_equals_weighted_whole():
    X = _data()
    weight = np.random.default_rng(2).uniform(0, 2, len(X))
    merged = ColumnStats.empty(3)
    for rows in np.array_split(np.arange(len(X)), 7):
        chunk = ColumnStats.from_array(X[rows], sample_weight=weight[rows])
        merged = merged.merge(chunk)
    _assert_stats_equal(merged, ColumnStats.from_array(X, sample_weight=weight))


def test_all_nan_column_and_empty_merge():
    X = np.array([[np.nan, 1.0], [np.nan, 3.0]])
    stats = ColumnStats.from_array(X)
    assert np.isnan(stats.mean[0]) and stats.count[0] == 0
    _assert_stats_equal(stats.merge(ColumnStats.empty(2)), stats)
    _assert_stats_equal(ColumnStats.empty(2).merge(stats), stats)


@pytest.mark.parametrize("fmt", ["csr", "csc"])
@pytest.mark.parametrize("weighted", [False, True])
def test_sparse_statistics_count_implicit_zeros(fmt, weighted):
    rng = np.random.default_rng(3)
    X = rng.normal(size=(200, 4))
    X[rng.random(X.shape) < 0.7] = 0.0
    X[rng.random(X.shape) < 0.05] = np.nan
    X[:, 3] = np.where(X[:, 3] != 0, np.abs(X[:, 3]) + 1, 0)  # min is an implicit 0
    weight = rng.integers(0, 3, len(X)).astype(float) if weighted else None
    X_sparse = sparse.csr_matrix(X).asformat(fmt)
    assert X_sparse.nnz < X.size
    percents = [10, 50, 90]
    summary, exact = summarize(X_sparse, weight, percents=percents)
    dense, dense_exact = summarize(X, weight, percents=percents)
    _assert_stats_equal(summary.stats, dense.stats)
    assert summary.stats.min[3] == 0.0
    assert_allclose(exact, dense_exact, rtol=1e-14)
