"""PiecewiseLinearEncoder: the PLE map, its edges, weights, streaming and inverse."""

import math

import numpy as np
import pytest
from scipy import sparse

from skscale.preprocessing import PiecewiseLinearEncoder


def _data(seed=0, n=500):
    rng = np.random.default_rng(seed)
    X = np.column_stack(
        [
            rng.lognormal(size=n),
            rng.normal(size=n),
            rng.integers(0, 4, size=n).astype(float),  # discrete: merged edges
        ]
    )
    X[rng.random(n) < 0.05, 1] = np.nan
    return X


def test_values_on_a_hand_computed_example():
    # edges 0, 2, 4, 6: first bin linear below, last linear above, middle clipped
    encoder = PiecewiseLinearEncoder(n_bins=3).fit(np.arange(7.0).reshape(-1, 1))
    np.testing.assert_array_equal(encoder.bin_edges_[0], [0.0, 2.0, 4.0, 6.0])
    x = np.array([[-2.0], [0.0], [1.0], [2.0], [3.0], [5.0], [6.0], [7.0]])
    expected = np.array(
        [
            [-1.0, 0.0, 0.0],
            [0.0, 0.0, 0.0],
            [0.5, 0.0, 0.0],
            [1.0, 0.0, 0.0],
            [1.0, 0.5, 0.0],
            [1.0, 1.0, 0.5],
            [1.0, 1.0, 1.0],
            [1.0, 1.0, 1.5],
        ]
    )
    np.testing.assert_array_equal(encoder.transform(x), expected)
    np.testing.assert_array_equal(encoder.inverse_transform(expected), x)


def test_edges_equal_numpy_quantiles_in_fit():
    X = _data()
    n_bins = 10
    encoder = PiecewiseLinearEncoder(n_bins=n_bins).fit(X)
    levels = np.linspace(0, 100, n_bins + 1)
    for j in range(X.shape[1]):
        expected = np.unique(np.nanpercentile(X[:, j], levels))
        np.testing.assert_array_equal(encoder.bin_edges_[j], expected)
    # the discrete column's equal edges are merged: 4 values, at most 3 bins
    assert encoder.n_bins_.tolist()[:2] == [n_bins, n_bins]
    assert encoder.n_bins_[2] <= 3
    assert encoder.transform(X).shape[1] == encoder.n_bins_.sum()


def test_feature_names_name_column_and_bin():
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"income": [1.0, 2.0, 3.0, 4.0], "age": [1.0, 1, 1, 2]})
    encoder = PiecewiseLinearEncoder(n_bins=2).fit(frame)
    assert encoder.get_feature_names_out().tolist() == [
        "income_bin0",
        "income_bin1",
        "age_bin0",
    ]
    out = encoder.set_output(transform="pandas").transform(frame)
    assert list(out.columns) == list(encoder.get_feature_names_out())


def test_polars_output():
    pl = pytest.importorskip("polars")
    frame = pl.DataFrame({"a": [1.0, 2.0, 3.0, 4.0, 5.0]})
    out = PiecewiseLinearEncoder(n_bins=2).set_output(transform="polars")
    result = out.fit_transform(frame)
    assert isinstance(result, pl.DataFrame)
    assert result.columns == ["a_bin0", "a_bin1"]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_inverse_round_trip_and_dtype(dtype):
    X = np.nan_to_num(_data(1)).astype(dtype)
    X[:, 0] *= 1000  # a scale far from the bins' [0, 1]
    encoder = PiecewiseLinearEncoder(n_bins=8).fit(X)
    encoded = encoder.transform(X)
    assert encoded.dtype == dtype
    # beyond the training range too: the tails are linear
    outside = np.array([[-1e4, -50.0, -3.0], [1e5, 40.0, 9.0]], dtype=dtype)
    for data in (X, outside):
        back = encoder.inverse_transform(encoder.transform(data))
        assert back.dtype == dtype
        rtol = 1e-5 if dtype == np.float32 else 1e-12
        np.testing.assert_allclose(back, data, rtol=rtol, atol=rtol * 1000)


def test_nan_gives_nan_in_its_features_columns_only():
    X = _data()
    encoder = PiecewiseLinearEncoder(n_bins=4).fit(X)
    row = np.array([[1.0, np.nan, 2.0]])
    encoded = encoder.transform(row)
    names = encoder.get_feature_names_out()
    is_x1 = np.array([name.startswith("x1_") for name in names])
    assert np.isnan(encoded[0, is_x1]).all()
    assert np.isfinite(encoded[0, ~is_x1]).all()
    assert np.isnan(encoder.inverse_transform(encoded)[0, 1])


