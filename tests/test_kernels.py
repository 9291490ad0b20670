"""The blocked, threaded kernels give the simple path's results on odd shapes.

Tiny blocks and several threads are forced through ``skscale.config_context``,
so small arrays cross many block and thread boundaries. The simple path is the
whole-array code that Fortran-ordered and strided arrays still take.
"""

import os
import signal
import threading

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

import skscale
from skscale import (
    BinaryThresholder,
    Clipper,
    LinearScaler,
    LogTransformer,
    ZScoreScaler,
    config_context,
)
from skscale._engine import _config, _kernels, _sketch
from skscale._engine import _core as _engine
from skscale._engine._stats import ColumnStats, column_extremes, summarize

BLOCK = 8
# (rows, columns): one row, one column, fewer rows than a block, exactly one
# block, a block and one row, many blocks with a remainder.
SHAPES = [(1, 4), (29, 1), (5, 3), (BLOCK, 3), (BLOCK + 1, 3), (61, 5)]


@pytest.fixture(params=[1024, 10], ids=["unfolded", "folded"])
def tiny_kernels(request):
    """Blocks of 8 rows, 3 threads from the first value on; with "folded",
    blocks are also reduced as wide rows (k = 2 rows per wide row at 5 columns)."""
    with config_context(
        block_rows=BLOCK, n_threads=3, parallel_min_elements=0, fold_width=request.param
    ):
        yield


def _data(shape, dtype=np.float64, seed=0):
    rng = np.random.default_rng(seed)
    scales = np.linspace(1.0, 50.0, shape[1])
    X = rng.normal(3.0, 1.0, size=shape) * scales + 0.5 * scales
    return np.abs(X).astype(dtype) + 0.1


def _nan_in_last_block(X):
    X = X.copy()
    X[-1, 0] = np.nan
    if X.shape[0] > 2:
        X[-2, -1] = np.nan
    return X


def _assert_stats_close(blocked, simple, needs="m2"):
    assert_array_equal(blocked.count, simple.count)
    assert_array_equal(blocked.min, simple.min)
    assert_array_equal(blocked.max, simple.max)
    if needs != "extremes":
        assert_allclose(blocked.mean, simple.mean, rtol=1e-13)
    if needs == "m2":
        assert_allclose(blocked.m2, simple.m2, rtol=1e-11, atol=1e-9)


@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("nan", [False, True], ids=["", "nan-in-last-block"])
def test_blocked_statistics_equal_the_simple_path(tiny_kernels, shape, dtype, nan):
    X = _data(shape, dtype)
    if nan:
        X = _nan_in_last_block(X)
    # float32 blocks accumulate in float64: the reference is float64 too.
    simple = ColumnStats._simple(X.astype(np.float64))
    for needs in ["extremes", "mean", "m2"]:
        _assert_stats_close(ColumnStats.from_array(X, needs=needs), simple, needs)
    col_min, col_max = column_extremes(X)
    assert_array_equal(col_min, simple.min)
    assert_array_equal(col_max, simple.max)


def test_statistics_of_fortran_strided_and_all_nan_columns(tiny_kernels):
    X = _nan_in_last_block(_data((61, 5)))
    X[:, 2] = np.nan
    X[:BLOCK, 3] = np.nan  # a whole block without values in one column
    reference = ColumnStats._simple(X)
    assert np.isnan(reference.mean[2]) and reference.count[2] == 0
    for layout in [X, np.asfortranarray(X), np.repeat(X, 2, axis=1)[:, ::2]]:
        _assert_stats_close(ColumnStats.from_array(layout), reference)
    merged = ColumnStats.from_array(X[:30]).merge(ColumnStats.from_array(X[30:]))
    _assert_stats_close(merged, reference)


def test_threads_change_nothing():
    X = _nan_in_last_block(_data((4001, 7)))
    serial = summarize(X)[0].stats
    for threads in [2, 5]:
        with config_context(parallel_min_elements=0, n_threads=threads):
            _assert_stats_close(summarize(X)[0].stats, serial)


