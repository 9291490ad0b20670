"""Learning-rate schedules: scikit-learn's three, for every solver, and cosine."""

import math

import numpy as np
import pytest

from skscale import DropoutMLPClassifier, DropoutMLPRegressor
from skscale.neural_network._optimizers import FTRL
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


def test_ftrl_rate_change_keeps_the_weights():
    # issue 17 item 2: FTRL derived its weights from its accumulators with the
    # current rate, so each change of rate rescaled them (a fifth of them at
    # each cut of "adaptive")
    w = np.array([0.5, -0.2, 0.01, 0.0, 3.0])
    optimizer = FTRL([w], learning_rate=0.1, l1=0.05, l2=0.01)
    optimizer.step([w], [np.array([0.3, 0.1, 0.0, 0.0, -1.0])])
    before = w.copy()
    assert (before == 0).any() and (before != 0).any()
    for rate in [0.02, 0.5, 0.02]:
        optimizer.learning_rate = rate
        optimizer.step([w], [np.zeros_like(w)])
        np.testing.assert_allclose(w, before, rtol=1e-12)
    # the next gradient moves the weights as FTRL does at the new rate
    g = np.array([0.2, -0.1, 0.0, 0.3, 0.1])
    expected_n = optimizer.squared_sums[0] + g**2
    optimizer.step([w], [g])
    z = optimizer.linear_terms[0]
    shrunk = -(z - np.sign(z) * 0.05) / (np.sqrt(expected_n) / 0.02 + 0.01)
    np.testing.assert_allclose(w, np.where(np.abs(z) <= 0.05, 0.0, shrunk))


def test_ftrl_adaptive_cuts_do_not_rescale_the_network(data):
    X, y = data
    params = dict(
        hidden_layer_sizes=(8,), solver="ftrl", learning_rate_init=0.5, tol=1e6,
        n_iter_no_change=2, max_iter=12, random_state=0,
    )  # fmt: skip
    with pytest.warns(Warning):  # ConvergenceWarning
        model = DropoutMLPRegressor(**params, learning_rate="adaptive").fit(X, y)
    assert model._optimizer.learning_rate < 0.5 / 5  # the rate was cut twice
    curve = np.array(model.loss_curve_)
    # before the fix each cut divided the weights by 5 and the loss jumped up
    assert np.all(np.diff(curve[1:]) <= 0.1 * curve[1:-1])


def test_ftrl_cosine_partial_fit_past_max_iter_keeps_the_weights(data):
    # issue 17 item 12: the rate is 0 after max_iter epochs, and FTRL divided by it
    X, y = data
    model = DropoutMLPRegressor(
        (8,), solver="ftrl", learning_rate="cosine", learning_rate_init=0.5,
        max_iter=3, random_state=0,
    )  # fmt: skip
    for _ in range(3):
        model.partial_fit(X, y)
    trained = [c.copy() for c in model.coefs_]
    for _ in range(3):
        model.partial_fit(X, y)
    for a, b in zip(trained, model.coefs_):
        np.testing.assert_array_equal(a, b)
    assert np.isfinite(model.predict(X)).all()


@pytest.mark.parametrize("solver", ["sgd", "adam", "ftrl"])
def test_adaptive_lowers_the_rate_under_partial_fit(data, solver):
    # issue 17 item 11: the plateau count was local to one call, so partial_fit
    # with "adaptive" never lowered the rate (weights equal to "constant"'s)
    X, y = data
    params = dict(
        hidden_layer_sizes=(8,), solver=solver, learning_rate_init=0.01, tol=1e6,
        n_iter_no_change=2, random_state=0,
    )  # fmt: skip
    adaptive = DropoutMLPRegressor(**params, learning_rate="adaptive")
    constant = DropoutMLPRegressor(**params)
    for _ in range(4):  # the first call improves on inf; 3 more make a plateau
        adaptive.partial_fit(X, y)
        constant.partial_fit(X, y)
    assert adaptive._optimizer.learning_rate == pytest.approx(0.01 / 5)
    adaptive.partial_fit(X, y)
    constant.partial_fit(X, y)
    assert not np.array_equal(adaptive.coefs_[0], constant.coefs_[0])
    for _ in range(2):
        adaptive.partial_fit(X, y)
    assert adaptive._optimizer.learning_rate == pytest.approx(0.01 / 25)
