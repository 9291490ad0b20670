"""Issue 17's engine and transformer items: each test failed before its fix."""

import warnings

import numpy as np
import pandas as pd
import pytest

import skscale
from skscale import AutoScaler


def skewed_and_heavy_tailed(n=5000, seed=0):
    """Column 0 lognormal (AutoScaler logs it), column 1 Cauchy (clipped)."""
    rng = np.random.default_rng(seed)
    return np.column_stack(
        [rng.lognormal(sigma=1.5, size=n), rng.standard_t(1, size=n)]
    )


# --- item 1: AutoScaler's blocked transform checks every block's domain ------

LAYOUTS = {
    "C": np.ascontiguousarray,
    "Fortran": np.asfortranarray,
    "list": lambda X: X.tolist(),
    "DataFrame": lambda X: pd.DataFrame(X, columns=["x0", "x1"]),
}


@pytest.mark.parametrize("layout", [*LAYOUTS, "copy=False"])
def test_autoscaler_refuses_values_outside_a_logged_columns_domain(layout):
    train = skewed_and_heavy_tailed()
    scaler = AutoScaler().fit(LAYOUTS.get(layout, np.asarray)(train))
    assert [name for name, *_ in scaler.steps_][:2] == ["log", "clip"]
    bad = np.array([[-5.0, 0.0], [-1.0, 0.0], [3.0, 1.0]])
    if layout == "copy=False":
        scaler.set_params(copy=False)
        X = bad.copy()
    else:
        X = LAYOUTS[layout](bad)
    with pytest.raises(ValueError, match="column\\(s\\) 'x0' \\(2 values\\)"):
        scaler.transform(X)
    if layout == "copy=False":
        np.testing.assert_array_equal(X, bad)


def test_autoscaler_checks_the_domain_in_every_block_and_thread():
    X = skewed_and_heavy_tailed(20_000)
    scaler = AutoScaler().fit(X)
    X_bad = X.copy()
    X_bad[15_321, 0] = -3.0
    settings = {"block_rows": 64, "n_threads": 2, "parallel_min_elements": 0}
    with (
        skscale.config_context(**settings),
        pytest.raises(ValueError, match="'x0' \\(1 values\\)"),
    ):
        scaler.transform(X_bad)


# --- items 6 and 14: AutoScaler's skewness is scale-free ---------------------


def skewed_and_normal(n=2000, seed=0):
    rng = np.random.default_rng(seed)
    return np.column_stack([rng.lognormal(sigma=1.5, size=n), rng.normal(size=n)])


@pytest.mark.parametrize("weight", [1e-4, 1e300, 1e-300])
def test_autoscaler_equal_weights_of_any_size_give_the_unweighted_choices(weight):
    X = skewed_and_normal()
    plain = AutoScaler().fit(X)
    weighted = AutoScaler().fit(X, sample_weight=np.full(len(X), weight))
    assert weighted.strategies_ == plain.strategies_
    np.testing.assert_allclose(
        weighted.report()["skewness"], plain.report()["skewness"], rtol=1e-9
    )


def test_autoscaler_report_counts_weights_without_a_cast_warning():
    # A weighted fit's counts are total weights: with weights of 1e300 an
    # int64 cast turned them into a RuntimeWarning and nonsense; unweighted
    # counts stay integers.
    X = skewed_and_normal()
    X[:5, 1] = np.nan
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        weighted = AutoScaler().fit(X, sample_weight=np.full(len(X), 1e300)).report()
        halves = AutoScaler().fit(X, sample_weight=np.full(len(X), 0.5)).report()
    np.testing.assert_allclose(weighted["count"], [2000e300, 1995e300])
    np.testing.assert_allclose(halves["count"], [1000.0, 997.5])
    np.testing.assert_allclose(halves["missing"], [0.0, 2.5])
    plain = AutoScaler().fit(X).report()
    assert plain["count"].dtype == np.int64
    assert plain["count"].tolist() == [2000, 1995]
    assert plain["missing"].tolist() == [0, 5]


@pytest.mark.parametrize("scale", [1.0, 1e110, 1e150])
def test_autoscaler_merged_skewness_equals_the_exact_one(scale):
    X = skewed_and_normal() * scale
    whole = AutoScaler().fit(X)
    chunked = AutoScaler()
    for chunk in np.array_split(X, 3):
        chunked.partial_fit(chunk)
    assert whole.strategies_[0].startswith("log")
    assert chunked.strategies_ == whole.strategies_
    np.testing.assert_allclose(
        chunked.report()["skewness"], whole.report()["skewness"], rtol=1e-9
    )


