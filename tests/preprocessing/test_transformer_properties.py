"""Hypothesis properties of the five transformers."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from skscale import (
    BinaryThresholder,
    Clipper,
    LinearScaler,
    LogTransformer,
    ZScoreScaler,
)

finite = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False, width=64)
maybe_nan = st.one_of(finite, st.just(np.nan))


def matrices(elements=maybe_nan, dtype=np.float64):
    shapes = st.tuples(st.integers(1, 30), st.integers(1, 4))
    return shapes.flatmap(lambda shape: arrays(dtype, shape, elements=elements))


SETTINGS = settings(max_examples=60, deadline=None)


@SETTINGS
@given(matrices(), st.tuples(finite, finite).filter(lambda r: r[0] < r[1]))
def test_linear_scaler_maps_training_data_into_feature_range(X, feature_range):
    Xt = LinearScaler(feature_range=feature_range).fit_transform(X)
    low, high = feature_range
    span = high - low
    observed = ~np.isnan(Xt)
    np.testing.assert_array_equal(observed, ~np.isnan(X))
    assert np.all(Xt[observed] >= low - 1e-9 * span - 1e-9)
    assert np.all(Xt[observed] <= high + 1e-9 * span + 1e-9)


@SETTINGS
@given(matrices())
def test_inverse_round_trips(X):
    for est in (LinearScaler(), ZScoreScaler(), LogTransformer(offset="auto")):
        fitted = est.fit(X)
        back = fitted.inverse_transform(fitted.transform(X))
        scale = np.nanmax(np.abs(X)) if np.isfinite(X).any() else 1.0
        np.testing.assert_allclose(back, X, rtol=1e-6, atol=1e-9 * max(scale, 1.0))


@SETTINGS
@given(matrices(), st.floats(0, 50), st.floats(50, 100))
def test_clipper_is_idempotent(X, low, high):
    fitted = Clipper(quantile_range=(low, high)).fit(X) if low < high else Clipper()
    fitted = fitted.fit(X)
    once = fitted.transform(X)
    np.testing.assert_array_equal(fitted.transform(once), once)


@SETTINGS
@given(matrices(), st.sampled_from(["mean", "median", 0.0, 1.5]))
def test_binary_thresholder_outputs_only_zero_one_or_nan(X, threshold):
    Xt = BinaryThresholder(threshold).fit_transform(X)
    assert np.all(np.isin(Xt[~np.isnan(Xt)], [0.0, 1.0]))
    np.testing.assert_array_equal(np.isnan(Xt), np.isnan(X))


@SETTINGS
@given(matrices(elements=st.floats(-1e3, 1e3, width=32), dtype=np.float32))
def test_float32_in_float32_out_and_no_nan_created(X):
    for est in (
        LinearScaler(),
        ZScoreScaler(),
        LogTransformer(offset="auto"),
        Clipper(quantile_range=(5, 95)),
        BinaryThresholder("median"),
    ):
        Xt = est.fit_transform(X)
        assert Xt.dtype == np.float32
        assert not np.isnan(Xt).any()
