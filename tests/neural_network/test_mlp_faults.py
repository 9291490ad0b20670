"""The networks under faults the other tests do not cover: bad targets, new classes."""

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
