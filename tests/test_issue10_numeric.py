"""Issue 10 (numeric correctness): float32 columns, scale-free weights,
constant columns far from zero, non-finite parameters, Dask validation."""

import numpy as np
import pytest
from numpy.testing import assert_allclose
from sklearn.base import clone

from skscale import (
    BinaryThresholder,
    Clipper,
    LinearScaler,
    LogTransformer,
    ZScoreScaler,
)
from skscale._engine._sketch import QuantileSketch

# --- item 1: float32 columns are scaled ------------------------------------


@pytest.mark.parametrize("order", ["C", "F"], ids=["kernel", "simple"])
@pytest.mark.parametrize("method", ["fit", "partial_fit"])
def test_float32_columns_are_not_called_constant(order, method):
    rng = np.random.default_rng(0)
    X = rng.normal(2000.0, 10.0, size=(100_000, 2)).astype(np.float32)
    X = np.asarray(X, order=order)
    scaler = ZScoreScaler()
    if method == "fit":
        scaler.fit(X)
    else:
        scaler.partial_fit(X[:40_000]).partial_fit(X[40_000:])
    expected = X.astype(np.float64).std(axis=0)
    assert_allclose(scaler.scale_, expected, rtol=1e-10)
    out = scaler.transform(X)
    assert out.dtype == np.float32
    assert_allclose(out.std(axis=0, dtype=np.float64), 1.0, rtol=1e-4)


def test_float32_small_spread_matches_float64_accumulation():
    # The simple path's deviations are taken in float32 from a rounded mean;
    # its variance must still equal the float64 accumulation's.
    rng = np.random.default_rng(1)
    X = rng.normal(2000.0, 0.01, size=(5_000, 3)).astype(np.float32)
    expected = X.astype(np.float64).var(axis=0)
    for data in (X, np.asfortranarray(X)):
        assert_allclose(ZScoreScaler().fit(data).var_, expected, rtol=1e-9)


# --- item 2: weights count as copies of the smallest positive weight -------


def _weighted_data(seed=0, n_rows=200):
    rng = np.random.default_rng(seed)
    X = rng.lognormal(0.0, 1.0, size=(n_rows, 3)) - 1.0
    X[rng.random(X.shape) < 0.05] = np.nan
    return X


def _fit(estimator, X, weight, method):
    if method == "fit":
        return estimator.fit(X, sample_weight=weight)
    half = len(X) // 2
    estimator.partial_fit(X[:half], sample_weight=weight[:half])
    return estimator.partial_fit(X[half:], sample_weight=weight[half:])


QUANTILE_ESTIMATORS = [
    (Clipper(quantile_range=(5, 95)), ["lower_", "upper_"]),
    (BinaryThresholder("median"), ["threshold_"]),
    (ZScoreScaler(ddof=1), ["mean_", "var_", "scale_"]),
]


@pytest.mark.parametrize("total", [1.0, 3.0, 1e-6, 7.5 * 200, 1e300])
@pytest.mark.parametrize("method", ["fit", "partial_fit"])
@pytest.mark.parametrize("estimator, attributes", QUANTILE_ESTIMATORS, ids=repr)
def test_equal_weights_of_any_size_give_unweighted_results(
    estimator, attributes, method, total
):
    X = _weighted_data()
    weight = np.full(len(X), total / len(X))
    weighted = _fit(clone(estimator), X, weight, method)
    unweighted = _fit(clone(estimator), X, np.ones(len(X)), method)
    for name in attributes:
        assert_allclose(getattr(weighted, name), getattr(unweighted, name), rtol=1e-12)
    if method == "fit" and isinstance(estimator, Clipper):
        expected = np.nanpercentile(X, [5, 95], axis=0)
        assert_allclose([weighted.lower_, weighted.upper_], expected, rtol=1e-12)


def test_dask_equal_weights_give_unweighted_quantiles():
    da = pytest.importorskip("dask.array")
    X = _weighted_data(7, n_rows=3000)
    weight = np.full(len(X), 1.0 / len(X))
    data = da.from_array(X, chunks=(1000, 3))
    for estimator in (Clipper(quantile_range=(5, 95)), BinaryThresholder("median")):
        ours = clone(estimator).fit(data, sample_weight=da.from_array(weight, 1000))
        theirs = clone(estimator).fit(data)
        for name in ("lower_", "upper_", "threshold_"):
            if hasattr(theirs, name):
                assert_allclose(getattr(ours, name), getattr(theirs, name))


