"""Training behaviour: solvers, seeds, dropout, clipping, failures, incremental fits."""

import pickle
import warnings

import numpy as np
import pytest
from sklearn.base import clone

from skscale.neural_network import (
    DropoutMLPClassifier,
    DropoutMLPRegressor,
    TrainingHealthWarning,
)


@pytest.fixture(scope="module")
def regression():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((300, 5))
    y = np.tanh(X @ rng.standard_normal(5)) + 0.05 * rng.standard_normal(300)
    return X, y


def fit_quietly(estimator, X, y, **fit_params):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return estimator.fit(X, y, **fit_params)


@pytest.mark.parametrize("solver", ["sgd", "adagrad", "adam", "ftrl"])
@pytest.mark.parametrize("options", [{}, {"dropout": 0.2}, {"batch_norm": True}])
def test_every_solver_reduces_the_loss(regression, solver, options):
    X, y = regression
    reg = DropoutMLPRegressor(
        (16, 16), solver=solver, learning_rate_init=0.02, max_iter=30,
        random_state=0, **options,
    )  # fmt: skip
    fit_quietly(reg, X, y)
    assert reg.loss_curve_[-1] < 0.5 * reg.loss_curve_[0]
    assert reg.score(X, y) > 0.6


def test_same_seed_same_weights(regression):
    X, y = regression
    params = dict(hidden_layer_sizes=(8, 8), dropout=0.3, max_iter=5)
    first = fit_quietly(DropoutMLPRegressor(**params, random_state=3), X, y)
    second = fit_quietly(DropoutMLPRegressor(**params, random_state=3), X, y)
    other = fit_quietly(DropoutMLPRegressor(**params, random_state=4), X, y)
    for a, b in zip(first.coefs_, second.coefs_):
        np.testing.assert_array_equal(a, b)
    assert not np.allclose(first.coefs_[0], other.coefs_[0])
    # a RandomState instance is accepted too
    rs = np.random.RandomState(0)
    fit_quietly(DropoutMLPRegressor(**params, random_state=rs), X, y)


def test_dropout_changes_training_not_prediction(regression):
    X, y = regression
    params = dict(hidden_layer_sizes=(16,), max_iter=10, random_state=0)
    plain = fit_quietly(DropoutMLPRegressor(**params), X, y)
    dropped = fit_quietly(DropoutMLPRegressor(**params, dropout=0.5), X, y)
    assert not np.allclose(plain.coefs_[0], dropped.coefs_[0])
    # prediction is deterministic: the whole network, no mask
    np.testing.assert_array_equal(dropped.predict(X), dropped.predict(X))
    manual = np.maximum(X @ dropped.coefs_[0] + dropped.intercepts_[0], 0)
    manual = manual @ dropped.coefs_[1] + dropped.intercepts_[1]
    np.testing.assert_allclose(dropped.predict(X), manual.ravel())


def test_dropout_per_layer_and_rejected_rates(regression):
    X, y = regression
    fit_quietly(DropoutMLPRegressor((4, 4), dropout=[0.0, 0.5], max_iter=2), X, y)
    with pytest.raises(ValueError, match="would learn nothing"):
        DropoutMLPRegressor(dropout=1.0).fit(X, y)
    with pytest.raises(ValueError, match=r"in \[0, 1\)"):
        DropoutMLPRegressor(dropout=-0.1).fit(X, y)
    with pytest.raises(ValueError, match="one rate per hidden layer"):
        DropoutMLPRegressor((4, 4), dropout=[0.1, 0.2, 0.3]).fit(X, y)


def test_clip_norm_keeps_a_too_large_learning_rate_finite(regression):
    X, y = regression
    params = dict(
        hidden_layer_sizes=(32, 32, 32, 32), activation="identity", solver="sgd",
        momentum=0.0, learning_rate_init=0.5, batch_size=20, max_iter=5,
        random_state=0,
    )  # fmt: skip
    with pytest.raises(FloatingPointError, match="lower learning_rate_init.*clip_norm"):
        fit_quietly(DropoutMLPRegressor(**params), X, y)
    clipped = fit_quietly(DropoutMLPRegressor(**params, clip_norm=5.0), X, y)
    assert np.all(np.isfinite(clipped.loss_curve_))
    assert np.all(np.isfinite(clipped.predict(X)))


