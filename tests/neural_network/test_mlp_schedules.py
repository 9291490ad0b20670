"""Learning-rate schedules: scikit-learn's three, for every solver, and cosine."""

import math

import numpy as np
import pytest

from skscale import DropoutMLPClassifier, DropoutMLPRegressor
from skscale.neural_network._schedules import LearningRateSchedule


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(120, 3))
    return X, X[:, 0] - 0.5 * X[:, 1] + 0.1 * rng.normal(size=120)


def test_cosine_rate_after_each_epoch_of_partial_fit(data):
    X, y = data
    model = DropoutMLPRegressor(
        (8,), learning_rate="cosine", learning_rate_init=0.01, max_iter=6,
        random_state=0,
    )  # fmt: skip
    for epoch in range(1, 9):
        model.partial_fit(X, y)
        progress = min(epoch / 6, 1.0)
        expected = 0.01 * 0.5 * (1 + math.cos(math.pi * progress))
        assert model._optimizer.learning_rate == pytest.approx(expected, abs=1e-15)
    assert model._optimizer.learning_rate == 0.0  # annealed to 0 at max_iter


@pytest.mark.parametrize("solver", ["sgd", "adam", "adagrad", "ftrl"])
def test_invscaling_follows_scikit_learns_formula_for_every_solver(data, solver):
    X, y = data
    model = DropoutMLPRegressor(
        (8,), solver=solver, learning_rate="invscaling", power_t=0.25,
        learning_rate_init=0.01, max_iter=4, random_state=0,
    )  # fmt: skip
    with pytest.warns(Warning):  # ConvergenceWarning after 4 epochs
        model.fit(X, y)
    assert model._optimizer.learning_rate == pytest.approx(
        0.01 / (model.t_ + 1) ** 0.25
    )


def test_adaptive_divides_by_five_on_plateaus_then_stops(data):
    X, y = data
    # tol so large that no epoch improves: a plateau every n_iter_no_change + 1
    params = dict(
        hidden_layer_sizes=(8,), learning_rate_init=0.01, tol=1e6,
        n_iter_no_change=2, max_iter=100, random_state=0,
    )  # fmt: skip
    constant = DropoutMLPRegressor(**params).fit(X, y)
    adaptive = DropoutMLPRegressor(**params, learning_rate="adaptive").fit(X, y)
    # the first epoch improves on an infinite best loss; then 3 per plateau
    assert constant.n_iter_ == 1 + 3
    # as scikit-learn: divide while the rate is above 1e-6 (0.01 / 5**5 is
    # 3.2e-6), so six reductions, and stop at the seventh plateau
    assert adaptive.n_iter_ == 1 + 3 * 7
    assert adaptive._optimizer.learning_rate == pytest.approx(0.01 / 5**6)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_schedule_applies_to_the_classifier(data):
    X, y = data
    model = DropoutMLPClassifier(
        (8,), learning_rate="cosine", max_iter=5, random_state=0
    )
    model.fit(X, y > 0)
    assert model._optimizer.learning_rate == 0.0


def test_constant_schedule_is_unchanged_by_the_new_parameters(data):
    X, y = data
    params = dict(hidden_layer_sizes=(8,), max_iter=5, random_state=0)
    with pytest.warns(Warning):
        default = DropoutMLPRegressor(**params).fit(X, y)
    with pytest.warns(Warning):
        explicit = DropoutMLPRegressor(
            **params, learning_rate="constant", power_t=3.0
        ).fit(X, y)
    for a, b in zip(default.coefs_, explicit.coefs_):
        np.testing.assert_array_equal(a, b)


def test_schedule_unit():
    cosine = LearningRateSchedule("cosine", 1.0, max_iter=4)
    rates = [cosine.after_epoch(1.0, epochs_done=e, samples_seen=0) for e in range(5)]
    halfway = 0.5 * (1 + math.cos(math.pi / 4))
    np.testing.assert_allclose(rates, [1.0, halfway, 0.5, 1 - halfway, 0.0])
    assert LearningRateSchedule("constant", 1.0).on_plateau(1.0) is None
    adaptive = LearningRateSchedule("adaptive", 1.0)
    assert adaptive.on_plateau(1e-5) == pytest.approx(2e-6)
    assert adaptive.on_plateau(1e-6) is None