# --- item 15: a single-block Dask fit of AutoScaler equals the NumPy fit -----


def test_autoscaler_single_block_dask_fit_equals_the_numpy_fit():
    da = pytest.importorskip("dask.array")
    rng = np.random.default_rng(0)
    n = 5000  # more than the sketch keeps exactly
    X = np.column_stack([rng.normal(size=n), rng.standard_t(1, size=n)])
    lazy = AutoScaler(scaler="linear").fit(da.from_array(X, chunks=(n, 2)))
    eager = AutoScaler(scaler="linear").fit(X)
    assert lazy.strategies_ == eager.strategies_ == ["linear", "clip+linear"]
    out = lazy.transform(X)
    np.testing.assert_allclose(out, eager.transform(X), rtol=1e-12, atol=1e-15)
    assert out.min() >= -1.0 and out.max() <= 1.0


# --- item 20: an offset of 1 is log1p, its inverse expm1 ----------------------


@pytest.mark.parametrize("offset", [1.0, [1.0, 1.0], [1.0, 3.0], "auto"])
def test_log_offset_one_is_log1p_and_round_trips(offset):
    tiny = np.array([[1e-17, 1e-17], [1e-12, 2e-12], [0.5, 0.25]])
    transformer = skscale.LogTransformer(offset).fit(tiny)
    out = transformer.transform(tiny)
    unit = transformer.offset_ == 1
    assert unit[0]
    np.testing.assert_array_equal(out[:, unit], np.log1p(tiny[:, unit]))
    back = transformer.inverse_transform(out)
    np.testing.assert_allclose(back[:, unit], tiny[:, unit], rtol=1e-15)
    for dtype in (np.float32, np.float64):
        blocked = transformer.transform(np.tile(tiny, (50, 1)).astype(dtype))
        np.testing.assert_array_equal(
            blocked[:3, unit], np.log1p(tiny[:, unit].astype(dtype))
        )


# --- item 17: fitted on array-api-strict, used with dispatch off --------------


@pytest.mark.parametrize(
    "estimator",
    [skscale.LogTransformer(), skscale.LogTransformer("auto"), AutoScaler()],
    ids=lambda e: repr(e),
)
def test_fitted_on_another_namespace_then_used_on_numpy(estimator):
    xp = pytest.importorskip("array_api_strict")
    from sklearn import clone, config_context

    X = np.abs(skewed_and_normal(400))
    try:
        with config_context(array_api_dispatch=True):
            fitted = estimator.fit(xp.asarray(X))
    except RuntimeError as exc:  # pragma: no cover - conftest.py sets SciPy's flag
        pytest.skip(str(exc))
    expected = clone(estimator).fit(X)
    out = fitted.transform(X)
    np.testing.assert_allclose(out, expected.transform(X), rtol=1e-12)
    np.testing.assert_allclose(fitted.inverse_transform(out), X, rtol=1e-9)


# --- item 18: inverse_transform ignores feature names, as scikit-learn's scalers


@pytest.mark.parametrize(
    "estimator",
    [
        skscale.LinearScaler(),
        skscale.ZScoreScaler(),
        AutoScaler(),
        skscale.LogTransformer(),
    ],
    ids=lambda e: type(e).__name__,
)
def test_inverse_transform_of_an_array_after_a_frame_fit_is_silent(estimator):
    import warnings

    frame = pd.DataFrame({"a": [1.0, 2.0, 3.0, 5.0], "b": [0.1, 0.4, 0.2, 0.9]})
    out = estimator.fit(frame).transform(frame)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        back = estimator.inverse_transform(np.asarray(out))
    np.testing.assert_allclose(back, frame.to_numpy(), rtol=1e-12)
    with pytest.raises(ValueError, match="X has 3 features, but .* expecting 2"):
        estimator.inverse_transform(np.ones((2, 3)))


# --- item 19: QuantileNormalizer between subnormally close knots -------------


def test_quantile_normalizer_interpolates_between_subnormally_close_knots():
    X = np.array([[0.0], [5e-311], [1.0], [2.0]] * 5)
    normalizer = skscale.QuantileNormalizer(4, output_distribution="uniform")
    normalizer.fit(X)
    np.testing.assert_array_equal(normalizer.quantiles_.ravel(), [0, 5e-311, 1, 2])
    between = np.array([[0.0], [1e-311], [2.5e-311], [5e-311], [0.5]])
    out = normalizer.transform(between).ravel()
    # the knots' CDF values are 0 and 1/3: a fifth and a half of the way
    np.testing.assert_allclose(out, [0, 0.2 / 3, 0.5 / 3, 1 / 3, 0.5], rtol=1e-12)
    ties = skscale.QuantileNormalizer(6, output_distribution="uniform")
    out = ties.fit(np.r_[X, [[0.0]] * 5]).transform(between).ravel()
    assert np.isfinite(out).all() and np.all(np.diff(out) >= 0)


