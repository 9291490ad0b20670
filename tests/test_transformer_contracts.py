"""Every shared contract of the engine, over every transformer.

Each test runs on all of ``ESTIMATORS`` (the six transformers, AutoScaler
included, and the two quantile encoders, in several configurations); where a
contract depends on the map (an inverse, sparse input, an encoder's output
columns), the test reads the fact from the estimator
(``hasattr(inverse_transform)``, the ``sparse`` input tag, the map's
``source``) rather than from a list of classes. The data has fewer rows
than the quantile sketch keeps per column, so sketched percentiles are exact
and every fit path must agree to rounding.
"""

import numpy as np
import pandas as pd
import pytest
import sklearn
from numpy.testing import assert_allclose, assert_array_equal
from scipy import sparse
from sklearn.base import clone
from sklearn.linear_model import Ridge
from sklearn.metrics import make_scorer, r2_score
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline

from skscale import (
    AutoScaler,
    BinaryThresholder,
    Clipper,
    LinearScaler,
    LogTransformer,
    PiecewiseLinearEncoder,
    QuantileNormalizer,
    ZScoreScaler,
)

ESTIMATORS = [
    LinearScaler(),
    LinearScaler(feature_range=(0.0, 1.0), clip=True),
    LogTransformer(),
    LogTransformer(offset="auto"),
    Clipper(lower=0.5, upper=60.0),
    Clipper(quantile_range=(5.0, 95.0)),
    ZScoreScaler(),
    ZScoreScaler(with_mean=False, ddof=1),
    BinaryThresholder(threshold=1.0),
    BinaryThresholder(threshold="median"),
    BinaryThresholder(threshold="mean"),
    AutoScaler(),
    AutoScaler(scaler="zscore"),
    PiecewiseLinearEncoder(n_bins=8),
    QuantileNormalizer(n_quantiles=50),
    QuantileNormalizer(output_distribution="uniform"),
]
N_ROWS = 400
COLUMNS = ["skewed", "uniform", "binary", "outliers"]


def _data(n_rows=N_ROWS, seed=0):
    """Non-negative columns that AutoScaler sends to each of its strategies."""
    rng = np.random.default_rng(seed)
    outliers = rng.normal(50.0, 5.0, n_rows)
    outliers[:6], outliers[6:12] = 0.0, 100.0  # 3% far out on both sides
    X = np.column_stack(
        [
            rng.lognormal(1.0, 1.2, n_rows),
            rng.uniform(0.0, 10.0, n_rows),
            rng.integers(0, 2, n_rows).astype(float),
            outliers,
        ]
    )
    return X[rng.permutation(n_rows)]


def _fresh(estimator):
    return clone(estimator)


def test_autoscaler_data_reaches_every_strategy():
    assert AutoScaler().fit(_data()).strategies_ == [
        "log+linear",
        "linear",
        "passthrough",
        "clip+linear",
    ]


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=repr)
def test_partial_fit_over_uneven_chunks_equals_fit(estimator):
    X = _data()
    whole = _fresh(estimator).fit(X)
    chunked = _fresh(estimator)
    for start, stop in [(0, 37), (37, 41), (41, 250), (250, N_ROWS)]:
        chunked.partial_fit(X[start:stop])
    assert_allclose(chunked.n_samples_seen_, whole.n_samples_seen_)
    assert_allclose(chunked.transform(X), whole.transform(X), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=repr)
def test_sample_weights_equal_repeated_rows(estimator):
    X = _data()
    weight = np.random.default_rng(1).integers(0, 4, N_ROWS)
    weighted = _fresh(estimator).fit(X, sample_weight=weight.astype(float))
    repeated = _fresh(estimator).fit(np.repeat(X, weight, axis=0))
    assert_allclose(weighted.n_samples_seen_, repeated.n_samples_seen_)
    assert_allclose(
        weighted.transform(X), repeated.transform(X), rtol=1e-10, atol=1e-12
    )


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=repr)
def test_sample_weight_is_routed_under_grid_search(estimator):
    X = _data()
    y = X @ np.array([0.1, 0.2, 1.0, 0.01])
    # Zero weights hide the first rows: the fit must see the weights to agree.
    weight = np.r_[np.zeros(50), np.ones(N_ROWS - 50)]
    with sklearn.config_context(enable_metadata_routing=True):
        step = _fresh(estimator).set_fit_request(sample_weight=True)
        ridge = Ridge().set_fit_request(sample_weight=True)
        model = make_pipeline(step, ridge)
        # An explicit weighted scorer: scikit-learn 1.6 (the declared floor)
        # routes weights to the default scorer only through Pipeline.score.
        scorer = make_scorer(r2_score).set_score_request(sample_weight=True)
        grid = {"ridge__alpha": [0.1, 1.0]}
        search = GridSearchCV(model, grid, cv=2, scoring=scorer)
        search.fit(X, y, sample_weight=weight)
    fitted = search.best_estimator_[0]
    expected = _fresh(estimator).fit(X[50:])
    assert_allclose(fitted.transform(X), expected.transform(X), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=repr)
