"""Shared by tests/test_onnx*.py: the data, running a graph, comparing outputs."""

import numpy as np
import pytest

rt = pytest.importorskip("onnxruntime")
pytest.importorskip("skl2onnx")

from skscale.onnx import to_onnx  # noqa: E402


def session(onnx_model):
    return rt.InferenceSession(
        onnx_model.SerializeToString(), providers=["CPUExecutionProvider"]
    )


def run(model, X_fit, X, **options):
    """The outputs of ``model`` converted (on ``X_fit[:1]``) and run on ``X``."""
    graph = session(to_onnx(model, X_fit[:1], **options))
    return graph.run(None, {graph.get_inputs()[0].name: X})


def training_data(dtype=np.float64, n_rows=400, seed=0):
    """Skewed, plain, binary, heavy-tailed, discrete and negative columns,
    with NaN in two of them."""
    rng = np.random.default_rng(seed)
    X = np.column_stack(
        [
            rng.lognormal(sigma=1.5, size=n_rows) * 1e3,
            rng.normal(size=n_rows),
            rng.integers(0, 2, size=n_rows),
            rng.standard_t(df=1, size=n_rows),
            rng.integers(0, 5, size=n_rows),
            rng.uniform(-300, -1, size=n_rows),
        ]
    ).astype(dtype)
    X[::13, 1] = np.nan
    X[5::29, 3] = np.nan
    return X


def held_out(X, *, log_domain=False):
    """The training rows, rows beyond the training range on both sides (but
    columns >= 0 stay >= 0, and with ``log_domain`` the others stay above
    their minimum - 1, in a learned log offset's domain), the training
    extremes and NaN."""
    col_min = np.nanmin(X, axis=0)
    beyond = col_min - 0.5 if log_domain else col_min * 3
    low = np.where(col_min >= 0, 0, beyond)
    high = np.nanmax(X, axis=0) * 3 + 10
    edge = np.vstack([low, high, np.nanmin(X, axis=0), np.nanmax(X, axis=0)])
    nan = np.full((1, X.shape[1]), np.nan)
    return np.vstack([X, edge.astype(X.dtype), nan.astype(X.dtype)])


def assert_same(got, expected, floor=False):
    """Equal NaN positions, then 1e-5 relative in float32 (1e-8 in float64).

    With ``floor``, plus an absolute floor of that share of the output's
    largest value: a network's sums cancel to values near 0 whose last
    digits depend on the order of the sum (BLAS's and onnxruntime's differ).
    """
    got, expected = np.asarray(got), np.asarray(expected)
    assert got.shape == expected.shape
    np.testing.assert_array_equal(np.isnan(got), np.isnan(expected))
    rtol = 1e-5 if got.dtype == np.float32 or expected.dtype == np.float32 else 1e-8
    finite = np.isfinite(expected)
    scale = np.max(np.abs(expected[finite]), initial=1.0)
    atol = rtol * scale if floor else 0.0
    np.testing.assert_allclose(got[finite], expected[finite], rtol=rtol, atol=atol)
