"""The quantile sketch: its documented rank-error bound, merging, exactness."""

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from skscale._engine._sketch import (
    QuantileSketch,
    points_quantiles,
    sorted_columns,
    stack_quantiles,
)

QUANTILES = np.linspace(0.0, 1.0, 201)


def weighted_percentiles(X, percents, sample_weight=None):
    """Exact weighted per-column percentiles, from the sketch's building blocks
    (weights counted in copies of the smallest positive one)."""
    quantiles = np.asarray(percents, dtype=np.float64) / 100
    unit = None
    if sample_weight is not None:
        unit = sample_weight[sample_weight > 0].min()
    columns = sorted_columns(X, sample_weight)
    return stack_quantiles(columns, quantiles, X.shape[1], unit=unit)


def _ranks(X, estimates):
    """Fraction of each column strictly below / at most each estimate."""
    below = np.empty_like(estimates)
    at_most = np.empty_like(estimates)
    for j in range(X.shape[1]):
        column = np.sort(X[:, j][~np.isnan(X[:, j])])
        below[:, j] = np.searchsorted(column, estimates[:, j], side="left")
        at_most[:, j] = np.searchsorted(column, estimates[:, j], side="right")
    n = (~np.isnan(X)).sum(axis=0)
    return below / n, at_most / n


def _sketch_in_chunks(X, n_chunks, k, *, tree=False, seed=0):
    rng = np.random.default_rng(seed)
    cuts = np.sort(rng.choice(np.arange(1, len(X)), n_chunks - 1, replace=False))
    sketches = [QuantileSketch.from_array(c, k=k) for c in np.split(X, cuts)]
    if not tree:
        merged = sketches[0]
        for sketch in sketches[1:]:
            merged = merged.merge(sketch)
        return merged
    while len(sketches) > 1:
        sketches = [
            a.merge(b) if b is not None else a
            for a, b in zip(sketches[::2], sketches[1::2] + [None])
        ]
    return sketches[0]


DISTRIBUTIONS = {
    "lognormal": lambda rng, n: rng.lognormal(0.0, 2.5, n),
    "pareto": lambda rng, n: rng.pareto(0.8, n),
    "cauchy": lambda rng, n: rng.standard_cauchy(n),
    "ties": lambda rng, n: rng.poisson(2.0, n).astype(float),
}


@pytest.mark.parametrize("tree", [False, True], ids=["sequential", "tree"])
@pytest.mark.parametrize("name", DISTRIBUTIONS)
def test_rank_error_within_documented_bound(name, tree):
    rng = np.random.default_rng(7)
    X = np.column_stack([DISTRIBUTIONS[name](rng, 40_000) for _ in range(2)])
    X[rng.random(X.shape) < 0.05] = np.nan
    k, n_chunks = 128, 50
    sketch = _sketch_in_chunks(X, n_chunks, k, tree=tree)
    n = (~np.isnan(X)).sum(axis=0)
    # The a-priori bound: rank_error_ <= (number of levels) * W / k.
    assert np.all(sketch.rank_error_ > 0)  # it did compress
    assert np.all(sketch.rank_error_ <= len(sketch.levels) * n / k)
    assert len(sketch.levels) <= 1 + np.ceil(np.log2(n_chunks))
    eps = sketch.rank_error_bound()
    assert_allclose(eps, (sketch.rank_error_ + 1) / n)
    estimates = sketch.quantiles(QUANTILES)
    below, at_most = _ranks(X, estimates)
    q = QUANTILES[:, None]
    slack = 1e-12
    assert np.all(below <= q + eps + slack)
    assert np.all(at_most >= q - eps - slack)
    # The bound is not vacuous: the worst observed error is a sizable part of it.
    worst = np.maximum(below - q, q - at_most).max()
    assert worst > 0.05 * eps.max()


def test_weighted_rank_error_within_bound():
    rng = np.random.default_rng(8)
    X = rng.lognormal(0.0, 2.0, size=(30_000, 1))
    weight = rng.exponential(1.0, len(X))
    parts = np.array_split(np.arange(len(X)), 23)
    sketch = QuantileSketch.from_array(X[parts[0]], weight[parts[0]], k=100)
    for rows in parts[1:]:
        sketch = sketch.merge(QuantileSketch.from_array(X[rows], weight[rows], k=100))
    eps = sketch.rank_error_bound()[0]
    assert_allclose(sketch.total_weight(), [weight.sum()])
    order = np.argsort(X[:, 0])
    values, cumulative = X[order, 0], np.cumsum(weight[order])
    for q, estimate in zip(QUANTILES, sketch.quantiles(QUANTILES)[:, 0]):
        below = cumulative[np.searchsorted(values, estimate, "left") - 1]
        below = below if np.searchsorted(values, estimate, "left") > 0 else 0.0
        at_most = cumulative[np.searchsorted(values, estimate, "right") - 1]
        assert below / weight.sum() <= q + eps + 1e-12
        assert at_most / weight.sum() >= q - eps - 1e-12


def test_small_data_is_exact_and_equals_np_percentile():
    rng = np.random.default_rng(9)
    X = rng.normal(size=(500, 3))
    X[rng.random(X.shape) < 0.1] = np.nan
    sketch = _sketch_in_chunks(X, 9, k=2048)
    assert_array_equal(sketch.rank_error_, 0.0)
    expected = np.nanpercentile(X, QUANTILES * 100, axis=0)
    assert_allclose(sketch.quantiles(QUANTILES), expected, rtol=1e-13, atol=1e-15)


def test_weighted_percentiles_equal_np_percentile_and_repetition():
    rng = np.random.default_rng(10)
    X = rng.exponential(size=(301, 3))
    X[rng.random(X.shape) < 0.1] = np.nan
    percents = [0, 1, 12.5, 50, 87.5, 99, 100]
    assert_array_equal(
        weighted_percentiles(X, percents), np.nanpercentile(X, percents, axis=0)
    )
    weight = rng.integers(0, 5, len(X))
    repeated = np.repeat(X, weight, axis=0)
    assert_allclose(
        weighted_percentiles(X, percents, weight.astype(float)),
        np.nanpercentile(repeated, percents, axis=0),
        rtol=1e-14,
    )


def test_points_quantiles_exact_numbers():
    values = np.array([1.0, 2.0, 10.0])
    weights = np.array([1.0, 2.0, 1.0])  # the data 1, 2, 2, 10
    assert_allclose(
        points_quantiles(values, weights, [0.0, 0.5, 0.75, 1.0]), [1, 2, 4, 10]
    )
    assert np.isnan(points_quantiles(np.empty(0), np.empty(0), [0.5])).all()


def test_merge_leaves_its_operands_unchanged():
    rng = np.random.default_rng(11)
    a = QuantileSketch.from_array(rng.normal(size=(300, 1)), k=64)
    b = QuantileSketch.from_array(rng.normal(size=(300, 1)), k=64)
    before = a.quantiles([0.5]).copy(), a.rank_error_.copy()
    merged = a.merge(b).merge(a)
    assert_array_equal(a.quantiles([0.5]), before[0])
    assert_array_equal(a.rank_error_, before[1])
    assert_allclose(merged.total_weight(), [900.0])
