"""sample_weight: scikit-learn's weighted statistics, row repetition, routing."""

import numpy as np
import pytest
import sklearn
from numpy.testing import assert_allclose
from sklearn.linear_model import LinearRegression
from sklearn.metrics import make_scorer, r2_score
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from skscale import (
    BinaryThresholder,
    Clipper,
    LinearScaler,
    LogTransformer,
    ZScoreScaler,
)


def _data(seed=0):
    rng = np.random.default_rng(seed)
    X = rng.lognormal(0.0, 1.0, size=(120, 3))
    X[rng.random(X.shape) < 0.1] = np.nan
    return X


def test_weighted_mean_and_var_equal_standard_scaler():
    X = _data()
    weight = np.random.default_rng(1).uniform(0.1, 5.0, len(X))
    ours = ZScoreScaler().fit(X, sample_weight=weight)
    theirs = StandardScaler().fit(X, sample_weight=weight)
    assert_allclose(ours.mean_, theirs.mean_, rtol=1e-12)
    assert_allclose(ours.var_, theirs.var_, rtol=1e-12)
    assert_allclose(ours.scale_, theirs.scale_, rtol=1e-12)
    assert_allclose(ours.transform(X), theirs.transform(X), rtol=1e-11)


ESTIMATORS = [
    (LinearScaler(), ["data_min_", "data_max_"]),
    (ZScoreScaler(ddof=1), ["mean_", "var_"]),
    (LogTransformer(offset="auto"), ["offset_"]),
    (Clipper(quantile_range=(10, 90)), ["lower_", "upper_"]),
    (BinaryThresholder(threshold="median"), ["threshold_"]),
    (BinaryThresholder(threshold="mean"), ["threshold_"]),
]


@pytest.mark.parametrize("estimator, attributes", ESTIMATORS, ids=repr)
def test_integer_weights_equal_repeated_rows(estimator, attributes):
    X = _data() - 1.0
    weight = np.random.default_rng(2).integers(0, 4, len(X))
    weighted = type(estimator)(**estimator.get_params())
    weighted.fit(X, sample_weight=weight)
    repeated = type(estimator)(**estimator.get_params()).fit(np.repeat(X, weight, 0))
    for name in attributes:
        assert_allclose(getattr(weighted, name), getattr(repeated, name), rtol=1e-12)


def test_weighted_quantiles_equal_percentile_of_repeated_rows():
    X = _data()
    weight = np.random.default_rng(3).integers(1, 5, len(X))
    clipper = Clipper(quantile_range=(25, 75)).fit(X, sample_weight=weight)
    expected = np.nanpercentile(np.repeat(X, weight, axis=0), [25, 75], axis=0)
    assert_allclose([clipper.lower_, clipper.upper_], expected, rtol=1e-12)


def test_zero_weight_rows_are_ignored_by_min_and_max():
    X = np.array([[1.0, -50.0], [2.0, 0.0], [1000.0, 3.0], [-7.0, 4.0]])
    weight = np.array([1.0, 1.0, 0.0, 0.0])
    scaler = LinearScaler().fit(X, sample_weight=weight)
    assert_allclose(scaler.data_min_, [1.0, -50.0])
    assert_allclose(scaler.data_max_, [2.0, 0.0])
    log = LogTransformer(offset="auto").fit(X[:, 1:], sample_weight=[0, 1, 1, 1])
    assert_allclose(log.offset_, [1.0])


def test_negative_weights_are_rejected():
    with pytest.raises(ValueError, match="[Nn]egative"):
        ZScoreScaler().fit(_data(), sample_weight=-np.ones(120))


def test_metadata_routing_in_a_pipeline_under_grid_search():
    rng = np.random.default_rng(4)
    X = rng.normal(size=(90, 2)) * [1.0, 10.0] + [0.0, 5.0]
    y = X @ [1.0, 0.5] + rng.normal(size=90)
    weight = rng.uniform(0.0, 3.0, len(X))
    with sklearn.config_context(enable_metadata_routing=True):
        pipe = Pipeline(
            [
                ("scale", ZScoreScaler().set_fit_request(sample_weight=True)),
                (
                    "model",
                    LinearRegression()
                    .set_fit_request(sample_weight=True)
                    .set_score_request(sample_weight=True),
                ),
            ]
        )
        # An explicit weighted scorer: scikit-learn 1.6 (the declared floor)
        # routes weights to the default scorer only through Pipeline.score.
        scorer = make_scorer(r2_score).set_score_request(sample_weight=True)
        search = GridSearchCV(pipe, {"scale__ddof": [0, 1]}, cv=3, scoring=scorer)
        search.fit(X, y, sample_weight=weight)
        assert np.all(np.isfinite(search.cv_results_["mean_test_score"]))
        scaler = search.best_estimator_.named_steps["scale"]
        expected = StandardScaler().fit(X, sample_weight=weight)
        assert_allclose(scaler.mean_, expected.mean_, rtol=1e-12)
        unweighted = ZScoreScaler().fit(X)
        assert not np.allclose(scaler.mean_, unweighted.mean_)
        # Not requested: the scaler does not receive the weights.
        pipe = Pipeline(
            [
                ("scale", ZScoreScaler().set_fit_request(sample_weight=False)),
                ("model", LinearRegression().set_fit_request(sample_weight=True)),
            ]
        )
        pipe.fit(X, y, sample_weight=weight)
        assert_allclose(pipe.named_steps["scale"].mean_, unweighted.mean_)
