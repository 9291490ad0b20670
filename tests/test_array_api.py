"""The transformers on Array API namespaces (issue 12), on array-api-strict.

array-api-strict refuses implicit conversions and mixing devices: an array
on ``Device("device1")`` that went through the host quietly would raise, so
these tests also show that data and fitted attributes stay on X's device.
scikit-learn's ``check_array_api_input`` runs from tests/test_common.py (on
torch and CUDA too where installed); here: values against NumPy's.
"""

import numpy as np
import pytest
from numpy.testing import assert_allclose
from sklearn import clone, config_context

from skscale import (
    AutoScaler,
    BinaryThresholder,
    Clipper,
    LinearScaler,
    LogTransformer,
    ZScoreScaler,
)
from skscale._compat import move_estimator_to
from skscale.preprocessing import PiecewiseLinearEncoder, QuantileNormalizer

xp = pytest.importorskip("array_api_strict")

try:  # scikit-learn refuses dispatch when SciPy's array API support is off
    with config_context(array_api_dispatch=True):
        pass
except RuntimeError as exc:  # pragma: no cover - conftest.py sets it
    pytest.skip(str(exc), allow_module_level=True)

TRANSFORMERS = [
    LinearScaler(clip=True, feature_range=(0.0, 1.0)),
    ZScoreScaler(ddof=1),
    Clipper(quantile_range=(1.0, 99.0)),
    Clipper(lower=-1.0, upper=2.0),
    LogTransformer(offset="auto"),
    BinaryThresholder(threshold="median"),
    BinaryThresholder(threshold="mean"),
    AutoScaler(),
]
DEVICES = [None, xp.Device("device1")]
TOLERANCE = {"float64": 1e-12, "float32": 1e-6}


def _data(dtype, n=400):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(n, 4))
    X[:, 1] = np.exp(2 * X[:, 1])  # skewed: AutoScaler logs it
    X[:, 2] = rng.standard_t(2, n)  # heavy tails: AutoScaler clips it
    X[rng.random(X.shape) < 0.1] = np.nan
    return X.astype(dtype), rng.random(n)


def _host(array):
    return np.asarray(xp.asarray(array, device=xp.Device("CPU_DEVICE")))


def _fitted(estimator) -> dict:
    return {
        name: value
        for name, value in vars(estimator).items()
        if isinstance(value, np.ndarray) and value.dtype.kind == "f"
    }


def _assert_same(numpy_fitted, xp_fitted, device, dtype):
    attributes = _fitted(numpy_fitted)
    assert attributes
    for name, expected in attributes.items():
        value = getattr(xp_fitted, name)
        assert value.device == (device or xp.Device("CPU_DEVICE")), name
        assert_allclose(
            _host(value), expected, rtol=TOLERANCE[dtype], atol=0, err_msg=name
        )


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("device", DEVICES, ids=["default", "device1"])
def test_fit_and_transform_equal_numpy(dtype, device):
    """Fitted attributes and outputs equal NumPy's, with NaN, with and without
    weights, on X's device and in X's float dtype; the input is unchanged."""
    X, weight = _data(dtype)
    X_xp = xp.asarray(X, device=device)
    before = _host(X_xp).copy()
    for estimator in TRANSFORMERS:
        for w in (None, weight):
            expected = clone(estimator).fit(X, sample_weight=w)
            with config_context(array_api_dispatch=True):
                w_xp = None if w is None else xp.asarray(w, device=device)
                fitted = clone(estimator).set_params(copy=False)
                fitted.fit(X_xp, sample_weight=w_xp)
                out = fitted.transform(X_xp)
            _assert_same(expected, fitted, device, dtype)
            assert out.device == X_xp.device and out.dtype == X_xp.dtype
            assert_allclose(
                _host(out), expected.transform(X), rtol=TOLERANCE[dtype], atol=1e-15
            )
            if hasattr(expected, "inverse_transform"):
                with config_context(array_api_dispatch=True):
                    back = fitted.inverse_transform(out)
                assert back.device == X_xp.device and back.dtype == X_xp.dtype
                assert_allclose(
                    _host(back),
                    expected.inverse_transform(expected.transform(X)),
                    rtol=TOLERANCE[dtype],
                    atol=1e-12,
                )
    np.testing.assert_array_equal(_host(X_xp), before)


