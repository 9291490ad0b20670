"""skscale.onnx: each transformer alone, in float32 and float64, against transform."""

import numpy as np
import pytest

skl2onnx = pytest.importorskip("skl2onnx")
pytest.importorskip("onnxruntime")

from skscale import (  # noqa: E402
    AutoScaler,
    BinaryThresholder,
    Clipper,
    LinearScaler,
    LogTransformer,
    PiecewiseLinearEncoder,
    QuantileNormalizer,
    ZScoreScaler,
)
from skscale.onnx import to_onnx  # noqa: E402
from tests._onnx import (  # noqa: E402
    assert_same,
    held_out,
    run,
    session,
    training_data,
)

TRANSFORMERS = [
    LinearScaler(),
    LinearScaler(feature_range=(0, 1), clip=True),
    ZScoreScaler(),
    ZScoreScaler(with_mean=False, ddof=1),
    LogTransformer(offset="auto"),
    Clipper(quantile_range=(5, 95)),
    Clipper(lower=-1, upper=None),
    BinaryThresholder(threshold="median"),
    BinaryThresholder(threshold="mean"),
    AutoScaler(),
    AutoScaler(scaler="zscore", quantile_range=(2, 98)),
    QuantileNormalizer(n_quantiles=100),
    QuantileNormalizer(n_quantiles=1000),
    QuantileNormalizer(n_quantiles=64, output_distribution="uniform"),
    PiecewiseLinearEncoder(n_bins=8),
    PiecewiseLinearEncoder(n_bins=1),
]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("transformer", TRANSFORMERS, ids=repr)
def test_transformer_alone_equals_transform(transformer, dtype):
    X = training_data(dtype)
    fitted = transformer.fit(X)
    X_new = held_out(X, log_domain=isinstance(transformer, LogTransformer))
    (got,) = run(fitted, X, X_new)
    expected = fitted.transform(X_new)
    assert got.dtype == expected.dtype == dtype
    assert np.isnan(got).any()  # NaN went through
    assert_same(got, expected)


def test_registration_serves_skl2onnx_to_onnx():
    """After ``import skscale.onnx``, skl2onnx's own entry point converts."""
    X = training_data()
    scaler = ZScoreScaler().fit(X)
    plain = skl2onnx.to_onnx(scaler, X[:1])
    assert plain.SerializeToString() == to_onnx(scaler, X[:1]).SerializeToString()


def test_integer_input_computes_in_float64():
    X = training_data().round()
    X[np.isnan(X)] = 0
    scaler = LinearScaler().fit(X)
    X_int = X.astype(np.int64)
    (got,) = run(scaler, X_int, X_int)
    assert got.dtype == np.float64
    assert_same(got, scaler.transform(X_int))


def test_float32_rounds_parameters_as_transform():
    """A float32 graph rounds each parameter to float32 before the arithmetic,
    as transform does: bit for bit here, where rounding parameters after the
    arithmetic (or keeping them float64) would not be."""
    rng = np.random.default_rng(1)
    X = (rng.normal(size=(500, 3)) * [1e-3, 1.0, 1e4] + [1.0, 1e3, 3e5]).astype(
        np.float32
    )
    for scaler in (LinearScaler(), ZScoreScaler()):
        fitted = scaler.fit(X)
        (got,) = run(fitted, X, X)
        np.testing.assert_array_equal(got, fitted.transform(X))


def test_log_offsets_near_the_float_limits():
    X = np.array([[0.0, -1e35], [5.0, 3e36], [7.0, 1e37]])
    transformer = LogTransformer(offset=[1e35, 2e35]).fit(X)
    (got,) = run(transformer, X, X)
    assert_same(got, transformer.transform(X))


def test_encoder_edges_near_the_float_limits():
    rng = np.random.default_rng(2)
    X = np.column_stack([rng.uniform(-1, 1, 200) * 1e308, rng.normal(size=200)])
    encoder = PiecewiseLinearEncoder(n_bins=4).fit(X)
    (got,) = run(encoder, X, X)
    assert np.isfinite(got).all()
    assert_same(got, encoder.transform(X))