# --- item 16: kernel settings ---------------------------------------------------


def test_a_rejected_set_config_changes_nothing():
    import threading

    before = skscale.get_config()
    with pytest.raises(ValueError, match="block_elements"):
        skscale.set_config(n_threads=5, block_elements=0)
    assert skscale.get_config() == before
    seen = []
    thread = threading.Thread(target=lambda: seen.append(skscale.get_config()))
    thread.start()
    thread.join()
    assert seen == [before]
    with (
        pytest.raises(ValueError, match="fold_width"),
        skscale.config_context(n_threads=3, fold_width=-1),
    ):
        pass  # pragma: no cover - the context refuses to start
    assert skscale.get_config() == before


def test_concurrent_config_contexts_leave_the_process_default_alone():
    import sys
    import threading

    before = skscale.get_config()
    inside = []

    def worker(n):
        for _ in range(2000):
            with skscale.config_context(n_threads=n, block_rows=n):
                inside.append(skscale.get_config()["n_threads"] == n)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(2, 10)]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads often: entries interleave
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    assert all(inside) and len(inside) == 16000
    fresh = []
    thread = threading.Thread(target=lambda: fresh.append(skscale.get_config()))
    thread.start()
    thread.join()
    assert fresh == [before]


def test_numpy_integers_are_settings():
    with skscale.config_context(n_threads=np.int64(2), block_rows=np.int32(3)):
        config = skscale.get_config()
    assert (config["n_threads"], config["block_rows"]) == (2, 3)
    assert type(config["n_threads"]) is int


@pytest.mark.parametrize("setting", ["block_elements", "block_rows"])
def test_huge_block_settings_size_scratch_by_the_array(setting):
    X = np.array([[1.0, 2.0], [3.0, 5.0], [4.0, 0.5]])
    expected = skscale.ZScoreScaler().fit(X).transform(X)
    huge = {setting: 2**62, "transform_block_elements": 2**62}
    with skscale.config_context(**huge):
        out = skscale.ZScoreScaler().fit(X).transform(X)
    np.testing.assert_array_equal(out, expected)


# --- item 7: Dask collections with an empty partition ---------------------------


def _transformers():
    from _public import public_estimator_classes
    from sklearn.base import ClassifierMixin, RegressorMixin

    return [
        cls()
        for cls in public_estimator_classes()
        if not issubclass(cls, ClassifierMixin | RegressorMixin)
    ]


@pytest.mark.parametrize("estimator", _transformers(), ids=lambda e: type(e).__name__)
@pytest.mark.parametrize("kind", ["DataFrame", "array"])
def test_dask_collections_with_an_empty_partition(estimator, kind):
    dd = pytest.importorskip("dask.dataframe")
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"t": np.arange(300.0), "x": rng.lognormal(size=300)})
    if kind == "DataFrame":
        X = dd.from_pandas(frame, npartitions=3)
        X = X[X.t >= 150]  # partitions of 0, 50 and 100 rows
        eager = X.compute()
    else:
        X = dd.from_pandas(frame, npartitions=1).to_dask_array(lengths=True)
        X = X.rechunk(((0, 50, 100, 150), (2,)))
        eager = X.compute()
    fitted = estimator.fit(X)
    out = fitted.transform(X).compute()
    np.testing.assert_allclose(np.asarray(out), fitted.transform(eager), rtol=1e-12)
    if hasattr(fitted, "inverse_transform") and out.shape[1] == 2:
        back = fitted.inverse_transform(fitted.transform(X)).compute()
        assert back.shape == eager.shape


# --- item 5: the sketch keeps the extremes and does not lean one way ----------


def test_sketch_mean_signed_rank_error_is_near_zero_over_many_chunks():
    from skscale._engine._sketch import QuantileSketch

    rng = np.random.default_rng(5)
    chunks = [rng.lognormal(size=(1000, 1)) for _ in range(128)]
    sketch = QuantileSketch.from_array(chunks[0], k=64)
    for chunk in chunks[1:]:
        sketch = sketch.merge(QuantileSketch.from_array(chunk, k=64))
    data = np.sort(np.concatenate(chunks).ravel())
    q = np.linspace(0.01, 0.99, 99)
    estimates = sketch.quantiles(q)[:, 0]
    # the rank of each estimate in the data (the middle of a run of ties)
    rank = (
        np.searchsorted(data, estimates) + np.searchsorted(data, estimates, "right")
    ) / 2
    signed = (rank - q * (data.size - 1)) / data.size
    bound = sketch.rank_error_bound()[0]
    assert np.all(np.abs(signed) <= bound)
    # one-sided compaction drifted by about half the bound on every quantile
    assert abs(signed.mean()) < bound / 10


