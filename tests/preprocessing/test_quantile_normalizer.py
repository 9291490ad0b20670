"""QuantileNormalizer: equal to QuantileTransformer where both are exact, and more."""

import math

import numpy as np
import pytest
from scipy import stats
from sklearn.preprocessing import QuantileTransformer

from skscale.preprocessing import QuantileNormalizer


def _data(seed=0, n=2_000):
    rng = np.random.default_rng(seed)
    X = np.column_stack(
        [
            rng.lognormal(size=n),
            rng.normal(size=n),
            np.round(rng.exponential(size=n)),  # ties: CDF steps
        ]
    )
    X[rng.random(n) < 0.05, 1] = np.nan
    return X


def _new_rows(seed=1):
    rng = np.random.default_rng(seed)
    X = rng.lognormal(size=(300, 3)) * 2 - 1
    X[0] = [1e6, 1e6, 1e6]  # far beyond the training range
    X[1] = [-1e6, -1e6, -1e6]
    X[2, 1] = np.nan
    return X


@pytest.mark.parametrize("output_distribution", ["normal", "uniform"])
@pytest.mark.parametrize("n_quantiles", [10, 1000, 2000])
def test_equals_quantile_transformer_where_both_are_exact(
    output_distribution, n_quantiles
):
    X, new = _data(), _new_rows()
    ours = QuantileNormalizer(n_quantiles, output_distribution=output_distribution)
    theirs = QuantileTransformer(
        n_quantiles=n_quantiles, output_distribution=output_distribution
    )
    ours.fit(X)
    theirs.fit(X)
    np.testing.assert_array_equal(ours.quantiles_, theirs.quantiles_)
    np.testing.assert_array_equal(ours.references_, theirs.references_)
    # equal up to rounding: where no quantile repeats, skscale interpolates
    # once instead of averaging both directions (the same value, half the cost)
    for data in (X, new):
        expected = theirs.transform(data)
        np.testing.assert_allclose(ours.transform(data), expected, rtol=1e-13)
        np.testing.assert_allclose(
            ours.inverse_transform(expected),
            theirs.inverse_transform(expected),
            rtol=1e-13,
        )


def test_float32_is_kept_and_close_to_quantile_transformer():
    X = _data().astype(np.float32)
    ours = QuantileNormalizer(100).fit(X)
    out = ours.transform(X)
    assert out.dtype == np.float32
    assert ours.inverse_transform(out).dtype == np.float32
    theirs = QuantileTransformer(n_quantiles=100, output_distribution="normal")
    np.testing.assert_allclose(out, theirs.fit_transform(X), atol=1e-5)


@pytest.mark.parametrize("output_distribution", ["normal", "uniform"])
def test_finite_at_the_extremes_and_nan_passes_through(output_distribution):
    normalizer = QuantileNormalizer(50, output_distribution=output_distribution)
    normalizer.fit(_data())
    out = normalizer.transform(_new_rows())
    assert np.isnan(out[2, 1])
    finite = np.delete(out.ravel(), 2 * 3 + 1)
    assert np.isfinite(finite).all()
    if output_distribution == "normal":
        edge = stats.norm.ppf(1 - (1e-7 - np.spacing(1)))
        np.testing.assert_allclose(out[0], edge)
        np.testing.assert_allclose(out[1], -edge)
        assert 5.1 < edge < 5.3
    else:
        assert out[0].tolist() == [1.0, 1.0, 1.0]
        assert out[1].tolist() == [0.0, 0.0, 0.0]


@pytest.mark.parametrize("output_distribution", ["normal", "uniform"])
def test_inverse_round_trip(output_distribution):
    # with a knot at every training value the CDF is invertible on them
    rng = np.random.default_rng(6)
    X = rng.lognormal(size=(400, 2)) * [1.0, 1000.0]
    normalizer = QuantileNormalizer(400, output_distribution=output_distribution)
    back = normalizer.inverse_transform(normalizer.fit_transform(X))
    np.testing.assert_allclose(back, X, rtol=1e-7)
    # and between knots too
    inside = rng.uniform(X.min(axis=0), X.max(axis=0), size=(100, 2))
    back = normalizer.inverse_transform(normalizer.transform(inside))
    np.testing.assert_allclose(back, inside, rtol=1e-6)


def test_weights_equal_repeated_rows_and_are_scale_free():
    X = _data(2, n=400)
    weights = np.random.default_rng(3).integers(0, 4, size=len(X))
    repeated = QuantileNormalizer(50).fit(np.repeat(X, weights, axis=0))
    for scale in (1.0, 7.0):
        weighted = QuantileNormalizer(50).fit(X, sample_weight=scale * weights)
        np.testing.assert_allclose(weighted.quantiles_, repeated.quantiles_)
        np.testing.assert_allclose(weighted.transform(X), repeated.transform(X))


def test_partial_fit_over_uneven_chunks_within_the_sketch_rank_error():
    rng = np.random.default_rng(4)
    X = np.column_stack([rng.lognormal(size=30_000), rng.normal(size=30_000)])
    bounds = [0, 11, 2_900, 2_901, 17_000, 30_000]
    normalizer = QuantileNormalizer(101, output_distribution="uniform")
    for start, stop in zip(bounds[:-1], bounds[1:]):
        normalizer.partial_fit(X[start:stop])
    n = len(X)
    eps = (1 + math.log2(len(bounds) - 1)) / 2048 + 1 / n
    for j in range(X.shape[1]):
        column = np.sort(X[:, j])
        quantiles = normalizer.quantiles_[:, j]
        below = np.searchsorted(column, quantiles, side="left") / n
        at_or_below = np.searchsorted(column, quantiles, side="right") / n
        assert np.all(below <= normalizer.references_ + eps)
        assert np.all(at_or_below >= normalizer.references_ - eps)
    # the output is then within eps of the exact fit's uniform output
    exact = QuantileNormalizer(101, output_distribution="uniform").fit(X)
    diff = np.abs(normalizer.transform(X) - exact.transform(X))
    assert diff.max() <= 2 * eps + 1 / 100


def test_dask_fit_equals_numpy_fit():
    da = pytest.importorskip("dask.array")
    X = _data(7, n=1_000)
    lazy = da.from_array(X, chunks=(170, 3))
    from_dask = QuantileNormalizer(64).fit(lazy)
    eager = QuantileNormalizer(64).fit(X)
    # fewer rows than the sketch keeps per level: the sketch is exact
    np.testing.assert_array_equal(from_dask.quantiles_, eager.quantiles_)
    out = from_dask.transform(lazy).compute()
    np.testing.assert_array_equal(out, eager.transform(X))


def test_refuses_wrong_widths_in_inverse():
    normalizer = QuantileNormalizer(10).fit(_data())
    with pytest.raises(ValueError, match="expecting 3 features"):
        normalizer.inverse_transform(np.zeros((2, 2)))
