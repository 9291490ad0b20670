"""scipy.sparse CSR/CSC: maps that keep zeros at zero stay sparse; others refuse."""

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy import sparse
from sklearn.base import clone

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


# --- issue 10: weights, duplicate entries and matrices with nothing stored ---


def test_weighted_sparse_fit_adds_no_phantom_implicit_zero():
    """A column stored in every row has no implicit zero, whatever the weights."""
    rng = np.random.default_rng(0)
    n = 1000
    X = np.column_stack(
        [np.full(n, 3.0), 1e8 + 0.3 * rng.normal(size=n), rng.normal(size=n)]
    )
    X[rng.random(n) < 0.5, 2] = 0.0  # a column with real implicit zeros
    weight = rng.random(n)
    dense = ZScoreScaler(with_mean=False).fit(X, sample_weight=weight)
    for fmt in ("csr", "csc"):
        fitted = ZScoreScaler(with_mean=False).fit(
            sparse.csr_matrix(X).asformat(fmt), sample_weight=weight
        )
        assert fitted.var_[0] == 0.0 and fitted.scale_[0] == 1.0
        assert_allclose(fitted.var_, dense.var_, rtol=1e-7, atol=0)
        assert_allclose(fitted.n_samples_seen_, dense.n_samples_seen_, rtol=1e-12)
        assert_allclose(fitted.mean_, dense.mean_, rtol=1e-12)
    median = BinaryThresholder("median").fit(sparse.csc_matrix(X), sample_weight=weight)
    dense_median = BinaryThresholder("median").fit(X, sample_weight=weight)
    assert_allclose(median.threshold_, dense_median.threshold_, rtol=1e-12)


def _with_duplicates(fmt):
    """3 x 2 with cell (0, 0) stored as 1 + 3 and cell (1, 1) as 2 + 0.5."""
    data = np.array([1.0, 3.0, 2.0, 0.5])
    rows, cols = np.array([0, 0, 1, 1]), np.array([0, 0, 1, 1])
    # Built by hand: scipy's conversions would sum the duplicates.
    indptr = np.array([0, 2, 4, 4]) if fmt == "csr" else np.array([0, 2, 4])
    indices = cols if fmt == "csr" else rows
    matrix = {"csr": sparse.csr_matrix, "csc": sparse.csc_matrix}[fmt]
    X = matrix((data, indices, indptr), shape=(3, 2))
    assert not X.has_canonical_format and X.nnz == 4
    return X


@pytest.mark.parametrize("fmt", ["csr", "csc"])
@pytest.mark.parametrize(
    "estimator",
    [
        *KEEP_ZEROS,
        ZScoreScaler(with_mean=False, copy=False),
        LogTransformer(copy=False),
    ],
    ids=repr,
)
def test_duplicate_entries_are_summed_on_a_copy(estimator, fmt):
    X = _with_duplicates(fmt)
    data, indices = X.data.copy(), X.indices.copy()
    dense = np.array([[4.0, 0.0], [0.0, 2.5], [0.0, 0.0]])
    fitted = type(estimator)(**estimator.get_params()).fit(X)
    reference = type(estimator)(**estimator.get_params()).fit(dense)
    for name, value in vars(reference).items():
        if name.endswith("_") and isinstance(value, np.ndarray):
            assert_allclose(getattr(fitted, name), value, rtol=1e-12, err_msg=name)
    out = fitted.transform(X)
    assert_allclose(out.toarray(), reference.transform(dense), rtol=1e-12)
    # The caller's matrix is left as it was, duplicates included.
    assert X.nnz == 4 and not X.has_canonical_format
    np.testing.assert_array_equal(X.data, data)
    np.testing.assert_array_equal(X.indices, indices)


def _nothing_stored(fmt):
    return sparse.csr_matrix((3, 2)).asformat(fmt)


def _all_nan_stored(fmt):
    return sparse.csr_matrix(
        (np.array([np.nan, np.nan]), np.array([0, 1]), np.array([0, 1, 1, 2])),
        shape=(3, 2),
    ).asformat(fmt)


@pytest.mark.parametrize("fmt", ["csr", "csc"])
@pytest.mark.parametrize("estimator", KEEP_ZEROS, ids=repr)
def test_matrices_with_no_stored_value_fit_and_transform(estimator, fmt):
    X = _sparse_data()
    fitted = type(estimator)(**estimator.get_params()).fit(_nothing_stored(fmt))
    assert_allclose(fitted.n_samples_seen_, [3.0, 3.0])
    dense = type(estimator)(**estimator.get_params()).fit(np.zeros((3, 2)))
    assert_allclose(
        fitted.transform(_nothing_stored(fmt)).toarray(),
        dense.transform(np.zeros((3, 2))),
    )
    # An all-zero row (here: all rows) in transform, after a fit on data.
    fitted = type(estimator)(**estimator.get_params()).fit(X[:, :2])
    out = fitted.transform(_nothing_stored(fmt))
    assert sparse.issparse(out) and out.nnz == 0
    # A partial_fit chunk whose stored values are all NaN.
    fitted.partial_fit(sparse.csr_matrix(X[:, :2]).asformat(fmt))
    fitted.partial_fit(_all_nan_stored(fmt))
    whole = np.vstack([X[:, :2], _all_nan_stored(fmt).toarray()])
    assert_allclose(
        fitted.n_samples_seen_, np.sum(~np.isnan(np.vstack([X[:, :2], whole])), axis=0)
    )