def test_partial_fit_quantiles_0_and_100_are_the_extremes():
    rng = np.random.default_rng(17)
    chunks = []
    for _ in range(8):
        normal = rng.normal(size=20_000)
        chunks.append(np.column_stack([np.exp(normal), normal]))
    data = np.concatenate(chunks)
    for sign in (1.0, -1.0):
        clipper = skscale.Clipper(quantile_range=(0, 100))
        for chunk in chunks:
            clipper.partial_fit(sign * chunk)
        np.testing.assert_array_equal(clipper.lower_, (sign * data).min(axis=0))
        np.testing.assert_array_equal(clipper.upper_, (sign * data).max(axis=0))
        tails = skscale.Clipper(quantile_range=(0.1, 99.9))
        for chunk in chunks:
            tails.partial_fit(sign * chunk)
        exact = np.percentile(sign * data, [0.1, 99.9], axis=0)
        # within the sketch's documented rank error, on both sides
        for bound, q, learned in [(0, 0.001, tails.lower_), (1, 0.999, tails.upper_)]:
            rank = (np.sort(sign * data, axis=0) < learned).sum(axis=0) / len(data)
            eps = tails._summary.sketch.rank_error_bound()
            assert np.all(np.abs(rank - q) <= eps), (bound, learned, exact[bound])


def test_dask_fitted_quantile_maps_reach_the_ends_of_their_own_training_data():
    da = pytest.importorskip("dask.array")
    rng = np.random.default_rng(3)
    X = np.exp(rng.normal(size=(40_000, 2)))
    lazy = da.from_array(X, chunks=(5_000, 2))
    encoder = skscale.PiecewiseLinearEncoder(8).fit(lazy)
    out = encoder.transform(X)
    assert out.max() <= 1.0
    normalizer = skscale.QuantileNormalizer(output_distribution="uniform").fit(lazy)
    assert normalizer.transform(X).max(axis=0).tolist() == [1.0, 1.0]


# --- item 3: the declared floor scikit-learn 1.6 has no vendored array_api_compat


@pytest.mark.parametrize("move_to_exists", [True, False])
def test_numpy_fits_need_no_array_api_compat(monkeypatch, move_to_exists):
    """scikit-learn 1.6 (the floor) vendors no ``sklearn.externals.array_api_compat``
    and has no ``move_to``: NumPy fits must not import either. The whole
    suite's subset runs at the floors in ``.ci/min_deps``."""
    import sys

    from skscale import _compat

    monkeypatch.setitem(sys.modules, "sklearn.externals.array_api_compat", None)
    if not move_to_exists:
        monkeypatch.setattr(_compat, "move_to", None)
    X = skewed_and_normal(50)
    np.testing.assert_allclose(
        skscale.LinearScaler().fit(X).transform(X).max(axis=0), [1.0, 1.0]
    )


def test_log_mixed_offsets_do_not_warn_for_the_other_columns():
    import warnings

    X = np.array([[-5.0, 0.5], [3.0, 2.0], [10.0, 1e-12]])
    transformer = skscale.LogTransformer("auto").fit(X)
    assert transformer.offset_.tolist() == [6.0, 1.0]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = transformer.transform(np.asfortranarray(X))
        back = transformer.inverse_transform(np.asfortranarray(out))
    np.testing.assert_allclose(back, X, rtol=1e-12)


def test_autoscaler_on_subnormal_values_scales_without_overflow():
    # A column of subnormals has a power-of-two exponent near -1074: scaling
    # it by 2**1074 overflowed (a RuntimeWarning, and the moments lost).
    rng = np.random.default_rng(0)
    X = np.column_stack([rng.integers(1, 1000, 500), rng.normal(size=500)])
    X = X * np.array([5e-324, 1.0])  # whole multiples of the smallest subnormal
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        report = AutoScaler().fit(X).report()
    assert np.isfinite(report["skewness"]).all()
    # the same column at ordinary magnitude; the mean of subnormals is
    # rounded to a whole multiple of 5e-324, which moves the third decimal
    ordinary = AutoScaler().fit(X / np.array([5e-324, 1.0])).report()
    assert report["skewness"].iloc[0] != 0
    np.testing.assert_allclose(
        report["skewness"].iloc[0], ordinary["skewness"].iloc[0], rtol=1e-2
    )
