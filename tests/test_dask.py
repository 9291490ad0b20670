"""Dask: fits equal numpy fits in one compute, transforms stay lazy, on a cluster."""

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from skscale import (
    BinaryThresholder,
    Clipper,
    LinearScaler,
    LogTransformer,
    ZScoreScaler,
)

da = pytest.importorskip("dask.array")
dd = pytest.importorskip("dask.dataframe")
dask = pytest.importorskip("dask")

ESTIMATORS = [
    (LinearScaler(), ["data_min_", "data_max_", "scale_", "min_"]),
    (ZScoreScaler(ddof=1), ["mean_", "var_", "scale_", "n_samples_seen_"]),
    (LogTransformer(offset="auto"), ["offset_"]),
    (BinaryThresholder(threshold="mean"), ["threshold_"]),
    # Fewer rows than the sketch keeps per column: the sketch is exact here.
    (BinaryThresholder(threshold="median"), ["threshold_"]),
    (Clipper(quantile_range=(5, 95)), ["lower_", "upper_"]),
]


def _data(n_rows=1200, seed=0):
    rng = np.random.default_rng(seed)
    X = np.column_stack(
        [
            rng.normal(2, 3, n_rows),
            rng.lognormal(0, 1, n_rows),
            rng.uniform(size=n_rows),
        ]
    )
    X[rng.random(X.shape) < 0.05] = np.nan
    return X


class _Loads:
    """A dask array whose blocks count how often they are read."""

    def __init__(self, X, n_blocks):
        self.count = 0
        self.X = X
        bounds = np.linspace(0, len(X), n_blocks + 1).astype(int)
        blocks = [
            da.from_delayed(
                dask.delayed(self._load)(a, b), shape=(b - a, X.shape[1]), dtype=X.dtype
            )
            for a, b in zip(bounds[:-1], bounds[1:])
        ]
        self.array = da.concatenate(blocks)

    def _load(self, a, b):
        self.count += 1
        return self.X[a:b].copy()


class _Computes(dask.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.starts = 0

    def _start(self, dsk):
        self.starts += 1


@pytest.mark.parametrize("estimator, attributes", ESTIMATORS, ids=repr)
def test_dask_array_fit_equals_numpy_in_one_compute_reading_once(estimator, attributes):
    X = _data()
    loads = _Loads(X, n_blocks=7)
    expected = type(estimator)(**estimator.get_params()).fit(X)
    with dask.config.set(scheduler="sync"), _Computes() as computes:
        fitted = type(estimator)(**estimator.get_params()).fit(loads.array)
    assert computes.starts == 1
    assert loads.count == 7
    for name in attributes:
        assert_allclose(getattr(fitted, name), getattr(expected, name), rtol=1e-12)
    # transform is lazy: nothing is read until the user computes.
    with dask.config.set(scheduler="sync"):
        lazy = fitted.transform(loads.array)
        assert isinstance(lazy, da.Array) and loads.count == 7
        assert_allclose(lazy.compute(), expected.transform(X), rtol=1e-12)
    assert loads.count == 14


@pytest.mark.parametrize("estimator, attributes", ESTIMATORS, ids=repr)
def test_dask_dataframe_fit_and_lazy_transform(estimator, attributes):
    X = _data()
    frame = pd.DataFrame(X, columns=["a", "b", "c"])
    ddf = dd.from_pandas(frame, npartitions=5)
    expected = type(estimator)(**estimator.get_params()).fit(frame)
    fitted = type(estimator)(**estimator.get_params()).fit(ddf)
    assert list(fitted.feature_names_in_) == ["a", "b", "c"]
    for name in attributes:
        assert_allclose(getattr(fitted, name), getattr(expected, name), rtol=1e-12)
    lazy = fitted.transform(ddf)
    assert isinstance(lazy, dd.DataFrame)
    result = lazy.compute()
    assert list(result.columns) == ["a", "b", "c"]
    assert result.index.equals(frame.index)
    assert_allclose(result.to_numpy(), expected.transform(frame), rtol=1e-12)


def test_dask_quantiles_of_many_blocks_use_the_merged_sketch():
    rng = np.random.default_rng(1)
    X = rng.pareto(1.0, size=(40_000, 2))
    fitted = Clipper(quantile_range=(10, 90)).fit(da.from_array(X, chunks=(2500, 1)))
    eps = fitted._summary.sketch.rank_error_bound()
    assert np.all(fitted._summary.sketch.rank_error_ > 0)
    for bound, q in [(fitted.lower_, 0.1), (fitted.upper_, 0.9)]:
        assert np.all(np.mean(bound > X, axis=0) <= q + eps)
        assert np.all(np.mean(bound >= X, axis=0) >= q - eps)


def test_dask_weights_and_partial_fit_equal_numpy():
    X = _data()
    weight = np.random.default_rng(2).uniform(0, 2, len(X))
    dX = da.from_array(X, chunks=(250, 3))
    fitted = ZScoreScaler().fit(dX, sample_weight=da.from_array(weight, chunks=400))
    expected = ZScoreScaler().fit(X, sample_weight=weight)
    assert_allclose(fitted.var_, expected.var_, rtol=1e-12)
    streamed = LinearScaler().partial_fit(dX[:500]).partial_fit(X[500:])
    assert_allclose(streamed.data_max_, np.nanmax(X, axis=0))


def test_dask_errors_surface_with_the_column_named():
    X = _data()
    X[700, 1] = np.inf
    with pytest.raises(ValueError, match="infinity in column"):
        ZScoreScaler().fit(da.from_array(X, chunks=(300, 3)))


@pytest.fixture(scope="module")
def client():
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    with cluster, distributed.Client(cluster) as client:
        yield client


def test_local_cluster_with_two_worker_processes(client):
    X = _data(n_rows=2000)  # below the sketch size: quantiles are exact
    dX = da.from_array(X, chunks=(250, 3))
    pipeline_steps = [ZScoreScaler(), Clipper(quantile_range=(1, 99))]
    for estimator in pipeline_steps:
        fitted = estimator.fit(dX)
        expected = type(estimator)(**estimator.get_params()).fit(X)
        lazy = fitted.transform(dX)
        assert isinstance(lazy, da.Array)
        result = client.compute(lazy).result()
        assert_allclose(result, expected.transform(X), rtol=1e-12, atol=1e-12)
    assert len(client.scheduler_info()["workers"]) == 2
