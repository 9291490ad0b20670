"""Hypothesis properties over every transformer, random shapes, dtypes and NaN.

For any finite-or-NaN input: no exception outside the contract, output of the
documented shape and dtype, NaN exactly where the input had NaN, inverse round
trips, ``fit`` never mutates its input and ``transform`` never mutates the
fitted estimator; any call that raises leaves the estimator's ``__dict__``
exactly as it was.
"""

import contextlib
import copy

import numpy as np
import pytest
from _state import differences, snapshot
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy import sparse
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

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


# --- a call that raises changes nothing (issue 10, item 9) -------------------


def _bad_inputs(draw, X):
    """Inputs that some call may refuse, built around a valid X."""
    n_rows, n_cols = X.shape
    kind = draw(
        st.sampled_from(
            [
                "valid",
                "inf",
                "negative",
                "overflowing",
                "other column count",
                "no rows",
                "all NaN",
                "sparse",
                "non-numeric",
            ]
        )
    )
    Y = X.copy()
    if kind == "inf":
        Y[draw(st.integers(0, n_rows - 1)), draw(st.integers(0, n_cols - 1))] = np.inf
    elif kind == "negative":
        Y = Y - np.nanmax(np.abs(Y)) - 2.0
    elif kind == "overflowing":
        Y[:, 0] = np.where(np.arange(n_rows) % 2, 1.7e308, -1.7e308).astype(Y.dtype)
    elif kind == "other column count":
        Y = np.hstack([Y, Y[:, :1]])
    elif kind == "no rows":
        Y = Y[:0]
    elif kind == "all NaN":
        Y[:] = np.nan
    elif kind == "sparse":
        Y = sparse.csr_matrix(np.nan_to_num(Y))
    elif kind == "non-numeric":
        Y = Y.astype(object)
        Y[0, 0] = "x"
    return Y


def _weights(draw, X):
    n_rows = X.shape[0]
    kind = draw(st.sampled_from([None, "valid", "negative", "NaN", "wrong length"]))
    if kind is None or n_rows == 0:
        return None
    weight = np.ones(n_rows)
    if kind == "negative":
        weight[0] = -1.0
    elif kind == "NaN":
        weight[0] = np.nan
    elif kind == "wrong length":
        weight = np.ones(n_rows + 1)
    return weight


@st.composite
def calls(draw):
    X = draw(data())
    steps = []
    for _ in range(draw(st.integers(1, 4))):
        method = draw(
            st.sampled_from(
                [
                    "fit",
                    "partial_fit",
                    "transform",
                    "inverse_transform",
                    "fit_transform",
                ]
            )
        )
        Y = _bad_inputs(draw, X)
        weight = _weights(draw, Y) if "fit" in method else None
        steps.append((method, Y, weight))
    return X, draw(st.booleans()), steps


def _every_transformer():
    """TRANSFORMERS, sparse-capable settings, and every other public transformer."""
    from _public import public_estimator_classes
    from sklearn.base import TransformerMixin

    covered = {type(t) for t in TRANSFORMERS}
    others = [
        cls()
        for cls in public_estimator_classes()
        if issubclass(cls, TransformerMixin) and cls not in covered
    ]
    sparse_capable = [ZScoreScaler(with_mean=False), LogTransformer(), Clipper()]
    return TRANSFORMERS + sparse_capable + others


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("transformer", _every_transformer(), ids=repr)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=calls())
def test_a_call_that_raises_leaves_the_estimator_unchanged(transformer, case):
    X, start_fitted, steps = case
    estimator = clone(transformer)
    if start_fitted:
        # e.g. LogTransformer() on negatives: start unfitted then
        with contextlib.suppress(ValueError):
            estimator.fit(X)
    for method, Y, weight in steps:
        if not hasattr(estimator, method):
            continue
        kwargs = {} if weight is None else {"sample_weight": weight}
        before = snapshot(estimator)
        try:
            getattr(estimator, method)(Y, **kwargs)
        except (ValueError, TypeError, NotFittedError):
            assert differences(before, snapshot(estimator)) == [], method
