"""NaN, dtypes, constant columns, copies and every documented error."""

import pickle

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone

from skscale import (
    BinaryThresholder,
    Clipper,
    LinearScaler,
    LogTransformer,
    ZScoreScaler,
)

ALL = [
    LinearScaler(),
    LogTransformer(offset="auto"),
    Clipper(quantile_range=(10.0, 90.0)),
    ZScoreScaler(),
    BinaryThresholder("median"),
]
INVERTIBLE = [LinearScaler(), LogTransformer(), ZScoreScaler(ddof=1)]


def make_X(dtype=np.float64, nan=True):
    rng = np.random.default_rng(1)
    X = rng.gamma(2.0, 2.0, size=(60, 3)).astype(dtype)
    if nan:
        X[::7, 1] = np.nan
    return X


@pytest.mark.parametrize("est", ALL, ids=repr)
def test_nan_is_ignored_in_fit_and_passed_through(est):
    X = make_X()
    Xt = clone(est).fit_transform(X)
    np.testing.assert_array_equal(np.isnan(Xt), np.isnan(X))
    # Statistics of the NaN column equal those learned without the NaN rows.
    kept = ~np.isnan(X[:, 1])
    alone = clone(est).fit(X[kept][:, [1]]).transform(X[kept][:, [1]])
    np.testing.assert_allclose(Xt[kept, 1], alone[:, 0], rtol=1e-12)


@pytest.mark.parametrize("est", ALL, ids=repr)
def test_float32_stays_float32_for_numpy_pandas_and_polars(est):
    X = make_X(np.float32)
    assert clone(est).fit_transform(X).dtype == np.float32
    frame = pd.DataFrame(X, columns=["a", "b", "c"])
    assert clone(est).fit_transform(frame).dtype == np.float32
    pl = pytest.importorskip("polars")
    polars_frame = pl.from_pandas(frame)
    assert clone(est).fit_transform(polars_frame).dtype == np.float32
    out = clone(est).set_output(transform="polars").fit_transform(polars_frame)
    assert out.schema["a"] == pl.Float32
    assert list(out.columns) == ["a", "b", "c"]


@pytest.mark.parametrize("est", ALL, ids=repr)
def test_integers_become_float64(est):
    X = np.arange(30).reshape(10, 3)
    assert clone(est).fit_transform(X).dtype == np.float64


@pytest.mark.parametrize("est", ALL, ids=repr)
def test_constant_column_gives_finite_output(est):
    X = np.column_stack([np.full(20, 3.0), np.linspace(0, 1, 20)])
    Xt = clone(est).fit_transform(X)
    assert np.isfinite(Xt).all()
    assert np.unique(Xt[:, 0]).size == 1


def test_constant_column_policies_are_the_documented_values():
    X = np.full((5, 1), 3.0)
    assert LinearScaler().fit_transform(X)[0, 0] == -1.0
    assert ZScoreScaler().fit_transform(X)[0, 0] == 0.0
    assert BinaryThresholder("mean").fit_transform(X)[0, 0] == 0.0


@pytest.mark.parametrize("est", ALL, ids=repr)
def test_input_is_never_mutated(est):
    X = make_X()
    before = X.copy()
    fitted = clone(est).fit(X)
    fitted.transform(X)
    if hasattr(fitted, "inverse_transform"):
        fitted.inverse_transform(X)
    np.testing.assert_array_equal(X, before)
    frame = pd.DataFrame(X)
    clone(est).fit_transform(frame)
    np.testing.assert_array_equal(frame.to_numpy(), before)


@pytest.mark.parametrize("est", ALL, ids=repr)
def test_pickle_and_clone_round_trip(est):
    X = make_X()
    fitted = clone(est).fit(X)
    restored = pickle.loads(pickle.dumps(fitted))
    np.testing.assert_array_equal(restored.transform(X), fitted.transform(X))
    assert clone(fitted).get_params() == est.get_params()


@pytest.mark.parametrize("est", INVERTIBLE, ids=repr)
def test_inverse_round_trip(est):
    X = make_X()
    fitted = clone(est).fit(X)
    np.testing.assert_allclose(fitted.inverse_transform(fitted.transform(X)), X)


@pytest.mark.parametrize("est", [Clipper(), BinaryThresholder()], ids=repr)
def test_no_inverse_where_the_map_loses_information(est):
    assert not hasattr(est, "inverse_transform")


@pytest.mark.parametrize("est", ALL, ids=repr)
def test_infinity_is_rejected_with_the_column_named(est):
    frame = pd.DataFrame({"rooms": [1.0, 2.0, 3.0], "income": [1.0, np.inf, 2.0]})
    with pytest.raises(ValueError, match="infinity in column\\(s\\) 'income'"):
        clone(est).fit(frame)
    fitted = clone(est).fit(frame.replace(np.inf, 5.0))
    with pytest.raises(ValueError, match="'income'"):
        fitted.transform(frame.assign(income=[-np.inf, 1.0, 1.0]))