def test_constant_and_all_nan_columns():
    X = np.column_stack([np.full(50, 3.0), np.full(50, np.nan), np.arange(50.0)])
    for transformer in (
        QuantileNormalizer(n_quantiles=10),
        PiecewiseLinearEncoder(4),
        AutoScaler(),
        BinaryThresholder("median"),
        ZScoreScaler(),
    ):
        fitted = transformer.fit(X)
        (got,) = run(fitted, X, X)
        assert_same(got, fitted.transform(X))


def test_log_domain_outside_gives_nan_where_transform_raises():
    """Documented: ONNX cannot raise, so the graph gives NaN below the
    domain and -inf at its edge."""
    X = np.array([[0.0], [1.0], [2.0]])
    transformer = LogTransformer().fit(X)
    with pytest.raises(ValueError, match="Negative values"):
        transformer.transform([[-2.0]])
    (got,) = run(transformer, X, np.array([[-2.0], [-1.0], [1.0]]))
    assert np.isnan(got[0, 0])
    assert got[1, 0] == -np.inf
    assert got[2, 0] == pytest.approx(np.log(2.0))


def test_quantile_normalizer_ends_and_repeated_quantiles():
    """Values at and beyond the training range map to the clipped ends, a run
    of equal quantiles (a discrete column) to the middle of its step."""
    X = np.column_stack([np.repeat(np.arange(5.0), 40), np.linspace(0, 1, 200)])
    for distribution in ("normal", "uniform"):
        normalizer = QuantileNormalizer(
            n_quantiles=50, output_distribution=distribution
        ).fit(X)
        X_new = np.vstack([X, [[-1.0, -1.0], [9.0, 2.0], [2.5, 0.5 + 1e-9]]])
        (got,) = run(normalizer, X, X_new)
        assert_same(got, normalizer.transform(X_new))


def test_dataframe_columns_are_one_input_each():
    """skl2onnx gives a DataFrame one input per column (an integer column an
    int64 one): the converters concatenate them all, in order."""
    pd = pytest.importorskip("pandas")
    X = training_data()
    frame = pd.DataFrame(X[:, :3], columns=["skewed", "plain", "binary"])
    frame["binary"] = frame["binary"].astype(np.int64)
    for transformer in (LinearScaler(), PiecewiseLinearEncoder(4), AutoScaler()):
        fitted = transformer.fit(frame)
        graph = session(to_onnx(fitted, frame[:1]))
        assert [i.name for i in graph.get_inputs()] == list(frame.columns)
        (got,) = graph.run(None, {c: frame[[c]].to_numpy() for c in frame.columns})
        assert_same(got, fitted.transform(frame))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_offset_one_keeps_the_digits_of_values_near_zero(dtype):
    """Where offset_ is 1, transform is log1p: 1e-9 + 1 rounds to 1, log1p
    keeps it (and so must the graph), in LogTransformer and AutoScaler."""
    tiny = np.array([0.0, 1e-12, 3e-9, 1e-6, 0.5, 40.0, 1e4])
    X = np.column_stack([tiny, tiny * 2 + 5, tiny]).astype(dtype)
    for transformer in (
        LogTransformer(),
        LogTransformer(offset=[1.0, 3.0, 1.0]),
        AutoScaler(skew_threshold=0.0, scaler="zscore"),
    ):
        fitted = transformer.fit(X)
        (got,) = run(fitted, X, X)
        assert_same(got, fitted.transform(X))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_rbf_sampler_the_demo_uses_converts(dtype):
    """skl2onnx has no RBFSampler converter; skscale.onnx registers one (the
    demo's best model encodes the location with it)."""
    from sklearn.kernel_approximation import RBFSampler

    X = np.nan_to_num(training_data(dtype))[:, [1, 3]]
    sampler = RBFSampler(gamma=2.0, n_components=32, random_state=0).fit(X)
    (got,) = run(sampler, X, X)
    assert got.dtype == dtype
    assert_same(got, sampler.transform(X), floor=True)
