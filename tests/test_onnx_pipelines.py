"""skscale.onnx: the networks, and pipelines of skscale and scikit-learn steps."""

import warnings

import numpy as np
import pytest

pytest.importorskip("skl2onnx")
pytest.importorskip("onnxruntime")

from sklearn.compose import ColumnTransformer  # noqa: E402
from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import MinMaxScaler, StandardScaler  # noqa: E402

from skscale import (  # noqa: E402
    AutoScaler,
    Clipper,
    DropoutMLPClassifier,
    DropoutMLPRegressor,
    LinearScaler,
    LogTransformer,
    PiecewiseLinearEncoder,
    QuantileNormalizer,
    ZScoreScaler,
)
from tests._onnx import assert_same, held_out, run, training_data  # noqa: E402


@pytest.fixture(autouse=True)
def _short_training():
    # the networks train for a few epochs only: what is tested is the graph
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        yield


def _target(X):
    X = np.nan_to_num(np.asarray(X, dtype=np.float64))
    return np.log1p(X[:, 0]) + 2 * X[:, 1] - 0.01 * X[:, 5]


def _classes(X, n_classes, kind):
    y = _target(X)
    codes = np.digitize(y, np.quantile(y, np.linspace(0, 1, n_classes + 1)[1:-1]))
    if kind == "str":
        return np.array(["low", "mid", "high"])[codes]
    return codes * 2.0 if kind == "float" else codes * 3


def _network_columns():
    """Columns a network accepts: finite (the networks reject NaN)."""
    return ColumnTransformer(
        [
            ("clip", Clipper(quantile_range=(1, 99)), [3]),
            ("log", LogTransformer(), [0]),
            ("ple", PiecewiseLinearEncoder(n_bins=6), [1, 4, 5]),
            ("std", StandardScaler(), [2]),
        ]
    )


def _finite(X):
    return np.where(np.isnan(X), 0, X).astype(X.dtype)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize(
    "activation", ["relu", "leaky_relu", "tanh", "logistic", "identity"]
)
def test_auto_scaler_then_regressor(activation, dtype):
    X = _finite(training_data(dtype))
    pipe = make_pipeline(
        AutoScaler(),
        DropoutMLPRegressor(
            (16, 8), activation=activation, dropout=0.2, max_iter=15, random_state=0
        ),
    ).fit(X, _target(X))
    X_new = _finite(held_out(X))
    (got,) = run(pipe, X, X_new)
    assert got.dtype == dtype
    assert_same(got.ravel(), pipe.predict(X_new), floor=True)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("n_classes", [1, 2, 3])
@pytest.mark.parametrize("kind", ["int", "float", "str"])
def test_column_transformer_then_classifier(kind, n_classes, dtype):
    X = _finite(training_data(dtype))
    y = _classes(X, n_classes, kind)
    pipe = make_pipeline(
        _network_columns(), DropoutMLPClassifier((16,), max_iter=15, random_state=0)
    ).fit(X, y)
    X_new = _finite(held_out(X, log_domain=True))
    labels, proba = run(pipe, X, X_new, options={id(pipe[-1]): {"zipmap": False}})
    np.testing.assert_array_equal(labels, pipe.predict(X_new))
    assert proba.dtype == dtype
    assert_same(proba, pipe.predict_proba(X_new), floor=True)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_classifier_zipmap_option(dtype):
    """skl2onnx's default ZipMap gives one {label: probability} per row
    (float32 probabilities, which ZipMap requires); "columns" one output per
    class."""
    X = _finite(training_data(dtype))
    y = _classes(X, 3, "str")
    model = DropoutMLPClassifier((8,), max_iter=10, random_state=0)
    pipe = make_pipeline(ZScoreScaler(), model).fit(X, y)
    expected = pipe.predict_proba(X)
    labels, maps = run(pipe, X, X)
    np.testing.assert_array_equal(labels, pipe.predict(X))
    got = np.array([[row[c] for c in model.classes_] for row in maps])
    assert_same(got.astype(np.float32), expected.astype(np.float32), floor=True)
    outputs = run(pipe, X, X, options={id(model): {"zipmap": "columns"}})
    columns = np.column_stack([np.ravel(column) for column in outputs[1:]])
    assert_same(columns.astype(np.float32), expected.astype(np.float32), floor=True)


def test_scikit_learn_scalers_beside_ours():
    X = training_data()
    pipe = make_pipeline(
        ColumnTransformer(
            [
                ("ours", QuantileNormalizer(n_quantiles=50), [0, 1, 3]),
                ("theirs", MinMaxScaler(), [2, 4, 5]),
            ]
        ),
        StandardScaler(),
        LinearScaler(clip=True),
    ).fit(X)
    X_new = held_out(X)
    (got,) = run(pipe, X, X_new)
    assert_same(got, pipe.transform(X_new))


