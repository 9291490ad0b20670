"""Hypothesis properties over every transformer, random shapes, dtypes and NaN.

For any finite-or-NaN input: no exception outside the contract, output of the
documented shape and dtype, NaN exactly where the input had NaN, inverse round
trips, ``fit`` never mutates its input and ``transform`` never mutates the
fitted estimator.
"""

import copy

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn.base import clone

from skscale import (
    AutoScaler,
    BinaryThresholder,
    Clipper,
    LinearScaler,
    LogTransformer,
    ZScoreScaler,
)

TRANSFORMERS = [
    LinearScaler(),
    LinearScaler(feature_range=(0.0, 1.0), clip=True),
    LogTransformer(offset="auto"),
    Clipper(quantile_range=(5.0, 95.0)),
    Clipper(lower=-1.0, upper=1.0),
    ZScoreScaler(),
    ZScoreScaler(ddof=1),
    BinaryThresholder("mean"),
    BinaryThresholder("median"),
    AutoScaler(),
]


@st.composite
def data(draw):
    dtype = draw(st.sampled_from([np.float64, np.float32]))
    n_rows = draw(st.integers(1, 40))
    n_cols = draw(st.integers(1, 5))
    # Magnitudes from tiny to large, within the range where every transformer's
    # statistics stay finite (the float limits have their own contract test).
    exponent = draw(st.integers(-30, 30 if dtype is np.float64 else 15))
    nan_share = draw(st.sampled_from([0.0, 0.1, 0.5]))
    width = 64 if dtype is np.float64 else 32
    base = draw(
        arrays(
            dtype,
            (n_rows, n_cols),
            elements=st.floats(-1e3, 1e3, allow_nan=False, width=width),
        )
    )
    X = (base * dtype(10.0) ** exponent).astype(dtype)
    mask = draw(arrays(np.float64, (n_rows, n_cols), elements=st.floats(0, 1)))
    X[mask < nan_share] = np.nan
    return X


PROPERTY_SETTINGS = settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def fitted_state(estimator):
    return {
        key: copy.deepcopy(value)
        for key, value in vars(estimator).items()
        if key.endswith("_") and not key.startswith("_")
    }


def assert_same_state(before, after):
    assert before.keys() == after.keys()
    for key, value in before.items():
        if isinstance(value, np.ndarray):
            np.testing.assert_array_equal(after[key], value, err_msg=key)


@pytest.mark.parametrize("transformer", TRANSFORMERS, ids=repr)
@PROPERTY_SETTINGS
@given(X=data())
def test_transformer_contract(transformer, X):
    original = X.copy()
    estimator = clone(transformer).fit(X)
    np.testing.assert_array_equal(X, original)  # fit never mutates its input
    state = fitted_state(estimator)
    Xt = estimator.transform(X)
    assert_same_state(state, fitted_state(estimator))
    np.testing.assert_array_equal(X, original)
    assert Xt.shape == X.shape
    assert Xt.dtype == X.dtype
    # NaN exactly where the input had NaN: none created, none filled.
    np.testing.assert_array_equal(np.isnan(Xt), np.isnan(X))
    assert not np.isinf(Xt).any()
    if hasattr(estimator, "inverse_transform"):
        back = estimator.inverse_transform(Xt)
        assert back.dtype == X.dtype
        np.testing.assert_array_equal(np.isnan(back), np.isnan(X))
        # Compared where the maps are well conditioned: the inverse of a
        # constant column's scaling cannot recover digits that rounding took,
        # but mapping the inverse forward again must give the output back.
        tolerance = 1e-4 if X.dtype == np.float32 else 1e-9
        magnitude = float(np.nanmax(np.abs(Xt), initial=1.0))
        np.testing.assert_allclose(
            estimator.transform(back), Xt, rtol=tolerance, atol=tolerance * magnitude
        )