@pytest.mark.parametrize("device", DEVICES, ids=["default", "device1"])
def test_partial_fit_merges_device_chunks(device):
    """Uneven chunks on the device merge as NumPy's partial_fit merges them
    (the quantile sketch on the host, fed per-chunk summaries)."""
    X, _ = _data("float64", n=3000)
    for estimator in TRANSFORMERS:
        expected, fitted = clone(estimator), clone(estimator)
        for rows in (slice(0, 100), slice(100, 2600), slice(2600, 3000)):
            expected.partial_fit(X[rows])
            with config_context(array_api_dispatch=True):
                fitted.partial_fit(xp.asarray(X[rows], device=device))
        _assert_same(expected, fitted, device, "float64")


def test_errors_name_columns_as_on_numpy():
    """±inf and the log's domain raise NumPy's errors, naming the columns."""
    X = np.array([[1.0, 2.0], [np.inf, 3.0], [0.5, -4.0]])
    cases = [
        (LinearScaler(), X),
        (LogTransformer(), np.array([[1.0, 2.0], [-3.0, 4.0], [-5.0, 1.0]])),
    ]
    for estimator, data in cases:
        with pytest.raises(ValueError) as on_numpy:
            clone(estimator).fit(data)
        with (
            config_context(array_api_dispatch=True),
            pytest.raises(ValueError) as on_xp,
        ):
            clone(estimator).fit(xp.asarray(data, device=xp.Device("device1")))
        assert str(on_xp.value) == str(on_numpy.value)
    fitted = LogTransformer().fit(np.ones((2, 2)))
    with pytest.raises(ValueError) as on_numpy:
        fitted.transform(-np.ones((2, 2)))
    moved = move_estimator_to(fitted, xp, xp.Device("device1"))
    with config_context(array_api_dispatch=True), pytest.raises(ValueError) as on_xp:
        moved.transform(xp.asarray(-np.ones((2, 2)), device=xp.Device("device1")))
    assert "'x0' (2 values)" in str(on_xp.value)
    assert str(on_xp.value) == str(on_numpy.value)


def test_move_estimator_to_numpy_and_back():
    """scikit-learn's move_estimator_to moves a fitted transformer: the
    fitted attributes become NumPy arrays, and transform takes NumPy."""
    X, _ = _data("float64")
    with config_context(array_api_dispatch=True):
        fitted = AutoScaler().fit(xp.asarray(X, device=xp.Device("device1")))
    on_host = move_estimator_to(fitted, np, "cpu")
    assert isinstance(on_host.skewness_, np.ndarray)
    assert_allclose(on_host.transform(X), AutoScaler().fit(X).transform(X))


def test_encoders_and_tags():
    """The encoders run on NumPy only: a clear TypeError, and the tag says so."""
    X = xp.asarray(np.arange(20.0).reshape(10, 2))
    for encoder in (PiecewiseLinearEncoder(n_bins=2), QuantileNormalizer()):
        assert not encoder.__sklearn_tags__().array_api_support
        with (
            config_context(array_api_dispatch=True),
            pytest.raises(TypeError, match="NumPy arrays only"),
        ):
            encoder.fit(X)
    assert all(t.__sklearn_tags__().array_api_support for t in TRANSFORMERS)


def test_readme_gpu_example_runs():
    """README's "On a GPU" example runs (on the CPU where torch has no CUDA)."""
    pytest.importorskip("torch")
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    section = readme.split("## On a GPU", 1)[1]
    snippet = section.split("```python\n", 1)[1].split("```", 1)[0]
    exec(compile(snippet, "README.md", "exec"), {})
