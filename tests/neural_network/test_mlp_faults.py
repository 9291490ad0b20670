"""The networks under faults the other tests do not cover: bad targets, new classes."""

import contextlib

import numpy as np
import pytest

from skscale import DropoutMLPClassifier, DropoutMLPRegressor


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 3))
    return X, X[:, 0] - X[:, 1]


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_target_with_nan_or_inf_is_refused_before_training(data, bad):
    X, y = data
    y = y.copy()
    y[3] = bad
    regressor = DropoutMLPRegressor(max_iter=3)
    with pytest.raises(ValueError, match="Input y contains (NaN|infinity)"):
        regressor.fit(X, y)
    assert not hasattr(regressor, "coefs_")


def test_classifier_target_with_nan_is_refused(data):
    X, y = data
    with pytest.raises(ValueError, match="Input y contains NaN"):
        DropoutMLPClassifier(max_iter=3).fit(X, np.where(y > 0, 1.0, np.nan))


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_partial_fit_with_a_new_class_names_it_and_keeps_the_model(data):
    X, y = data
    labels = np.where(y > 0, "up", "down")
    classifier = DropoutMLPClassifier(max_iter=3, random_state=0)
    classifier.partial_fit(X, labels, classes=["down", "up"])
    before = [coef.copy() for coef in classifier.coefs_]
    with pytest.raises(ValueError, match="'sideways'"):
        classifier.partial_fit(X, np.full(len(X), "sideways"))
    for old, new in zip(before, classifier.coefs_):
        np.testing.assert_array_equal(old, new)
    assert list(classifier.classes_) == ["down", "up"]


def _divergent_float32_data():
    # Found by an adversarial pass: the loss stays finite until the last update,
    # which leaves finite float32 weights near 1e20 whose outputs overflow.
    rng = np.random.default_rng(4)
    X = rng.normal(size=(30, 2)).astype(np.float32)
    y = rng.normal(size=30).astype(np.float32)
    return X, y


_DIVERGENT = dict(
    hidden_layer_sizes=(1,), activation="identity", solver="sgd",
    learning_rate_init=1.0, max_iter=20, random_state=2,
)  # fmt: skip


@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("method", ["fit", "partial_fit"])
def test_float32_divergence_finite_in_the_loss_raises_not_inf(method):
    X, y = _divergent_float32_data()
    regressor = DropoutMLPRegressor(**_DIVERGENT)
    with pytest.raises(FloatingPointError, match="lower learning_rate_init.*clip_norm"):
        if method == "fit":
            regressor.fit(X, y)
        else:
            for _ in range(_DIVERGENT["max_iter"]):
                regressor.partial_fit(X, y)
    # the weights kept are finite and so are their predictions
    assert np.all(np.isfinite(regressor.predict(X)))


@pytest.mark.filterwarnings("ignore")
def test_float32_network_never_predicts_inf_after_fit():
    # every outcome of a sweep of divergent fits: raise, or predict finite values
    rng = np.random.default_rng(22)
    X = rng.normal(size=(30, 2)).astype(np.float32)
    y = rng.normal(size=30).astype(np.float32)
    for activation in ["relu", "identity", "tanh"]:
        for seed in range(3):
            params = {**_DIVERGENT, "activation": activation, "random_state": seed}
            regressor = DropoutMLPRegressor(**params)
            with contextlib.suppress(FloatingPointError):
                regressor.fit(X, y)
            assert np.all(np.isfinite(regressor.predict(X))), (activation, seed)
