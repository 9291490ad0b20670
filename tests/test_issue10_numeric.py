"""Issue 10 (numeric correctness): float32 columns, scale-free weights,
constant columns far from zero, non-finite parameters, Dask validation."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from skscale import ZScoreScaler

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