ESTIMATORS = [
    LinearScaler(),
    LinearScaler(feature_range=(0, 1), clip=True),
    ZScoreScaler(),
    LogTransformer(),
    LogTransformer(offset="auto"),
    Clipper(quantile_range=(10, 90)),
    BinaryThresholder(threshold="mean"),
    BinaryThresholder(threshold="median"),
]


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=repr)
@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_blocked_transform_equals_the_simple_path(
    tiny_kernels, monkeypatch, estimator, shape, dtype
):
    X = _nan_in_last_block(_data(shape, dtype))
    fitted = type(estimator)(**estimator.get_params()).fit(X)
    calls = []

    def counted(X, *args, **kwargs):
        calls.append(X.shape)
        return _kernels.blocked_transform(X, *args, **kwargs)

    monkeypatch.setattr(_engine, "blocked_transform", counted)
    simple = fitted.transform(np.repeat(X, 2, axis=1)[:, ::2])
    assert not calls
    blocked = fitted.transform(X)
    assert calls == [X.shape]
    assert blocked.dtype == dtype and blocked.flags.c_contiguous
    assert_array_equal(np.isnan(blocked), np.isnan(X))
    # log may use a vectorized loop on contiguous data: a few ulps apart.
    assert_allclose(blocked, simple, rtol=4 * np.finfo(dtype).eps, atol=0)
    in_place = type(estimator)(**{**estimator.get_params(), "copy": False}).fit(X)
    X_copy = X.copy()
    out = in_place.transform(X_copy)
    assert out is X_copy
    assert_array_equal(out, blocked)
    fortran = fitted.transform(np.asfortranarray(X))
    assert_allclose(fortran, simple, rtol=4 * np.finfo(dtype).eps, atol=0)


@pytest.mark.parametrize("copy", [True, False])
@pytest.mark.parametrize("estimator", ESTIMATORS[:4], ids=repr)
def test_inf_in_the_last_block_is_named_and_x_left_unchanged(
    tiny_kernels, estimator, copy
):
    X = _data((61, 5))
    fitted = type(estimator)(**{**estimator.get_params(), "copy": copy}).fit(X)
    X[-1, 3] = -np.inf
    X[-2, 3] = np.nan
    before = X.copy()
    with pytest.raises(ValueError, match=r"infinity in column\(s\) 'x3' passed"):
        fitted.transform(X)
    assert_array_equal(X, before)
    with pytest.raises(ValueError, match=r"infinity in column\(s\) 'x3' passed"):
        type(estimator)(**estimator.get_params()).fit(X)


@pytest.mark.parametrize("copy", [True, False])
def test_log_domain_error_in_the_last_block_leaves_x_unchanged(tiny_kernels, copy):
    X = _data((61, 5))
    fitted = LogTransformer(copy=copy).fit(X)
    X[-1, 4] = -2.0
    before = X.copy()
    with pytest.raises(ValueError, match=r"column\(s\) 'x4' \(1 values\)"):
        fitted.transform(X)
    assert_array_equal(X, before)


def test_row_ranges_cover_the_rows_in_whole_blocks():
    for threads in [1, 2, 3, 8]:
        with config_context(block_rows=4, parallel_min_elements=0, n_threads=threads):
            config = skscale.get_config()
        for n_rows in [1, 3, 4, 5, 17]:
            ranges, rows = _kernels.row_ranges(n_rows, 3, config)
            assert rows == min(4, n_rows) and len(ranges) <= threads
            assert ranges[0][0] == 0 and ranges[-1][1] == n_rows
            for (_, stop), (start, _) in zip(ranges, ranges[1:]):
                assert stop == start and start % rows == 0


def test_thread_count_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("SKSCALE_NUM_THREADS", "3")
    assert _config._threads_from_environment() == 3
    monkeypatch.setenv("SKSCALE_NUM_THREADS", "not a number")
    assert 1 <= _config._threads_from_environment() <= 8


def test_config_context_is_local_to_its_block_and_thread():
    before = skscale.get_config()
    seen = {}
    with config_context(n_threads=5, block_rows=3):
        assert skscale.get_config()["n_threads"] == 5
        thread = threading.Thread(target=lambda: seen.update(skscale.get_config()))
        thread.start()
        thread.join()
    assert seen["n_threads"] == before["n_threads"]  # another thread: unchanged
    assert skscale.get_config() == before
    with pytest.raises(TypeError, match="Unknown"), config_context(threads=2):
        pass
    with pytest.raises(ValueError, match="n_threads"):
        skscale.set_config(n_threads=0)


