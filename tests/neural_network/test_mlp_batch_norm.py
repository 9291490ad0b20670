"""Batch normalization's fitted state: public attributes (issue 22)."""

import pickle

import numpy as np
import pytest

from skscale import DropoutMLPClassifier, DropoutMLPRegressor

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

NAMES = ["gamma", "beta", "running_mean", "running_var"]


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(120, 3))
    return X, X[:, 0] - 0.5 * X[:, 1] ** 2 + 0.1 * rng.normal(size=120)


def forward_from_public_attributes(model, X):
    """The raw output of ``model`` in prediction mode, written out from the
    documented attributes alone (tanh hidden layers)."""
    output = X
    for index, (coef, intercept) in enumerate(zip(model.coefs_, model.intercepts_)):
        output = output @ coef + intercept
        if index < len(model.coefs_) - 1:
            mean = model.batch_norm_running_mean_[index]
            std = np.sqrt(model.batch_norm_running_var_[index] + 1e-5)
            gamma, beta = model.batch_norm_gamma_[index], model.batch_norm_beta_[index]
            output = np.tanh((output - mean) * gamma / std + beta)
    return output


@pytest.mark.parametrize("n_members", [1, 2])
def test_public_state_gives_the_predictions_after_fit_and_partial_fit(data, n_members):
    X, y = data
    model = DropoutMLPRegressor(
        (5, 4), "tanh", batch_norm=True, n_members=n_members, max_iter=20,
        random_state=0,
    )  # fmt: skip
    for fitted in (model.fit(X, y), model.partial_fit(X, y)):
        for name in NAMES:
            values = getattr(fitted, f"batch_norm_{name}_")
            assert [v.shape for v in values] == [(n_members * 5,), (n_members * 4,)]
        raw = forward_from_public_attributes(fitted, X)
        expected = raw.reshape(len(X), n_members).mean(axis=1)
        np.testing.assert_allclose(fitted.predict(X), expected, rtol=1e-10)
    # training moved every part of the state away from its initial value
    assert not np.allclose(model.batch_norm_gamma_[0], 1)
    assert not np.allclose(model.batch_norm_running_var_[1], 1)


def test_classifier_has_the_state_and_it_survives_a_pickle(data):
    X, y = data
    model = DropoutMLPClassifier((4,), batch_norm=True, max_iter=5, random_state=0)
    model.fit(X, y > 0)
    copy = pickle.loads(pickle.dumps(model))
    for name in NAMES:
        [array] = getattr(copy, f"batch_norm_{name}_")
        np.testing.assert_array_equal(array, getattr(model, f"batch_norm_{name}_")[0])
    np.testing.assert_array_equal(copy.predict_proba(X), model.predict_proba(X))


@pytest.mark.parametrize("Model", [DropoutMLPRegressor, DropoutMLPClassifier])
def test_state_is_none_without_batch_norm(data, Model):
    X, y = data
    model = Model((4,), max_iter=2, random_state=0).fit(X, y > 0)
    for name in NAMES:
        assert getattr(model, f"batch_norm_{name}_") is None
