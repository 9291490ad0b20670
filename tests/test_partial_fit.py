"""partial_fit over uneven chunks equals fit, for every statistic that merges."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from skscale import (
    BinaryThresholder,
    Clipper,
    LinearScaler,
    LogTransformer,
    ZScoreScaler,
)

# Each estimator with the fitted attributes its merged statistics determine.
MERGING = [
    (LinearScaler(), ["data_min_", "data_max_", "scale_", "min_"]),
    (LinearScaler(feature_range=(0, 1)), ["scale_", "min_"]),
    (ZScoreScaler(), ["mean_", "var_", "scale_"]),
    (ZScoreScaler(ddof=1), ["mean_", "var_", "scale_"]),
    (LogTransformer(offset="auto"), ["offset_"]),
    (LogTransformer(offset=12.0), ["offset_"]),
    (BinaryThresholder(threshold="mean"), ["threshold_"]),
    (BinaryThresholder(threshold=0.5), ["threshold_"]),
    (Clipper(lower=-1.0, upper=2.0), ["lower_", "upper_"]),
]


def _data(n_rows=3000, seed=0):
    rng = np.random.default_rng(seed)
    X = np.column_stack(
        [
            rng.normal(5.0, 3.0, n_rows),
            rng.lognormal(0.0, 1.5, n_rows),
            rng.standard_cauchy(n_rows).clip(-10, 10),
            np.full(n_rows, 7.25),
        ]
    )
    X[rng.random(X.shape) < 0.08] = np.nan
    X[:40, 1] = np.nan  # a whole first chunk of NaN in one column
    return X


def _uneven_chunks(n_rows, n_chunks=17, seed=1):
    rng = np.random.default_rng(seed)
    cuts = np.sort(rng.choice(np.arange(41, n_rows - 1), n_chunks - 2, replace=False))
    bounds = np.r_[0, 40, cuts, n_rows]
    sizes = np.diff(bounds)
    assert len(sizes) == n_chunks and sizes.min() >= 1 and sizes.max() > 5 * sizes.min()
    return [slice(a, b) for a, b in zip(bounds[:-1], bounds[1:])]


@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
@pytest.mark.parametrize("estimator, attributes", MERGING, ids=lambda e: repr(e))
def test_partial_fit_over_17_uneven_chunks_equals_fit(estimator, attributes, weighted):
    X = _data()
    weight = None
    if weighted:
        weight = np.random.default_rng(2).uniform(0, 3, len(X))
        weight[::7] = 0.0
    whole = type(estimator)(**estimator.get_params()).fit(X, sample_weight=weight)
    chunked = type(estimator)(**estimator.get_params())
    for rows in _uneven_chunks(len(X)):
        chunk_weight = None if weight is None else weight[rows]
        chunked.partial_fit(X[rows], sample_weight=chunk_weight)
    for name in [*attributes, "n_samples_seen_"]:
        actual, expected = getattr(chunked, name), getattr(whole, name)
        # atol: the constant column's variance is rounding noise (~1e-29).
        assert_allclose(actual, expected, rtol=1e-9, atol=1e-12)
    assert_allclose(chunked.transform(X), whole.transform(X), rtol=1e-9, atol=1e-12)
    expected_seen = (~np.isnan(X)).sum(axis=0) if weight is None else None
    if expected_seen is not None:
        assert_allclose(chunked.n_samples_seen_, expected_seen)


def test_fit_resets_what_partial_fit_accumulated():
    X = _data()
    scaler = ZScoreScaler().partial_fit(X[:100] + 100.0).partial_fit(X[100:])
    refit = ZScoreScaler().fit(X)
    scaler.fit(X)
    assert_allclose(scaler.mean_, refit.mean_)
    assert_allclose(scaler.n_samples_seen_, refit.n_samples_seen_)


def test_partial_fit_after_fit_continues():
    X = _data()
    scaler = LinearScaler().fit(X[:1000]).partial_fit(X[1000:])
    assert_allclose(scaler.data_max_, np.nanmax(X, axis=0))


def test_partial_fit_rejects_a_chunk_with_other_features():
    X = _data()
    scaler = ZScoreScaler().partial_fit(X[:100])
    with pytest.raises(ValueError, match="features"):
        scaler.partial_fit(X[100:200, :3])


def test_partial_fit_checks_each_chunk_for_the_log_domain():
    transformer = LogTransformer().partial_fit(np.array([[1.0], [2.0]]))
    with pytest.raises(ValueError, match="Negative values"):
        transformer.partial_fit(np.array([[-3.0]]))


@pytest.mark.parametrize(
    "estimator, attribute",
    [
        (Clipper(quantile_range=(5, 95)), "upper_"),
        (BinaryThresholder(threshold="median"), "threshold_"),
    ],
    ids=repr,
)
def test_quantiles_from_small_chunks_are_exact(estimator, attribute):
    # Fewer values per column than the sketch keeps: nothing is compressed.
    X = _data(n_rows=1500)
    whole = type(estimator)(**estimator.get_params()).fit(X)
    chunked = type(estimator)(**estimator.get_params())
    for rows in _uneven_chunks(len(X)):
        chunked.partial_fit(X[rows])
    assert_allclose(getattr(chunked, attribute), getattr(whole, attribute), rtol=1e-12)


@pytest.mark.parametrize("percent", [5.0, 50.0, 95.0])
def test_sketched_quantiles_of_many_chunks_are_within_the_bound(percent):
    rng = np.random.default_rng(3)
    X = rng.lognormal(0.0, 2.0, size=(60_000, 2))
    clipper = Clipper(quantile_range=(percent, 99.9))
    for rows in np.array_split(np.arange(len(X)), 17):
        clipper.partial_fit(X[rows])
    eps = clipper._summary.sketch.rank_error_bound()
    assert np.all(eps < 0.01)
    ranks = np.mean(clipper.lower_ >= X, axis=0)
    below = np.mean(clipper.lower_ > X, axis=0)
    assert np.all(below <= percent / 100 + eps)
    assert np.all(ranks >= percent / 100 - eps)
    exact = Clipper(quantile_range=(percent, 99.9)).fit(X)
    assert not np.array_equal(exact.lower_, clipper.lower_)  # the sketch was used
    assert np.all(np.abs(exact.lower_ - clipper.lower_) < 0.05 * exact.lower_ + 1e-9)


def test_copy_false_transforms_in_place():
    rng = np.random.default_rng(4)
    for estimator in [
        LinearScaler(copy=False),
        ZScoreScaler(copy=False),
        LogTransformer(copy=False),
        Clipper(lower=0.2, upper=0.8, copy=False),
        BinaryThresholder(threshold="median", copy=False),
    ]:
        X = rng.uniform(size=(50, 3))
        expected = type(estimator)(**estimator.get_params()).fit(X).transform(X.copy())
        out = estimator.fit(X).transform(X)
        assert np.shares_memory(out, X), estimator
        assert_allclose(X, expected)
    X32 = rng.uniform(size=(20, 2)).astype(np.float32)
    out = ZScoreScaler(copy=False).fit(X32).transform(X32)
    assert out.dtype == np.float32 and np.shares_memory(out, X32)
    inverse = ZScoreScaler(copy=False).fit(X32)
    assert np.shares_memory(inverse.inverse_transform(X32), X32)
    copied = ZScoreScaler().fit(X32).transform(X32)
    assert not np.shares_memory(copied, X32)