def test_multi_output_regressor_float32_network_in_float64_graph():
    """A network trained in float32 computes in float32 inside a float64
    graph, as predict does (1e-5: the network's own precision)."""
    X = _finite(training_data(np.float32))
    Y = np.column_stack([_target(X), -_target(X)])
    net = DropoutMLPRegressor((8,), max_iter=10, random_state=0).fit(X, Y)
    X64 = X.astype(np.float64)
    (got,) = run(net, X64, X64)
    assert got.dtype == np.float64 and got.shape == (len(X), 2)
    np.testing.assert_allclose(got, net.predict(X64), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("n_members", [1, 2])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("n_classes", [0, 2, 3])  # 0: a regressor
def test_batch_norm_networks_use_their_running_statistics(n_classes, dtype, n_members):
    X = _finite(training_data(dtype))
    options = dict(batch_norm=True, n_members=n_members, max_iter=10, random_state=0)
    if n_classes:
        network = DropoutMLPClassifier((8, 6), **options)
        y = _classes(X, n_classes, "int")
    else:
        network = DropoutMLPRegressor((8, 6), "tanh", **options)
        y = _target(X)
    pipe = make_pipeline(ZScoreScaler(), network).fit(X, y)
    # trained statistics, far from the initial identity the graph would also match
    assert not np.allclose(network.batch_norm_running_var_[0], 1)
    X_new = _finite(held_out(X))
    if not n_classes:
        (got,) = run(pipe, X, X_new)
        assert_same(got.ravel(), pipe.predict(X_new), floor=True)
        return
    labels, proba = run(pipe, X, X_new, options={id(network): {"zipmap": False}})
    np.testing.assert_array_equal(labels, pipe.predict(X_new))
    assert_same(proba, pipe.predict_proba(X_new), floor=True)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_ensemble_regressor_averages_its_members(dtype):
    X = _finite(training_data(dtype))
    Y = np.column_stack([_target(X), np.tanh(_target(X))])
    for y in (Y[:, 0], Y):
        net = DropoutMLPRegressor(
            (8, 4), n_members=3, weight_decay=0.01, max_iter=10, random_state=0
        )
        pipe = make_pipeline(ZScoreScaler(), net).fit(X, y)
        (got,) = run(pipe, X, X)
        expected = pipe.predict(X)
        assert got.shape == (len(X), 1 if y.ndim == 1 else y.shape[1])
        assert_same(got.reshape(expected.shape), expected, floor=True)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("n_classes", [1, 2, 3])
def test_ensemble_classifier_averages_probabilities(n_classes, dtype):
    X = _finite(training_data(dtype))
    y = _classes(X, n_classes, "str")
    net = DropoutMLPClassifier((8,), n_members=4, max_iter=10, random_state=0)
    pipe = make_pipeline(ZScoreScaler(), net).fit(X, y)
    labels, proba = run(pipe, X, X, options={id(net): {"zipmap": False}})
    np.testing.assert_array_equal(labels, pipe.predict(X))
    assert_same(proba, pipe.predict_proba(X), floor=True)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("n_classes", [0, 2, 3])  # 0: a regressor
def test_ensembles_average_their_members(n_classes, dtype):
    # n_members=3: the members' blocks of coefs_ as three networks, averaged
    X = _finite(training_data(dtype))
    if n_classes:
        network = DropoutMLPClassifier((8, 6), n_members=3, max_iter=15, random_state=0)
        y = _classes(X, n_classes, "int")
    else:
        network = DropoutMLPRegressor((8, 6), n_members=3, max_iter=15, random_state=0)
        y = _target(X)
    pipe = make_pipeline(_network_columns(), network).fit(X, y)
    X_new = _finite(held_out(X, log_domain=True))
    if not n_classes:
        (got,) = run(pipe, X, X_new)
        assert_same(got.ravel(), pipe.predict(X_new), floor=True)
        return
    labels, proba = run(pipe, X, X_new, options={id(pipe[-1]): {"zipmap": False}})
    np.testing.assert_array_equal(labels, pipe.predict(X_new))
    assert_same(proba, pipe.predict_proba(X_new), floor=True)


def test_column_slices_convert_and_stay_slices():
    """skl2onnx cannot read a slice without an end (the demo's best encoder
    selects every column with slice(None)): to_onnx converts it as indices
    and puts the slice back."""
    X = training_data()
    columns = ColumnTransformer(
        [("ple", PiecewiseLinearEncoder(4), slice(0, None)), ("z", ZScoreScaler(), [1])]
    ).fit(X)
    fitted_columns = columns.transformers_
    (got,) = run(columns, X, X)
    assert columns.transformers_ is fitted_columns
    assert fitted_columns[0][2] == slice(0, None)
    assert_same(got, columns.transform(X))