@pytest.mark.parametrize("n", [1, 5, 2048, 2049, 4097, 10_007])
def test_unit_weight_shortcuts_equal_the_weighted_code(n):
    rng = np.random.default_rng(n)
    values = np.sort(rng.lognormal(size=n))
    ones = np.ones(n)
    quantiles = np.array([0.0, 0.01, 0.25, 0.5, 0.99, 1.0])
    assert_array_equal(
        _sketch._unit_quantiles(values, quantiles),
        _sketch.points_quantiles(values, ones, quantiles),
    )
    for k in [7, 2048]:
        fast = _sketch._unit_compress(values, k)
        general = _sketch._compress(values, ones, k)
        assert_array_equal(fast[0], general[0])
        assert_array_equal(fast[1], general[1])
        assert fast[2] == general[2]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_threaded_exact_quantiles_equal_nanpercentile(tiny_kernels, dtype):
    X = _nan_in_last_block(_data((61, 5), dtype))
    X[:, 2] = np.nan
    percents = [1.0, 50.0, 99.0]
    summary, exact = summarize(X, percents=percents)
    with pytest.warns(RuntimeWarning, match="All-NaN slice"):
        expected = np.nanpercentile(X.astype(np.float64), percents, axis=0)
    assert_allclose(exact, expected, rtol=1e-15, atol=0)
    assert_array_equal(summary.sketch.total_weight(), summary.stats.count)
    assert_allclose(summary.sketch.quantiles([0.5]), exact[1:2], rtol=1e-15)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
@config_context(parallel_min_elements=0, n_threads=2, block_rows=100)
def test_a_forked_child_gets_its_own_threads():
    X = _data((4001, 3))
    expected = ColumnStats.from_array(X)  # creates the pool in this process
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child reports through the pipe
        signal.alarm(60)  # a child waiting on the parent's dead threads dies
        try:
            stats = ColumnStats.from_array(X)
            os.write(write, b"1" if np.array_equal(stats.m2, expected.m2) else b"0")
        finally:
            os._exit(0)
    os.close(write)
    _, status = os.waitpid(pid, 0)
    assert os.read(read, 1) == b"1" and status == 0


@pytest.mark.parametrize(
    "estimator", [LinearScaler(clip=True), Clipper(lower=0, upper=1)], ids=repr
)
def test_maps_that_hide_inf_in_their_output_still_reject_it(tiny_kernels, estimator):
    X = _data((61, 5))
    fitted = estimator.fit(X)
    X[-1, 2] = np.inf
    with pytest.raises(ValueError, match=r"infinity in column\(s\) 'x2' passed"):
        fitted.transform(X)


def test_overflow_to_inf_in_the_output_is_not_an_error(tiny_kernels):
    X = _data((61, 5))
    fitted = LinearScaler().fit(X / 1e6)  # scale_ > 1000: 1e306 overflows
    X[-1, 1] = 1e306
    out = fitted.transform(X)
    assert np.isinf(out[-1, 1])
    with np.errstate(over="ignore"):  # the simple path's multiply warns
        simple = fitted.transform(np.asfortranarray(X))
    assert_array_equal(out, simple)


def test_float32_means_accumulate_in_float64_without_a_float64_copy(monkeypatch):
    # float32 fits read float32: the blocked sum casts inside the reduction
    # instead of writing each block into a float64 scratch first (which cost
    # more than reading float64, so float32 fits were no faster). The sums are
    # the float64 path's, bit for bit: the same additions in the same order.
    rng = np.random.default_rng(0)
    X32 = (rng.standard_exponential((3_000, 7)) * 1e3).astype(np.float32)
    copies = []
    copyto = np.copyto

    def spy(dst, src, *args, **kwargs):
        if getattr(dst, "dtype", None) == np.float64 and np.asarray(src).dtype == (
            np.float32
        ):
            copies.append(np.shape(src))
        return copyto(dst, src, *args, **kwargs)

    with config_context(block_rows=64, parallel_min_elements=0, n_threads=2):
        monkeypatch.setattr(np, "copyto", spy)
        fitted = BinaryThresholder("mean").fit(X32)
        monkeypatch.undo()
        expected = BinaryThresholder("mean").fit(X32.astype(np.float64))
    assert copies == []
    assert_array_equal(fitted.threshold_, expected.threshold_)
