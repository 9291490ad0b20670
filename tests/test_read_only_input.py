"""copy=False on input that cannot be written: a new array, as scikit-learn does.

Issue 10, item 8: pandas 3 frames (copy-on-write hands out read-only arrays),
arrays with ``writeable=False``, read-only memory maps and one-column polars
frames crashed with "output array is read-only".
"""

import numpy as np
import pandas as pd
import pytest
from scipy import sparse

from skscale import (
    AutoScaler,
    BinaryThresholder,
    Clipper,
    LinearScaler,
    LogTransformer,
    ZScoreScaler,
)

pl = pytest.importorskip("polars")

IN_PLACE = [
    LinearScaler(copy=False),
    LogTransformer(copy=False),
    Clipper(quantile_range=(5, 95), copy=False),
    ZScoreScaler(copy=False),
    BinaryThresholder("median", copy=False),
    AutoScaler(copy=False),
]


def _data(n_columns=2):
    rng = np.random.default_rng(0)
    return rng.gamma(2.0, 2.0, size=(50, n_columns))


def _read_only_array():
    X = _data()
    X.flags.writeable = False
    return X


def _read_only_memmap(tmp_path):
    path = tmp_path / "X.npy"
    np.save(path, _data())
    return np.load(path, mmap_mode="r")


READ_ONLY = {
    "writeable=False": lambda tmp_path: _read_only_array(),
    "memmap": _read_only_memmap,
    "pandas": lambda tmp_path: pd.DataFrame(_data(), columns=["a", "b"]),
    "polars, one column": lambda tmp_path: pl.DataFrame({"a": _data(1)[:, 0]}),
}


def _values(X):
    return X.to_numpy() if hasattr(X, "to_numpy") else np.asarray(X)


@pytest.mark.filterwarnings("ignore:X does not have valid feature names")
@pytest.mark.parametrize("kind", READ_ONLY)
@pytest.mark.parametrize("estimator", IN_PLACE, ids=repr)
def test_copy_false_transforms_read_only_input_into_a_new_array(
    estimator, kind, tmp_path
):
    X = READ_ONLY[kind](tmp_path)
    before = _values(X).copy()
    reference = type(estimator)(**estimator.get_params()).set_params(copy=True)
    expected = reference.fit(before).transform(before)
    out = estimator.fit(X).transform(X)
    # Frames arrive column-major and take the simple path: equal to rounding.
    np.testing.assert_allclose(out, expected, rtol=1e-12, atol=1e-15)
    np.testing.assert_array_equal(_values(X), before)
    if hasattr(estimator, "inverse_transform"):
        back = estimator.inverse_transform(np.asarray(out).copy())
        out.flags.writeable = False
        np.testing.assert_array_equal(estimator.inverse_transform(out), back)


@pytest.mark.parametrize("estimator", IN_PLACE, ids=repr)
def test_copy_false_still_writes_a_writeable_array_in_place(estimator):
    X = _data()
    out = estimator.fit(X).transform(X)
    assert out is X


@pytest.mark.parametrize(
    "estimator", [ZScoreScaler(with_mean=False, copy=False), LogTransformer(copy=False)]
)
def test_copy_false_on_a_sparse_matrix_with_read_only_values(estimator):
    X = sparse.csr_matrix(_data())
    X.data.flags.writeable = False
    before = X.toarray()
    out = estimator.fit(X).transform(X)
    assert sparse.issparse(out) and out is not X
    np.testing.assert_array_equal(X.toarray(), before)