def test_divergence_keeps_finite_weights(regression):
    X, y = regression
    reg = DropoutMLPRegressor(
        (32, 32, 32), activation="identity", solver="sgd", momentum=0.0,
        learning_rate_init=0.5, batch_size=20, max_iter=5, random_state=0,
    )  # fmt: skip
    with pytest.raises(FloatingPointError, match="exploded"):
        reg.fit(X, y)
    # never silent NaN predictions: the weights of the last finite epoch are kept
    assert np.all(np.isfinite(reg.predict(X)))
    # and training can resume with a sensible learning rate
    reg.set_params(learning_rate_init=1e-3, max_iter=2, warm_start=True)
    fit_quietly(reg, X, y)
    assert np.all(np.isfinite(reg.predict(X)))


@pytest.mark.parametrize("Estimator", [DropoutMLPRegressor, DropoutMLPClassifier])
def test_no_hidden_layer_is_a_linear_model(regression, Estimator):
    X, y = regression
    y = y if Estimator is DropoutMLPRegressor else (y > 0).astype(int)
    est = fit_quietly(
        Estimator((), dropout=0.3, learning_rate_init=0.05, random_state=0), X, y
    )
    assert len(est.coefs_) == 1 and est.coefs_[0].shape == (5, 1)
    assert est.score(X, y) > 0.7


# three epochs are deliberately too few to converge: the test is about the health
# warning, so the expected ConvergenceWarning is filtered, not shown
@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_vanishing_gradient_warning(regression):
    X, y = regression
    reg = DropoutMLPRegressor(
        [16] * 8, activation="logistic", solver="sgd", max_iter=3, random_state=0
    )
    with pytest.warns(TrainingHealthWarning, match="Vanishing gradients.*relu"):
        reg.fit(X, y)
    norms = reg.diagnostics_["gradient_norm"]
    assert norms.shape == (3, 9)
    assert norms[-1, 0] < norms[-1, -1]
    assert np.isnan(reg.diagnostics_["dead_fraction"]).all()


def test_exploding_gradient_and_dead_unit_warnings(regression):
    X, y = regression
    # clipping keeps the loss finite while the raw gradients explode; the huge
    # steps then push the ReLU units into their flat region
    reg = DropoutMLPRegressor(
        (32, 32, 32, 32), solver="sgd", momentum=0.0, learning_rate_init=10.0,
        clip_norm=1.0, batch_size=20, max_iter=10, random_state=0,
    )  # fmt: skip
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        reg.fit(X, y)
    messages = [str(w.message) for w in caught if w.category is TrainingHealthWarning]
    assert any("Exploding gradients" in m and "clip_norm" in m for m in messages)
    assert any("Dead ReLU units" in m and "learning_rate_init" in m for m in messages)
    assert reg.diagnostics_["dead_fraction"][-1].max() >= 0.5


# three epochs are deliberately too few to converge: the test is about the health
# warning, so the expected ConvergenceWarning is filtered, not shown
@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_dead_units_after_negative_intercepts(regression):
    X, y = regression
    reg = fit_quietly(
        DropoutMLPRegressor((8,), max_iter=3, random_state=0, warm_start=True), X, y
    )
    assert reg.diagnostics_["dead_fraction"][-1, 0] < 0.5
    reg.intercepts_[0][:] = -100.0
    with pytest.warns(TrainingHealthWarning, match="Dead ReLU units: 100%"):
        reg.fit(X, y)
    assert reg.diagnostics_["dead_fraction"][-1, 0] == 1.0


def test_healthy_network_does_not_warn(regression):
    X, y = regression
    with warnings.catch_warnings():
        warnings.simplefilter("error", TrainingHealthWarning)
        fit_quietly_ok = DropoutMLPRegressor((10, 10), max_iter=20, random_state=0)
        warnings.filterwarnings("ignore", message="Stochastic Optimizer")
        fit_quietly_ok.fit(X, y)


def test_ftrl_l1_gives_exact_zero_weights(regression):
    X, y = regression
    reg = DropoutMLPRegressor(
        (16,), solver="ftrl", learning_rate_init=0.2, ftrl_l1=1.0, max_iter=20,
        random_state=0,
    )  # fmt: skip
    fit_quietly(reg, X, y)
    zeros = sum(int((c == 0).sum()) for c in reg.coefs_)
    assert zeros > 10
    assert reg.score(X, y) > 0.6
    plain = fit_quietly(clone(reg).set_params(ftrl_l1=0.0), X, y)
    assert sum(int((c == 0).sum()) for c in plain.coefs_) == 0


