"""The networks under faults the other tests do not cover: bad targets, new
classes, and calls that raise, which must leave the network as it was."""

import contextlib
import pickle

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


# --- a failed fit or partial_fit changes nothing (issue 10, item 9) -------------


def _state(estimator):
    """Each attribute pickled: equal bytes mean deep-equal values (arrays, the
    random generator's state and the optimizer's moments included)."""
    return {key: pickle.dumps(value) for key, value in vars(estimator).items()}


def _changed(before, estimator):
    after = _state(estimator)
    keys = before.keys() | after.keys()
    return sorted(key for key in keys if before.get(key) != after.get(key))


def _labels(y, Estimator):
    return y if Estimator is DropoutMLPRegressor else (y > 0).astype(int)


def _train(estimator, X, y, method):
    if method == "partial_fit" and isinstance(estimator, DropoutMLPClassifier):
        return estimator.partial_fit(X, y, classes=[0, 1])
    return getattr(estimator, method)(X, y)


NETWORKS = [DropoutMLPRegressor, DropoutMLPClassifier]


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize("Estimator", NETWORKS)
def test_refit_on_a_new_column_count_that_fails_changes_nothing(data, Estimator):
    X, y = data
    y = _labels(y, Estimator)
    network = Estimator((4,), max_iter=3, random_state=0).fit(X[:, :2], y)
    predictions = network.predict(X[:, :2])
    before = _state(network)
    bad = X.copy()
    bad[5, 0] = np.inf
    with pytest.raises(ValueError, match="infinity in column\\(s\\) 'x0'"):
        network.fit(bad, y)
    assert _changed(before, network) == []
    # a later partial_fit on the new columns is refused by name, not by a matmul
    with pytest.raises(ValueError, match="X has 3 features.*expecting 2"):
        network.partial_fit(X, y)
    assert _changed(before, network) == []
    np.testing.assert_array_equal(network.predict(X[:, :2]), predictions)


class _Stop(RuntimeError):
    pass


def _stop_in_training(monkeypatch, Estimator, method):
    original = Estimator._end_epoch
    # fit stops after its second epoch, partial_fit after its only one
    last = 2 if method == "fit" else 1

    def stop(self, *args):
        original(self, *args)  # the epoch's loss, t_ and diagnostics are recorded
        if self.n_iter_ == last:
            raise _Stop(f"stopped after epoch {last}")

    monkeypatch.setattr(Estimator, "_end_epoch", stop)


# Each fails after part of the state changed: the weights initialized, the
# epochs of training run or the column count reset.
FAILURES = {
    "negative sample_weight": (
        lambda est, monkeypatch, method: None,
        {"sample_weight": -np.ones(40)},
        ValueError,
        "Negative values in data passed to .sample_weight.",
    ),
    "dropout of 1": (
        lambda est, monkeypatch, method: est.set_params(dropout=1.0),
        {},
        ValueError,
        "dropout must be in \\[0, 1\\)",
    ),
    "error in the middle of training": (
        lambda est, monkeypatch, method: _stop_in_training(
            monkeypatch, type(est), method
        ),
        {},
        _Stop,
        "stopped after epoch",
    ),
    "weight decay that flips the weights": (
        lambda est, monkeypatch, method: est.set_params(weight_decay=1e4),
        {},
        ValueError,
        "learning_rate_init \\* weight_decay must be below 1",
    ),
    "a column of NaN": (
        lambda est, monkeypatch, method: None,
        {"X": "nan"},
        ValueError,
        "NaN in column|X has 4 features",  # partial_fit checks the count first
    ),
}


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize("failure", FAILURES)
@pytest.mark.parametrize("fitted", [False, True], ids=["unfitted", "fitted"])
@pytest.mark.parametrize("method", ["fit", "partial_fit"])
@pytest.mark.parametrize("n_members", [1, 2])
@pytest.mark.parametrize("Estimator", NETWORKS)
def test_a_call_that_raises_leaves_the_network_as_it_was(
    data, monkeypatch, Estimator, n_members, method, fitted, failure
):
    X, y = data
    y = _labels(y, Estimator)
    prepare, options, error, match = FAILURES[failure]
    network = Estimator((4,), max_iter=3, random_state=0, n_members=n_members)
    if fitted:
        _train(network, X, y, method)
    if options.get("X") == "nan":
        X = np.column_stack([X, np.full(len(X), np.nan)])
    prepare(network, monkeypatch, method)
    before = _state(network)
    weights = {k: v for k, v in options.items() if k == "sample_weight"}
    classes = {"classes": [0, 1]} if Estimator is DropoutMLPClassifier else {}
    with pytest.raises(error, match=match):
        if method == "partial_fit":
            network.partial_fit(X, y, **classes, **weights)
        else:
            network.fit(X, y, **weights)
    assert _changed(before, network) == []
    assert hasattr(network, "coefs_") == fitted


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize("method", ["fit", "partial_fit"])
@pytest.mark.parametrize("Estimator", NETWORKS)
def test_changing_n_members_between_calls_fails_and_changes_nothing(
    data, Estimator, method
):
    X, y = data
    y = _labels(y, Estimator)
    network = Estimator((4,), max_iter=3, random_state=0, n_members=2)
    _train(network, X, y, method)
    network.set_params(n_members=3, warm_start=True)
    before = _state(network)
    classes = {"classes": [0, 1]} if Estimator is DropoutMLPClassifier else {}
    with pytest.raises(ValueError, match="n_members"):
        if method == "partial_fit":
            network.partial_fit(X, y, **classes)
        else:
            network.fit(X, y)
    assert _changed(before, network) == []


@pytest.mark.parametrize("Estimator", NETWORKS)
def test_failed_fit_gives_a_random_state_instance_its_state_back(data, Estimator):
    X, y = data
    seed = np.random.RandomState(0)
    network = Estimator((4,), max_iter=3, random_state=seed)
    state = seed.get_state()
    with pytest.raises(
        ValueError, match="Negative values in data passed to .sample_weight."
    ):
        network.fit(X, _labels(y, Estimator), sample_weight=-np.ones(len(X)))
    assert network.random_state is seed
    after = seed.get_state()
    assert state[0] == after[0] and state[2:] == after[2:]
    np.testing.assert_array_equal(state[1], after[1])
