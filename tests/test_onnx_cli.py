"""``skscale export``: the demo's best model round-trips; mistakes are one line."""

import pickle
import warnings

import joblib
import numpy as np
import pytest

pytest.importorskip("skl2onnx")
pytest.importorskip("onnxruntime")

import onnx  # noqa: E402
from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import (  # noqa: E402
    FunctionTransformer,
    SplineTransformer,
)

from skscale import (  # noqa: E402
    DropoutMLPRegressor,
    PiecewiseLinearEncoder,
    ZScoreScaler,
)
from skscale._cli.main import main  # noqa: E402
from skscale._cli.training import (  # noqa: E402
    BEST_MEMBERS,
    Config,
    _network,
    course_location_encoder,
)
from tests._onnx import assert_same, session, training_data  # noqa: E402

skops_io = pytest.importorskip("skops.io")


def _demo_network(n_members):
    """The demo's best network (128x128, dropout 0.1, cosine, float32), for
    3 epochs here."""
    config = Config(
        "ple",
        "adam",
        hidden_layer_sizes=(128, 128),
        learning_rate=0.001,
        epochs=3,
        batch_size=200,
        dropout=0.1,
        schedule="cosine",
        float32=True,
        n_members=n_members,
    )
    return _network(config)


@pytest.fixture(scope="module", params=["ple", "ple+rff"])
def demo_best(request):
    """The demo's best rows, trained on synthetic data of the course's columns:
    PLE(32) on a float32 array; and (issue 20's) PLE(32) beside random Fourier
    features of the location, on a DataFrame, with an ensemble of members."""
    pd = pytest.importorskip("pandas")
    X = np.nan_to_num(training_data()).astype(np.float32)
    y = np.log1p(X[:, 0]) + X[:, 1]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        if request.param == "ple":
            pipe = make_pipeline(PiecewiseLinearEncoder(32), _demo_network(1))
            return pipe.fit(X, y), X
        columns = ["longitude", "latitude", "rooms", "flag", "age", "income"]
        frame = pd.DataFrame(X, columns=columns)
        network = _demo_network(BEST_MEMBERS)
        pipe = make_pipeline(course_location_encoder(), network).fit(frame, y)
        return pipe, frame


def _export(capsys, *args):
    status = main(["export", *map(str, args)])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.parametrize("suffix", [".joblib", ".skops"])
def test_demo_best_model_round_trips(demo_best, tmp_path, capsys, suffix):
    pipe, X = demo_best
    model_path, out_path = tmp_path / f"model{suffix}", tmp_path / "model.onnx"
    if suffix == ".skops":
        skops_io.dump(pipe, model_path)
    else:
        joblib.dump(pipe, model_path)
    status, out, err = _export(capsys, model_path, out_path)
    assert status == 0, err
    assert "wrote" in out and err == ""
    graph = session(onnx.load(out_path))
    if hasattr(X, "columns"):  # a DataFrame: one input per column
        feeds = {name: X[[name]].to_numpy() for name in X.columns}
    else:
        feeds = {"X": X}
    (got,) = graph.run(None, feeds)
    assert_same(got.ravel(), pipe.predict(X), floor=True)


def _assert_one_line_error(status, err, *fragments):
    assert status == 2
    assert err.count("\n") == 1 and err.startswith("skscale export: error: ")
    for fragment in fragments:
        assert fragment in err


def test_missing_file(tmp_path, capsys):
    status, _, err = _export(capsys, tmp_path / "nope.joblib", tmp_path / "o.onnx")
    _assert_one_line_error(status, err, "nope.joblib", "no such file")
    model = tmp_path / "model.joblib"
    joblib.dump(ZScoreScaler().fit(training_data()), model)
    status, _, err = _export(capsys, model, tmp_path / "missing" / "o.onnx")
    _assert_one_line_error(status, err, "missing", "no such directory")


def test_file_without_estimator(tmp_path, capsys):
    path = tmp_path / "numbers.pkl"
    path.write_bytes(pickle.dumps([1, 2, 3]))
    status, _, err = _export(capsys, path, tmp_path / "o.onnx")
    _assert_one_line_error(status, err, "holds a list, not a scikit-learn estimator")
    garbage = tmp_path / "garbage.joblib"
    garbage.write_bytes(b"not a pickle at all")
    status, _, err = _export(capsys, garbage, tmp_path / "o.onnx")
    _assert_one_line_error(status, err, "not a joblib or pickle file")


def test_unfitted_estimator(tmp_path, capsys):
    path = tmp_path / "unfitted.joblib"
    joblib.dump(ZScoreScaler(), path)
    status, _, err = _export(capsys, path, tmp_path / "o.onnx")
    _assert_one_line_error(status, err, "unfitted ZScoreScaler")


@pytest.mark.parametrize(
    "step, named",
    [
        (SplineTransformer(), "no ONNX converter for sklearn.preprocessing"),
        (FunctionTransformer(np.abs), "FunctionTransformer is not supported"),
    ],
    ids=["no-converter", "converter-refuses"],
)
def test_estimator_without_converter_is_named(tmp_path, capsys, step, named):
    X = np.nan_to_num(training_data())
    pipe = make_pipeline(ZScoreScaler(), step).fit(X)
    path = tmp_path / "model.joblib"
    joblib.dump(pipe, path)
    status, _, err = _export(capsys, path, tmp_path / "o.onnx")
    _assert_one_line_error(status, err, named, type(step).__name__)


def test_batch_norm_network_round_trips(tmp_path, capsys):
    # refused (exit 2) until its running statistics became public (issue 22)
    X = np.where(np.isnan(training_data()), 0, training_data())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        net = DropoutMLPRegressor((4,), batch_norm=True, max_iter=2).fit(X, X[:, 1])
    path, out_path = tmp_path / "bn.joblib", tmp_path / "bn.onnx"
    joblib.dump(net, path)
    status, _, err = _export(capsys, path, out_path)
    assert status == 0, err
    # the command's graph takes float32 rows
    X32 = X.astype(np.float32)
    (got,) = session(onnx.load(out_path)).run(None, {"X": X32})
    assert_same(got.ravel(), net.predict(X32), floor=True)


def double(X):
    """A function of the user's own: skops cannot vouch for it."""
    return 2 * X


def test_skops_file_with_untrusted_types_is_refused(tmp_path, capsys):
    X = training_data()
    pipe = make_pipeline(ZScoreScaler(), FunctionTransformer(double)).fit(X)
    path = tmp_path / "model.skops"
    skops_io.dump(pipe, path)
    status, _, err = _export(capsys, path, tmp_path / "o.onnx")
    _assert_one_line_error(status, err, "untrusted", "test_onnx_cli.double")
    assert not (tmp_path / "o.onnx").exists()