@pytest.mark.parametrize("method", ["fit", "partial_fit"])
def test_weighted_median_within_interpolation_of_inverted_cdf(method):
    rng = np.random.default_rng(5)
    X = rng.normal(size=(301, 2))
    weight = rng.uniform(0.0, 1.0, len(X))
    weight /= weight.sum()  # importance weights, summing to 1
    median = _fit(BinaryThresholder("median"), X, weight, method).threshold_
    for j in range(X.shape[1]):
        column = np.sort(X[:, j])
        reference = np.percentile(X[:, j], 50, weights=weight, method="inverted_cdf")
        at = np.searchsorted(column, reference)
        low, high = column[max(at - 1, 0)], column[min(at + 1, len(column) - 1)]
        assert low <= median[j] <= high


@pytest.mark.parametrize("scale", [1e-3, 1e300])
def test_scaled_integer_weights_equal_repeated_rows(scale):
    X = _weighted_data(1)
    counts = np.random.default_rng(2).integers(0, 4, len(X))
    counts[0] = 1  # the smallest positive weight is one copy
    repeated = np.repeat(X, counts, axis=0)
    weight = counts * scale
    clipper = Clipper(quantile_range=(10, 90)).fit(X, sample_weight=weight)
    expected = np.nanpercentile(repeated, [10, 90], axis=0)
    assert_allclose([clipper.lower_, clipper.upper_], expected, rtol=1e-12)
    scaler = ZScoreScaler(ddof=1).fit(X, sample_weight=weight)
    assert_allclose(scaler.var_, np.nanvar(repeated, axis=0, ddof=1), rtol=1e-10)
    sketch = QuantileSketch.from_array(X, weight)
    assert_allclose(sketch.quantiles([0.1, 0.9]), expected, rtol=1e-12)


def test_ddof_with_weights_summing_to_one_keeps_the_spread():
    X = _weighted_data(3)
    weight = np.full(len(X), 1.0 / len(X))
    scaler = ZScoreScaler(ddof=1).fit(X, sample_weight=weight)
    assert_allclose(scaler.var_, np.nanvar(X, axis=0, ddof=1), rtol=1e-12)
    out = scaler.transform(X)
    assert_allclose(np.nanstd(out, axis=0, ddof=1), 1.0, rtol=1e-12)


@pytest.mark.parametrize(
    "estimator",
    [
        ZScoreScaler(ddof=1),
        Clipper(quantile_range=(5, 95)),
        BinaryThresholder("median"),
        BinaryThresholder("mean"),
        LinearScaler(),
        LogTransformer(offset="auto"),
    ],
    ids=repr,
)
def test_weights_near_the_float_limit(estimator):
    X = _weighted_data(4)
    # Proportions representable at 1e308: the same answer as the proportions.
    weight = np.random.default_rng(6).uniform(0.5, 1.0, len(X))
    huge = np.zeros(len(X))
    huge[:2] = [1e308, 5e307]
    small = np.zeros(len(X))
    small[:2] = [2.0, 1.0]
    for big, proportions in ((weight * 1e300, weight), (huge, small)):
        ours = clone(estimator).fit(X, sample_weight=big)
        theirs = clone(estimator).fit(X, sample_weight=proportions)
        for name, value in vars(theirs).items():
            if name.endswith("_") and name != "n_samples_seen_":
                assert_allclose(getattr(ours, name), value, rtol=1e-12, err_msg=name)
    # A sum beyond float64: a clear error, not NaN statistics.
    with pytest.raises(ValueError, match="proportions"):
        clone(estimator).fit(X, sample_weight=np.full(len(X), 1e308))


# --- item 5: constant columns far from zero, non-finite parameters -----------

CONSTANTS = [1e16, -1e16, 2.0**1023, -(2.0**1023), 1e-17, 3e-9, 0.0, 1e-300]


@pytest.mark.parametrize("value", CONSTANTS)
@pytest.mark.parametrize("order", ["C", "F"], ids=["kernel", "simple"])
@pytest.mark.parametrize("feature_range", [(-1.0, 1.0), (0.0, 1.0), (2.0, 5.0)])
def test_constant_column_maps_to_range_start_and_inverts(value, order, feature_range):
    X = np.asarray(np.column_stack([np.full(5, value), np.arange(5.0)]), order=order)
    X[2, 0] = np.nan
    scaler = LinearScaler(feature_range=feature_range).fit(X)
    out = scaler.transform(X)
    expected = np.where(np.isnan(X[:, 0]), np.nan, feature_range[0])
    np.testing.assert_array_equal(out[:, 0], expected)
    back = scaler.inverse_transform(out)
    np.testing.assert_array_equal(back[:, 0], X[:, 0])
    assert_allclose(back[:, 1], X[:, 1])