# --- issue 10, item 11: inverse_transform takes what transform returns -------


@pytest.mark.parametrize("fmt", ["csr", "csc"])
@pytest.mark.parametrize(
    "estimator",
    [
        ZScoreScaler(with_mean=False),
        ZScoreScaler(with_mean=False, ddof=1, copy=False),
        LogTransformer(),
        LogTransformer(offset="auto"),
    ],
    ids=repr,
)
def test_inverse_transform_round_trips_sparse_output_and_stays_sparse(estimator, fmt):
    X = sparse.csr_matrix(_sparse_data()).asformat(fmt)
    fitted = type(estimator)(**estimator.get_params()).fit(X)
    Xt = fitted.transform(X)
    back = fitted.inverse_transform(Xt)
    assert sparse.issparse(back) and back.format == fmt
    assert back.nnz == X.nnz
    assert_allclose(back.toarray(), _sparse_data(), rtol=1e-12, atol=1e-15)
    # Duplicate entries are summed on a copy, as in transform.
    duplicated = _with_duplicates(fmt)
    dense_fit = type(estimator)(**estimator.get_params()).fit(duplicated.toarray())
    assert_allclose(
        dense_fit.inverse_transform(duplicated).toarray(),
        dense_fit.inverse_transform(duplicated.toarray()),
        rtol=1e-12,
    )
    assert duplicated.nnz == 4


def test_inverse_transform_refuses_sparse_input_where_zero_would_move():
    with pytest.raises(TypeError, match="with_mean=False"):
        ZScoreScaler().fit(_sparse_data()).inverse_transform(
            sparse.csr_matrix(_sparse_data())
        )
    shifted = LogTransformer(offset="auto").fit(np.array([[-1.0], [2.0]]))
    with pytest.raises(ValueError, match="inverse-transform sparse"):
        shifted.inverse_transform(sparse.csr_matrix([[0.5], [0.0]]))


def test_unweighted_fit_reads_csr_without_converting_it(monkeypatch):
    # The column index of a CSR entry is its `indices`: an unweighted fit
    # needs no CSC copy (the weighted one does, for the rows between entries).
    X = sparse.csr_matrix(_sparse_data())
    expected = ZScoreScaler(with_mean=False).fit(X.toarray())

    def refuse(self, *args, **kwargs):
        raise AssertionError("converted to CSC")

    monkeypatch.setattr(type(X), "tocsc", refuse)
    fitted = ZScoreScaler(with_mean=False).fit(X)
    assert_allclose(fitted.var_, expected.var_, rtol=1e-12)
    assert_allclose(fitted.n_samples_seen_, expected.n_samples_seen_)


@pytest.mark.parametrize("fmt", ["csr", "csc"])
@pytest.mark.parametrize(
    "estimator", [ZScoreScaler(with_mean=False), LogTransformer(offset=1.0)], ids=repr
)
def test_sparse_transform_computes_no_column_moments(estimator, fmt, monkeypatch):
    # A transform needs the column extremes only to name the columns that
    # hold ±inf or leave the log's domain; the smallest and largest stored
    # values clear the usual matrix without them (and without mean and M2).
    from skscale._engine import _sparse

    X = sparse.csr_matrix(_sparse_data()).asformat(fmt)
    scaler = clone(estimator).fit(X)
    expected = scaler.transform(X).toarray()

    def refuse(*args, **kwargs):
        raise AssertionError("column statistics computed in transform")

    monkeypatch.setattr(_sparse, "sparse_moments", refuse)
    monkeypatch.setattr("skscale._engine._core.sparse_extremes", refuse)
    assert_allclose(scaler.transform(X).toarray(), expected)
    # A stored inf is still refused, by column name.
    X_inf = X.copy()
    X_inf.data[0] = np.inf
    monkeypatch.undo()
    with pytest.raises(ValueError, match="infinity in column"):
        scaler.transform(X_inf)


@pytest.mark.parametrize("fmt", ["csr", "csc"])
def test_sparse_log_domain_is_still_checked_by_column(fmt):
    X = sparse.csr_matrix(_sparse_data()).asformat(fmt)
    log = LogTransformer(offset=1.0).fit(X)
    X_bad = X.tocsc(copy=True)
    X_bad.data[X_bad.indptr[2]] = -3.0  # the first stored value of column x2
    with pytest.raises(ValueError, match="'x2'"):
        log.transform(X_bad.asformat(fmt))