def test_dask_fit_in_one_compute_and_a_lazy_transform_keeping_names(estimator):
    dd = pytest.importorskip("dask.dataframe")
    dask = pytest.importorskip("dask")
    frame = pd.DataFrame(_data(), columns=COLUMNS)
    ddf = dd.from_pandas(frame, npartitions=3)
    starts = []

    class Computes(dask.callbacks.Callback):
        def _start(self, dsk):
            starts.append(1)

    with Computes():
        fitted = _fresh(estimator).fit(ddf)
        assert len(starts) == 1
        lazy = fitted.transform(ddf)
        assert len(starts) == 1  # nothing computed yet
    assert isinstance(lazy, dd.DataFrame)
    result = lazy.compute()
    eager = _fresh(estimator).fit(frame)
    assert list(result.columns) == list(eager.get_feature_names_out())
    assert result.index.equals(frame.index)
    expected = eager.transform(frame)
    assert_allclose(result.to_numpy(), expected, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=repr)
def test_inverse_round_trip_where_the_map_has_one(estimator):
    X = _data()
    fitted = _fresh(estimator).fit(X)
    if not hasattr(fitted, "inverse_transform"):
        assert fitted._map().inverse is None
        return
    expected = X.copy()
    # AutoScaler does not undo clipping: clipped columns come back in bounds.
    for name, columns, step in getattr(fitted, "steps_", []):
        if name == "clip":
            lower, upper = (bound[columns] for bound in step.params)
            expected[:, columns] = np.clip(X[:, columns], lower, upper)
    back = fitted.inverse_transform(fitted.transform(X))
    assert_allclose(back, expected, rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=repr)
def test_float32_is_kept(estimator):
    X = _data().astype(np.float32)
    fitted = _fresh(estimator).fit(X)
    out = fitted.transform(X)
    assert out.dtype == np.float32
    assert_allclose(out, fitted.transform(X.astype(np.float64)), rtol=2e-4, atol=2e-4)
    if hasattr(fitted, "inverse_transform"):
        assert fitted.inverse_transform(out).dtype == np.float32


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=repr)
def test_nan_is_ignored_in_fit_and_passed_through(estimator):
    X = _data()
    with_nan = X.copy()
    with_nan[::9, 1] = np.nan
    with_nan[::13, 3] = np.nan
    fitted = _fresh(estimator).fit(with_nan)
    out = fitted.transform(with_nan)
    # An encoder's output columns each read one input column: the map's source.
    source = fitted._map().source
    expected = np.isnan(with_nan)
    assert_array_equal(
        np.isnan(out), expected if source is None else expected[:, source]
    )
    # Each column learns from its own values: NaN rows are skipped, not the row.
    for j in [1, 3]:
        observed = ~np.isnan(with_nan[:, j])
        skipped = _fresh(estimator).fit(with_nan[:, [j]]).transform(X[:, [j]])
        dropped = _fresh(estimator).fit(X[observed][:, [j]]).transform(X[:, [j]])
        assert_allclose(skipped, dropped, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=repr)
def test_sparse_input_is_accepted_or_refused_with_the_reason(estimator):
    X = _data()
    X[np.median(X, axis=0) > X] = 0.0
    X_sparse = sparse.csr_matrix(X)
    if estimator.__sklearn_tags__().input_tags.sparse:
        fitted = _fresh(estimator).fit(X_sparse)
        out = fitted.transform(X_sparse)
        assert sparse.issparse(out) and out.nnz <= X_sparse.nnz
        dense = _fresh(estimator).fit(X).transform(X)
        assert_allclose(out.toarray(), dense, rtol=1e-10, atol=1e-12)
        return
    with pytest.raises(TypeError, match="sparse") as error:
        _fresh(estimator).fit(X_sparse)
    assert "toarray" in str(error.value)
    with pytest.raises(TypeError, match="sparse input"):
        _fresh(estimator).fit(X).transform(X_sparse)
