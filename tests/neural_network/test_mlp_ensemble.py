"""``n_members`` (an ensemble trained together) and ``weight_decay`` (issue 20)."""

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning

from skscale import DropoutMLPClassifier, DropoutMLPRegressor

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

SOLVERS = ["sgd", "adagrad", "adam", "ftrl"]


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(150, 3))
    return X, X[:, 0] - 0.5 * X[:, 1] ** 2 + 0.1 * rng.normal(size=150)


def member_network(ensemble, member):
    """Member ``member`` of a fitted ensemble as a one-member network."""
    k = ensemble.n_members
    single = DropoutMLPRegressor(ensemble.hidden_layer_sizes)
    coefs, intercepts = [], []
    for index, (coef, intercept) in enumerate(
        zip(ensemble.coefs_, ensemble.intercepts_)
    ):
        fan_in = coef.shape[0] // (1 if index == 0 else k)
        fan_out = coef.shape[1] // k
        rows = (
            slice(None) if index == 0 else slice(member * fan_in, (member + 1) * fan_in)
        )
        columns = slice(member * fan_out, (member + 1) * fan_out)
        coefs.append(coef[rows, columns])
        intercepts.append(intercept[columns])
    single.coefs_, single.intercepts_ = coefs, intercepts
    single.batch_norm_gamma_ = single.batch_norm_beta_ = None
    single.batch_norm_running_mean_ = single.batch_norm_running_var_ = None
    single._rng = np.random.default_rng(0)
    single.n_outputs_, single.n_features_in_ = ensemble.n_outputs_, coefs[0].shape[0]
    return single