def test_constant_and_all_nan_columns():
    X = np.column_stack([np.full(6, 3.0), np.full(6, np.nan), np.arange(6.0)])
    encoder = PiecewiseLinearEncoder(n_bins=3).fit(X)
    assert encoder.n_bins_.tolist() == [1, 1, 3]
    encoded = encoder.transform([[5.0, 2.0, 1.0]])
    # a constant column is x - c, an all-NaN column passes through
    assert encoded[0, :2].tolist() == [2.0, 2.0]
    np.testing.assert_allclose(encoder.inverse_transform(encoded), [[5.0, 2.0, 1.0]])


def test_weights_equal_repeated_rows_and_are_scale_free():
    X = _data(2, n=300)
    weights = np.random.default_rng(3).integers(0, 4, size=len(X))
    repeated = PiecewiseLinearEncoder(n_bins=7).fit(np.repeat(X, weights, axis=0))
    for scale in (1.0, 7.0):
        weighted = PiecewiseLinearEncoder(n_bins=7)
        weighted.fit(X, sample_weight=scale * weights)
        for a, b in zip(weighted.bin_edges_, repeated.bin_edges_):
            np.testing.assert_allclose(a, b, rtol=1e-12)


def test_partial_fit_over_uneven_chunks_within_the_sketch_rank_error():
    rng = np.random.default_rng(4)
    X = np.column_stack([rng.lognormal(size=40_000), rng.normal(size=40_000)])
    bounds = [0, 7, 3_001, 3_002, 15_000, 31_337, 40_000]
    encoder = PiecewiseLinearEncoder(n_bins=16)
    for start, stop in zip(bounds[:-1], bounds[1:]):
        encoder.partial_fit(X[start:stop])
    n_chunks, n = len(bounds) - 1, len(X)
    # the documented bound: (1 + log2(chunks)) / 2048 of the weight, plus a row
    eps = (1 + math.log2(n_chunks)) / 2048 + 1 / n
    levels = np.linspace(0, 1, 17)
    for j in range(X.shape[1]):
        edges = encoder.bin_edges_[j]
        assert edges.size == 17  # continuous data: no merged edges
        column = np.sort(X[:, j])
        below = np.searchsorted(column, edges, side="left") / n
        at_or_below = np.searchsorted(column, edges, side="right") / n
        assert np.all(below <= levels + eps)
        assert np.all(at_or_below >= levels - eps)
    # every row was counted once
    exact = PiecewiseLinearEncoder(n_bins=16).fit(X)
    assert encoder.n_samples_seen_.tolist() == exact.n_samples_seen_.tolist()


def test_dask_fit_and_transform_equal_numpy():
    da = pytest.importorskip("dask.array")
    X = np.nan_to_num(_data(5))
    lazy = da.from_array(X, chunks=(123, 3))
    from_dask = PiecewiseLinearEncoder(n_bins=5).fit(lazy)
    eager = PiecewiseLinearEncoder(n_bins=5).fit(X)
    for a, b in zip(from_dask.bin_edges_, eager.bin_edges_):
        np.testing.assert_array_equal(a, b)  # fewer rows than the sketch keeps
    out = from_dask.transform(lazy)
    assert out.shape == (len(X), eager.n_bins_.sum())
    np.testing.assert_array_equal(out.compute(), eager.transform(X))


def test_dask_dataframe_transform_names_columns():
    dd = pytest.importorskip("dask.dataframe")
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"a": np.arange(20.0), "b": np.arange(20.0) % 3})
    lazy = dd.from_pandas(frame, npartitions=3)
    encoder = PiecewiseLinearEncoder(n_bins=4).fit(lazy)
    out = encoder.transform(lazy).compute()
    assert list(out.columns) == list(encoder.get_feature_names_out())
    np.testing.assert_array_equal(out.to_numpy(), encoder.transform(frame))


def test_refuses_sparse_infinite_and_wrong_widths():
    X = _data()
    with pytest.raises(TypeError, match="sparse"):
        PiecewiseLinearEncoder().fit(sparse.csr_matrix(np.nan_to_num(X)))
    encoder = PiecewiseLinearEncoder(n_bins=4).fit(X)
    with pytest.raises(ValueError, match="infinity in column.*'x0'"):
        encoder.transform([[np.inf, 0.0, 0.0]])
    with pytest.raises(ValueError, match="encodes 3 features into"):
        encoder.inverse_transform(np.zeros((2, 3)))


def test_float32_edges_are_merged_in_float32():
    # few float32 values near 1000: their interpolated float64 quantiles are
    # distinct but round to equal float32 edges (a bin of width 0)
    low = np.float32(1000.0)
    values = [low, np.nextafter(low, np.float32(2000.0))]
    X = np.repeat(np.array(values, dtype=np.float32), [3, 2]).reshape(-1, 1)
    encoder = PiecewiseLinearEncoder(n_bins=64).fit(X)
    edges = encoder.bin_edges_[0]
    assert np.all(np.diff(edges.astype(np.float32)) > 0)
    np.testing.assert_array_equal(encoder.inverse_transform(encoder.transform(X)), X)
