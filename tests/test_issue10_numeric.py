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