@pytest.mark.parametrize("est", ALL, ids=repr)
def test_non_numeric_column_is_named(est):
    frame = pd.DataFrame({"rooms": [1.0, 2.0, 3.0], "city": ["a", "b", "c"]})
    with pytest.raises(ValueError, match="column 'city' .*is not numeric"):
        clone(est).fit(frame)


@pytest.mark.parametrize(
    "est, message",
    [
        (LinearScaler(feature_range=(1, -1)), "feature_range=\\(1, -1\\)"),
        (LinearScaler(feature_range=(0, 1, 2)), "feature_range=\\(0, 1, 2\\)"),
        (LinearScaler(feature_range=[0, 1]), "'feature_range' parameter"),
        (Clipper(quantile_range=(90, 10)), "quantile_range=\\(90, 10\\)"),
        (Clipper(quantile_range=(-1, 10)), "quantile_range=\\(-1, 10\\)"),
        (Clipper(quantile_range=(1, 99), upper=3.0), "either quantile_range"),
        (Clipper(lower=5.0, upper=1.0), "lower=5.0, upper=1.0"),
        (Clipper(lower=[0.0, 1.0, 2.0]), "one value per feature \\(2\\)"),
        (BinaryThresholder("mode"), "'threshold' parameter.*Got 'mode'"),
        (ZScoreScaler(ddof=-1), "'ddof' parameter.*Got -1"),
        (LogTransformer(offset="log"), "'offset' parameter.*Got 'log'"),
    ],
    ids=repr,
)
def test_bad_parameters_raise_value_error_quoting_the_value(est, message):
    with pytest.raises(ValueError, match=message):
        est.fit(np.ones((4, 2)))


def test_log_transformer_names_columns_and_counts_bad_values():
    frame = pd.DataFrame(
        {"longitude": [-122.0, -118.0, -121.0], "households": [1.0, 0.0, 5.0]}
    )
    with pytest.raises(
        ValueError, match="Negative values in data.*'longitude' \\(3 values\\)"
    ):
        LogTransformer().fit(frame)
    fitted = LogTransformer(offset="auto").fit(frame)
    np.testing.assert_allclose(fitted.offset_, [123.0, 1.0])
    assert fitted.transform(frame)[:, 0].min() == 0.0
    with pytest.raises(ValueError, match="'longitude' \\(1 values\\)"):
        fitted.transform(frame.assign(longitude=[-130.0, -118.0, -121.0]))


def test_log_transformer_tags_follow_the_offset():
    assert LogTransformer().__sklearn_tags__().input_tags.positive_only
    assert not LogTransformer("auto").__sklearn_tags__().input_tags.positive_only


def test_per_feature_parameters():
    X = np.array([[0.0, 0.0], [10.0, 10.0]])
    np.testing.assert_array_equal(
        BinaryThresholder([5.0, 20.0]).fit_transform(X), [[0, 0], [1, 0]]
    )
    np.testing.assert_array_equal(
        Clipper([1.0, -1.0], upper=[2.0, 3.0]).fit_transform(X), [[1, 0], [2, 3]]
    )
    np.testing.assert_allclose(
        LogTransformer([1.0, 2.0]).fit_transform(X),
        np.log(X + [1.0, 2.0]),
    )


def test_clipper_unbounded_and_all_nan_columns():
    X = np.array([[1.0, np.nan], [5.0, np.nan]])
    fitted = Clipper(quantile_range=(25.0, 75.0)).fit(X)
    np.testing.assert_array_equal(fitted.lower_, [2.0, -np.inf])
    np.testing.assert_array_equal(fitted.upper_, [4.0, np.inf])
    np.testing.assert_array_equal(Clipper().fit(X).upper_, [np.inf, np.inf])
    np.testing.assert_array_equal(fitted.transform([[0.0, 7.0]]), [[2.0, 7.0]])


def test_linear_scaler_clip_keeps_held_out_data_in_range():
    fitted = LinearScaler(clip=True).fit([[0.0], [1.0]])
    np.testing.assert_array_equal(fitted.transform([[-5.0], [5.0]]), [[-1], [1]])


def test_exact_numbers_on_a_tiny_array():
    X = np.array([[1.0, -2.0], [3.0, 0.0], [5.0, 2.0]])
    np.testing.assert_allclose(
        LinearScaler().fit_transform(X), [[-1, -1], [0, 0], [1, 1]]
    )
    zs = ZScoreScaler().fit(X)
    np.testing.assert_allclose(zs.mean_, [3.0, 0.0])
    np.testing.assert_allclose(zs.var_, [8 / 3, 8 / 3])
    np.testing.assert_allclose(
        BinaryThresholder("mean").fit_transform(X), [[0, 0], [0, 0], [1, 1]]
    )
    np.testing.assert_allclose(
        Clipper(quantile_range=(25, 75)).fit(X).lower_, [2.0, -1.0]
    )


def test_copy_false_transforms_in_place():
    X = make_X(nan=False)
    fitted = ZScoreScaler(copy=False).fit(X)
    out = fitted.transform(X)
    assert out is X