def test_early_stopping_restores_best_validation_weights(regression):
    X, y = regression
    reg = DropoutMLPRegressor(
        (32,), learning_rate_init=0.05, early_stopping=True, n_iter_no_change=3,
        max_iter=200, random_state=0,
    )  # fmt: skip
    fit_quietly(reg, X, y)
    curve = reg.validation_loss_curve_
    assert len(curve) == reg.n_iter_ < 200
    assert reg.best_validation_loss_ == min(curve)
    # the kept weights are the best epoch's, not the last one's
    assert np.argmin(curve) < len(curve) - 1
    X_train, X_val, y_train, y_val = _same_split(reg, X, y)
    val_loss = 0.5 * np.mean((reg.predict(X_val) - y_val) ** 2)
    assert val_loss == pytest.approx(reg.best_validation_loss_)


def _same_split(reg, X, y):
    from sklearn.model_selection import train_test_split

    rng = np.random.default_rng(0)
    rng.uniform(size=(5, 32))  # the initialization's draws
    rng.uniform(size=(32, 1))
    seed = int(rng.integers(2**31 - 1))
    return train_test_split(X, y, test_size=0.1, random_state=seed)


def test_partial_fit_and_warm_start(regression):
    X, y = regression
    reg = DropoutMLPRegressor((8,), random_state=0)
    for _ in range(5):
        reg.partial_fit(X, y)
    assert reg.n_iter_ == 1 and len(reg.loss_curve_) == 5 and reg.t_ == 5 * len(X)
    assert reg.loss_curve_[-1] < reg.loss_curve_[0]
    with pytest.raises(ValueError, match="early_stopping"):
        DropoutMLPRegressor(early_stopping=True).partial_fit(X, y)

    warm = DropoutMLPRegressor((8,), max_iter=3, warm_start=True, random_state=0)
    fit_quietly(warm, X, y)
    first = warm.coefs_[0].copy()
    fit_quietly(warm, X, y)
    assert len(warm.loss_curve_) == 6
    assert not np.allclose(first, warm.coefs_[0])
    with pytest.raises(ValueError, match="cannot change"):
        warm.set_params(hidden_layer_sizes=(4,)).fit(X, y)


def test_classifier_partial_fit_needs_classes():
    X = np.random.default_rng(0).standard_normal((40, 3))
    y = np.array(["a", "b", "c", "d"] * 10)
    clf = DropoutMLPClassifier((8,), random_state=0)
    with pytest.raises(ValueError, match="classes must be passed"):
        clf.partial_fit(X, y)
    clf.partial_fit(X[:20], y[:20], classes=["a", "b", "c", "d"])
    clf.partial_fit(X[20:], y[20:])
    assert clf.predict_proba(X).shape == (40, 4)
    np.testing.assert_allclose(clf.predict_proba(X).sum(axis=1), 1)
    with pytest.raises(ValueError, match="not in classes_"):
        clf.partial_fit(X[:4], ["a", "b", "e", "a"])


def test_sample_weight_zero_equals_removing_rows(regression):
    X, y = regression
    weights = np.ones(len(X))
    weights[::3] = 0
    params = dict(hidden_layer_sizes=(8,), batch_size=500, max_iter=20, random_state=0)
    weighted = fit_quietly(DropoutMLPRegressor(**params), X, y, sample_weight=weights)
    removed = fit_quietly(DropoutMLPRegressor(**params), X[weights > 0], y[weights > 0])
    np.testing.assert_allclose(weighted.predict(X), removed.predict(X), rtol=1e-6)


@pytest.mark.parametrize("Estimator", [DropoutMLPRegressor, DropoutMLPClassifier])
@pytest.mark.parametrize("batch_norm", [False, True])
def test_float32_stays_float32(regression, Estimator, batch_norm):
    X, y = regression
    y = y if Estimator is DropoutMLPRegressor else (y > 0).astype(int)
    est = Estimator((8,), dropout=0.2, batch_norm=batch_norm, max_iter=3)
    fit_quietly(est, X.astype(np.float32), y)
    assert all(c.dtype == np.float32 for c in est.coefs_ + est.intercepts_)
    output = est.predict(X.astype(np.float32))
    if Estimator is DropoutMLPRegressor:
        assert output.dtype == np.float32
    else:
        assert est.predict_proba(X.astype(np.float32)).dtype == np.float32