@pytest.mark.parametrize(
    "column",
    [
        [1.0, 1.0 + 2.0**-52, 1.0 + 2.0**-51],
        [1e16, 1e16 + 2.0, 1e16 + 4.0],
        np.float32([1e8 - 8.0, 1e8, 1e8 + 8.0]),
    ],
    ids=["near-1", "near-1e16", "float32-near-1e8"],
)
def test_range_at_rounding_level_maps_to_range_start(column):
    X = np.asarray(column).reshape(-1, 1)
    for data in (X, np.asfortranarray(X)):
        out = LinearScaler().fit_transform(data)
        np.testing.assert_array_equal(out, np.full_like(out, -1.0))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_log_auto_offset_of_the_largest_negative_float_is_refused(dtype):
    X = np.array([[-np.finfo(dtype).max, 1.0], [0.0, 2.0]], dtype=dtype)
    with pytest.raises(ValueError, match="'x0'.*no finite offset"):
        LogTransformer(offset="auto").fit(X)
    # Half of it still has a finite offset and a finite transform.
    X[0, 0] /= 2
    log = LogTransformer(offset="auto").fit(X)
    assert np.all(np.isfinite(log.offset_))
    assert np.all(np.isfinite(log.transform(X)))


@pytest.mark.parametrize(
    "estimator, quoted",
    [
        (LogTransformer(offset=np.nan), "offset=nan"),
        (LogTransformer(offset=np.inf), "offset=inf"),
        (LogTransformer(offset=[1.0, -np.inf]), "offset=[1.0, -inf]"),
        (Clipper(lower=np.inf), "lower=inf"),
        (Clipper(upper=-np.inf), "upper=-inf"),
        (Clipper(lower=[0.0, np.nan]), "lower=[0.0, nan]"),
        (BinaryThresholder(np.nan), "threshold=nan"),
        (BinaryThresholder(np.inf), "threshold=inf"),
        (LinearScaler(feature_range=(-1e308, 1e308)), "feature_range=(-1e+308"),
    ],
    ids=repr,
)
@pytest.mark.parametrize("method", ["fit", "partial_fit"])
def test_non_finite_parameters_are_refused_quoting_the_value(estimator, quoted, method):
    X = np.array([[1.0, 2.0], [3.0, 4.0]])
    estimator = clone(estimator)
    with pytest.raises(ValueError) as info:
        getattr(estimator, method)(X)
    assert quoted in str(info.value)
    assert not hasattr(estimator, "n_features_in_")


# --- item 12: Dask fits validate like numpy fits ------------------------------


def _numpy_error(fit, *args, **kwargs):
    with pytest.raises(ValueError) as info:
        fit(*args, **kwargs)
    return str(info.value)


@pytest.mark.parametrize(
    "weight",
    [
        [-1.0, 1.0, 1.0, 1.0, 1.0, 1.0],
        [np.nan, 1.0, 1.0, 1.0, 1.0, 1.0],
        [1.0, 1.0, 1.0, 1.0, 1.0, np.inf],
        [0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
    ],
    ids=["negative", "nan", "inf", "all-zero"],
)
@pytest.mark.parametrize("kind", ["array", "frame"])
def test_dask_fit_refuses_bad_sample_weight_like_numpy(weight, kind):
    da = pytest.importorskip("dask.array")
    dd = pytest.importorskip("dask.dataframe")
    pd = pytest.importorskip("pandas")
    X = np.arange(12.0).reshape(6, 2)
    weight = np.asarray(weight)
    expected = _numpy_error(ZScoreScaler().fit, X, sample_weight=weight)
    if kind == "array":
        data, dask_weight = da.from_array(X, chunks=3), da.from_array(weight, chunks=3)
    else:
        frame = pd.DataFrame(X, columns=["a", "b"]).assign(w=weight)
        ddf = dd.from_pandas(frame, npartitions=2)
        data, dask_weight = ddf[["a", "b"]], ddf["w"]
    with pytest.raises(ValueError) as info:
        ZScoreScaler().fit(data, sample_weight=dask_weight)
    assert str(info.value) == expected


def test_dask_fit_refuses_zero_rows_like_numpy():
    da = pytest.importorskip("dask.array")
    dd = pytest.importorskip("dask.dataframe")
    pd = pytest.importorskip("pandas")
    expected = _numpy_error(ZScoreScaler().fit, np.empty((0, 2)))
    frame = pd.DataFrame({"a": [], "b": []}, dtype=float)
    for data in (da.zeros((0, 2), chunks=1), dd.from_pandas(frame, npartitions=1)):
        with pytest.raises(ValueError) as info:
            ZScoreScaler().fit(data)
        assert str(info.value) == expected
