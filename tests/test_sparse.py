"""scipy.sparse CSR/CSC: maps that keep zeros at zero stay sparse; others refuse."""

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy import sparse

from skscale import (
    BinaryThresholder,
    Clipper,
    LinearScaler,
    LogTransformer,
    ZScoreScaler,
)

KEEP_ZEROS = [
    ZScoreScaler(with_mean=False),
    ZScoreScaler(with_mean=False, ddof=1),
    LogTransformer(offset=1.0),
    LogTransformer(offset="auto"),
    BinaryThresholder(threshold=0.0),
    BinaryThresholder(threshold=0.3),
    BinaryThresholder(threshold="median"),
    Clipper(lower=-0.5, upper=0.5),
    Clipper(quantile_range=(5, 95)),
]


def _sparse_data(seed=0):
    rng = np.random.default_rng(seed)
    X = rng.exponential(size=(300, 4))
    X[rng.random(X.shape) < 0.4] = 0.0  # sparse enough, median still > 0
    X[rng.random(X.shape) < 0.03] = np.nan
    return X


@pytest.mark.parametrize("fmt", ["csr", "csc"])
@pytest.mark.parametrize("estimator", KEEP_ZEROS, ids=repr)
def test_sparse_output_equals_the_dense_path(estimator, fmt):
    X = _sparse_data()
    X_sparse = sparse.csr_array(X).asformat(fmt)
    dense = type(estimator)(**estimator.get_params()).fit(X)
    fitted = type(estimator)(**estimator.get_params()).fit(X_sparse)
    assert_allclose(fitted.n_samples_seen_, dense.n_samples_seen_)
    out = fitted.transform(X_sparse)
    assert sparse.issparse(out) and out.format == fmt
    assert_allclose(out.toarray(), dense.transform(X), rtol=1e-12)
    assert X_sparse.nnz < X.size and out.nnz <= X_sparse.nnz


def test_statistics_count_implicit_zeros():
    X = _sparse_data()
    scaler = ZScoreScaler(with_mean=False).fit(sparse.csr_matrix(X))
    assert_allclose(scaler.mean_, np.nanmean(X, axis=0), rtol=1e-12)
    assert_allclose(scaler.var_, np.nanvar(X, axis=0), rtol=1e-12)
    median = BinaryThresholder(threshold="median").fit(sparse.csc_matrix(X))
    assert_allclose(median.threshold_, np.nanmedian(X, axis=0))


def test_partial_fit_and_weights_on_sparse_chunks():
    X = _sparse_data()
    weight = np.random.default_rng(1).integers(0, 3, len(X)).astype(float)
    scaler = ZScoreScaler(with_mean=False)
    for rows in np.array_split(np.arange(len(X)), 5):
        scaler.partial_fit(sparse.csr_matrix(X[rows]), sample_weight=weight[rows])
    dense = ZScoreScaler(with_mean=False).fit(X, sample_weight=weight)
    assert_allclose(scaler.var_, dense.var_, rtol=1e-10)


@pytest.mark.parametrize(
    "estimator, advice",
    [
        (ZScoreScaler(), "with_mean=False"),
        (LinearScaler(), "ZScoreScaler\\(with_mean=False\\)"),
        (LogTransformer(offset=2.0), "offset=1"),
        (BinaryThresholder(threshold=-1.0), "threshold >= 0"),
        (Clipper(lower=0.5, upper=2.0), "lower <= 0 <= upper"),
    ],
    ids=repr,
)
def test_maps_that_densify_refuse_sparse_input_and_say_what_to_set(estimator, advice):
    X = sparse.csr_matrix(_sparse_data())
    with pytest.raises(TypeError, match="sparse") as error:
        estimator.fit(X)
    assert "toarray" in str(error.value)
    assert error.match(advice)
    assert not estimator.__sklearn_tags__().input_tags.sparse


@pytest.mark.parametrize(
    "estimator, X_train, match",
    [
        (Clipper(quantile_range=(50, 90)), np.array([[1.0], [2.0], [3.0]]), "0 lies"),
        (BinaryThresholder(threshold="mean"), np.array([[-1.0], [-2.0]]), "negative"),
        (LogTransformer(offset="auto"), np.array([[-1.0], [2.0]]), "offset is 1"),
    ],
    ids=repr,
)
def test_learned_statistics_that_densify_refuse_sparse_transform(
    estimator, X_train, match
):
    estimator.fit(X_train)
    with pytest.raises(ValueError, match=match):
        estimator.transform(sparse.csr_matrix(X_train))
    estimator.transform(X_train)  # the dense path works


def test_copy_false_transforms_sparse_data_in_place():
    X = sparse.csr_matrix(_sparse_data())
    out = ZScoreScaler(with_mean=False, copy=False).fit(X).transform(X)
    assert out is X
    X = sparse.csr_matrix(_sparse_data())
    out = ZScoreScaler(with_mean=False).fit(X).transform(X)
    assert not np.shares_memory(out.data, X.data)