def test_pickle_then_partial_fit(regression):
    X, y = regression
    reg = DropoutMLPRegressor((8,), dropout=0.1, batch_norm=True, random_state=0)
    reg.partial_fit(X, y)
    restored = pickle.loads(pickle.dumps(reg))
    np.testing.assert_array_equal(restored.predict(X), reg.predict(X))
    restored.partial_fit(X, y)
    reg.partial_fit(X, y)
    np.testing.assert_allclose(restored.predict(X), reg.predict(X))


def test_keyboard_interrupt_keeps_the_weights(regression, monkeypatch):
    X, y = regression
    reg = DropoutMLPRegressor(
        (8,), early_stopping=True, max_iter=50, random_state=0, n_iter_no_change=50
    )
    original = type(reg)._end_epoch

    def interrupt_at_epoch_5(self, *args):
        original(self, *args)
        if self.n_iter_ == 5:
            raise KeyboardInterrupt

    monkeypatch.setattr(type(reg), "_end_epoch", interrupt_at_epoch_5)
    with pytest.warns(UserWarning, match="interrupted"):
        reg.fit(X, y)
    assert reg.n_iter_ == 5
    assert np.all(np.isfinite(reg.predict(X)))


def test_verbose_prints_losses(regression, capsys):
    X, y = regression
    fit_quietly(DropoutMLPRegressor((4,), max_iter=2, verbose=True), X, y)
    assert "Iteration 2, loss =" in capsys.readouterr().out


def test_classifier_binary_and_multiclass():
    from sklearn.datasets import load_iris

    X, y = load_iris(return_X_y=True)
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    clf = fit_quietly(
        DropoutMLPClassifier((16,), learning_rate_init=0.02, random_state=0), X, y
    )
    assert clf.out_activation_ == "softmax" and clf.score(X, y) > 0.9
    binary = fit_quietly(clone(clf), X, y == 2)
    assert binary.out_activation_ == "logistic" and binary.n_outputs_ == 1
    proba = binary.predict_proba(X)
    np.testing.assert_array_equal(binary.predict(X), proba.argmax(axis=1) == 1)
    np.testing.assert_allclose(binary.predict_log_proba(X), np.log(proba))


@pytest.mark.parametrize("Estimator", [DropoutMLPRegressor, DropoutMLPClassifier])
def test_bad_input_errors_name_the_columns(Estimator):
    import pandas as pd

    good = pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0], "b": [0.5, 0.1, 0.7, 0.2]})
    y = [0, 1, 0, 1]
    with pytest.raises(ValueError, match=r"NaN in column\(s\) 'a'.*impute"):
        Estimator(max_iter=2).fit(good.assign(a=np.nan), y)
    with pytest.raises(ValueError, match=r"infinity in column\(s\) 'b'"):
        Estimator(max_iter=2).fit(good.assign(b=[1.0, np.inf, 0.0, 0.0]), y)
    with pytest.raises(ValueError, match="column 's' .*is not numeric"):
        Estimator(max_iter=2).fit(good.assign(s=list("wxyz")), y)
    est = fit_quietly(Estimator(max_iter=2), good, y)
    with pytest.raises(ValueError, match=r"NaN in column\(s\) 'a', 'b'"):
        est.predict(good * np.nan)


def test_classifier_with_a_single_class_predicts_it():
    X = np.random.default_rng(0).standard_normal((5, 2))
    clf = fit_quietly(DropoutMLPClassifier((4,), max_iter=3), X, ["only"] * 5)
    assert list(clf.predict(X)) == ["only"] * 5
    np.testing.assert_array_equal(clf.predict_proba(X), np.ones((5, 1)))


def test_negative_sample_weight_is_rejected(regression):
    X, y = regression
    weights = np.ones(len(X))
    weights[0] = -1
    with pytest.raises(ValueError, match="[Nn]egative"):
        DropoutMLPRegressor(max_iter=2).fit(X, y, sample_weight=weights)