@pytest.mark.parametrize("solver", SOLVERS)
def test_members_stay_independent_under_every_solver_and_penalty(data, solver):
    X, y = data
    model = DropoutMLPRegressor(
        (6, 5), solver=solver, n_members=3, alpha=0.1, weight_decay=0.5,
        learning_rate_init=0.01, dropout=0.1, max_iter=5, random_state=0,
    ).fit(X, y)  # fmt: skip
    assert [c.shape for c in model.coefs_] == [(3, 18), (18, 15), (15, 3)]
    for coef in model.coefs_[1:]:
        blocks = np.kron(np.eye(3), np.ones((coef.shape[0] // 3, coef.shape[1] // 3)))
        assert (coef[blocks == 0] == 0).all()
        assert (coef[blocks == 1] != 0).any()


def test_regressor_predicts_the_mean_of_its_members(data):
    X, y = data
    model = DropoutMLPRegressor(
        (8, 4), n_members=3, learning_rate_init=0.01, max_iter=30, random_state=0
    ).fit(X, y)
    members = [member_network(model, m)._raw_output(X)[:, 0] for m in range(3)]
    np.testing.assert_allclose(model.predict(X), np.mean(members, axis=0))
    # the members are different networks
    assert not np.allclose(members[0], members[1])


@pytest.mark.parametrize("n_classes", [2, 3])
def test_classifier_averages_its_members_probabilities(data, n_classes):
    X, y = data
    labels = np.digitize(y, np.quantile(y, np.linspace(0, 1, n_classes + 1)[1:-1]))
    model = DropoutMLPClassifier(
        (8,), n_members=2, learning_rate_init=0.01, max_iter=30, random_state=0
    ).fit(X, labels)
    raw = model._raw_output(X)
    half = raw.shape[1] // 2
    members = [model._proba(raw[:, :half]), model._proba(raw[:, half:])]
    proba = model.predict_proba(X)
    np.testing.assert_allclose(proba, (members[0] + members[1]) / 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    np.testing.assert_array_equal(model.predict(X), model.classes_[proba.argmax(1)])


def test_an_ensemble_fits_better_than_its_average_member(data):
    X, y = data
    model = DropoutMLPRegressor(
        (16,), n_members=4, learning_rate_init=0.01, max_iter=100, random_state=0
    ).fit(X, y)
    member_errors = [
        np.mean((member_network(model, m)._raw_output(X)[:, 0] - y) ** 2)
        for m in range(4)
    ]
    assert np.mean((model.predict(X) - y) ** 2) < np.mean(member_errors)


def test_ensemble_partial_fit_sample_weight_and_float32(data):
    X, y = data
    X32 = X.astype(np.float32)
    weights = np.random.default_rng(1).uniform(0.5, 2.0, size=len(y))
    model = DropoutMLPRegressor((8,), n_members=2, random_state=0)
    for chunk in np.array_split(np.arange(len(y)), 3):
        model.partial_fit(X32[chunk], y[chunk], sample_weight=weights[chunk])
    assert model.coefs_[0].dtype == np.float32
    assert model.predict(X32).dtype == np.float32
    assert model.t_ == len(y)
    # a zero weight is a row left out, member by member
    weights = np.tile([0.0, 1.0], len(y) // 2)
    # (alpha=0: the L2 penalty is scaled by the batch's total weight)
    kept = DropoutMLPRegressor((8,), n_members=2, alpha=0.0, random_state=0)
    dropped = DropoutMLPRegressor((8,), n_members=2, alpha=0.0, random_state=0)
    kept.set_params(batch_size=len(y)).fit(X, y, sample_weight=weights)
    dropped.set_params(batch_size=len(y) // 2).fit(X[1::2], y[1::2])
    np.testing.assert_allclose(kept.predict(X), dropped.predict(X), rtol=1e-10)


def test_changing_n_members_between_calls_is_refused(data):
    X, y = data
    model = DropoutMLPRegressor((8,), n_members=2, random_state=0).partial_fit(X, y)
    model.set_params(n_members=3)
    with pytest.raises(ValueError, match="n_members"):
        model.partial_fit(X, y)
    # the fitted ensemble still predicts as two members
    assert model.predict(X).shape == (len(y),)


@pytest.mark.parametrize("solver", SOLVERS)
def test_weight_decay_shrinks_the_weights_after_the_step(data, solver):
    # one full-batch step: the optimizer's step on the same gradient, then the
    # weights (not the intercepts) times 1 - learning_rate * weight_decay
    X, y = data
    params = dict(
        hidden_layer_sizes=(6,), solver=solver, batch_size=len(y),
        learning_rate_init=0.01, max_iter=1, random_state=0,
    )  # fmt: skip
    plain = DropoutMLPRegressor(**params).fit(X, y)
    decayed = DropoutMLPRegressor(**params, weight_decay=2.0).fit(X, y)
    for before, after in zip(plain.coefs_, decayed.coefs_):
        np.testing.assert_allclose(after, before * (1 - 0.01 * 2.0), rtol=1e-12)
    for before, after in zip(plain.intercepts_, decayed.intercepts_):
        np.testing.assert_allclose(after, before, rtol=1e-12)


def test_weight_decay_keeps_ftrl_zeros_and_regularizes(data):
    X, y = data
    params = dict(
        hidden_layer_sizes=(8,), solver="ftrl", ftrl_l1=0.5, learning_rate_init=0.2,
        max_iter=20, random_state=0,
    )  # fmt: skip
    plain = DropoutMLPRegressor(**params).fit(X, y)
    decayed = DropoutMLPRegressor(**params, weight_decay=1.0).fit(X, y)
    norm = [
        np.linalg.norm(np.concatenate([c.ravel() for c in m.coefs_]))
        for m in (plain, decayed)
    ]
    assert norm[1] < norm[0]
    assert (decayed.coefs_[0] == 0).any()
    assert np.isfinite(decayed.predict(X)).all()


def test_weight_decay_that_would_flip_the_weights_is_refused(data):
    X, y = data
    model = DropoutMLPRegressor((4,), learning_rate_init=0.1, weight_decay=10.0)
    with pytest.raises(
        ValueError, match="learning_rate_init=0.1 and weight_decay=10.0"
    ):
        model.fit(X, y)
    assert not hasattr(model, "coefs_")


def test_one_member_and_no_decay_change_nothing(data):
    X, y = data
    params = dict(hidden_layer_sizes=(8,), max_iter=5, random_state=0)
    with pytest.warns(ConvergenceWarning):
        default = DropoutMLPRegressor(**params).fit(X, y)
    with pytest.warns(ConvergenceWarning):
        explicit = DropoutMLPRegressor(**params, n_members=1, weight_decay=0.0).fit(
            X, y
        )
    for a, b in zip(default.coefs_, explicit.coefs_):
        np.testing.assert_array_equal(a, b)
