"""Finite-difference checks of every backward pass, without another framework."""

import numpy as np
import pytest

from skscale.neural_network._activations import LOSSES
from skscale.neural_network._layers import BatchNorm, Dense, Dropout

EPS = 1e-6


def numerical_gradient(f, array):
    """Central differences of the scalar ``f()`` with respect to ``array``."""
    grad = np.zeros_like(array)
    flat, grad_flat = array.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):
        saved = flat[i]
        flat[i] = saved + EPS
        upper = f()
        flat[i] = saved - EPS
        lower = f()
        flat[i] = saved
        grad_flat[i] = (upper - lower) / (2 * EPS)
    return grad


def check_layer(make_layer, X, params=()):
    """Compare backward with finite differences of sum(C * forward(X))."""
    rng = np.random.default_rng(1)
    layer = make_layer()
    C = rng.standard_normal(layer.forward(X.copy(), training=True).shape)

    def objective():
        return float(np.sum(C * make_layer().forward(X, training=True)))

    layer = make_layer()
    layer.forward(X, training=True)
    input_grad = layer.backward(C.copy())
    np.testing.assert_allclose(
        input_grad, numerical_gradient(objective, X), rtol=1e-5, atol=1e-7
    )
    for param, grad in zip(params, layer.grads):
        np.testing.assert_allclose(
            grad, numerical_gradient(objective, param), rtol=1e-5, atol=1e-7
        )


@pytest.mark.parametrize(
    "activation", ["identity", "relu", "leaky_relu", "tanh", "logistic"]
)
def test_dense_gradient(activation):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((7, 4))
    coef, intercept = rng.standard_normal((4, 3)), rng.standard_normal(3)
    coef_grad, intercept_grad = np.empty_like(coef), np.empty_like(intercept)

    def make_layer():
        return Dense(
            coef, intercept, activation, coef_grad=coef_grad,
            intercept_grad=intercept_grad,
        )  # fmt: skip

    check_layer(make_layer, X, params=(coef, intercept))


def test_first_dense_layer_skips_input_gradient():
    rng = np.random.default_rng(0)
    coef, intercept = rng.standard_normal((4, 3)), np.zeros(3)
    layer = Dense(
        coef, intercept, "relu", coef_grad=np.empty_like(coef),
        intercept_grad=np.empty(3), input_grad=False,
    )  # fmt: skip
    layer.forward(rng.standard_normal((5, 4)), training=True)
    assert layer.backward(np.ones((5, 3))) is None


def test_dropout_gradient_with_fixed_mask():
    # the same seed redraws the same mask, so the layer is a fixed linear map
    X = np.random.default_rng(0).standard_normal((6, 5))
    check_layer(lambda: Dropout(0.4, np.random.default_rng(42)), X)


def test_dropout_is_inverted_and_identity_at_prediction():
    X = np.ones((2000, 50))
    layer = Dropout(0.3, np.random.default_rng(0))
    output = layer.forward(X, training=True)
    kept = output != 0
    # the rate is rounded to a multiple of 2**-16
    np.testing.assert_allclose(output[kept], 1 / 0.7, rtol=1e-5)
    assert abs(kept.mean() - 0.7) < 0.01
    assert abs(output.mean() - 1.0) < 0.02
    assert layer.forward(X, training=False) is X
    np.testing.assert_array_equal(layer.backward(np.ones_like(X)), layer.mask)


@pytest.mark.parametrize("activation", ["identity", "relu", "tanh"])
def test_batch_norm_gradient(activation):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((8, 3)) * 3 + 1
    gamma, beta = rng.standard_normal(3), rng.standard_normal(3)
    gamma_grad, beta_grad = np.empty(3), np.empty(3)

    def make_layer():
        return BatchNorm(
            gamma, beta, np.zeros(3), np.ones(3), activation,
            gamma_grad=gamma_grad, beta_grad=beta_grad,
        )  # fmt: skip

    check_layer(make_layer, X, params=(gamma, beta))


def test_batch_norm_normalizes_and_tracks_running_statistics():
    X = np.random.default_rng(0).standard_normal((500, 2)) * [2.0, 5.0] + [1.0, -3.0]
    running_mean, running_var = np.zeros(2), np.ones(2)
    layer = BatchNorm(np.ones(2), np.zeros(2), running_mean, running_var)
    output = layer.forward(X, training=True)
    np.testing.assert_allclose(output.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(output.std(axis=0), 1, atol=1e-5)
    np.testing.assert_allclose(running_mean, 0.1 * X.mean(axis=0))
    for _ in range(200):
        layer.forward(X, training=True)
    np.testing.assert_allclose(running_mean, X.mean(axis=0))
    np.testing.assert_allclose(
        layer.forward(X, training=False), output, rtol=1e-4, atol=1e-4
    )


@pytest.mark.parametrize("loss_name", ["squared_error", "binary_log_loss", "log_loss"])
@pytest.mark.parametrize("weighted", [False, True])
def test_loss_gradient(loss_name, weighted):
    rng = np.random.default_rng(0)
    n_outputs = {"squared_error": 2, "binary_log_loss": 1, "log_loss": 3}[loss_name]
    raw = rng.standard_normal((6, n_outputs)) * 3
    if loss_name == "squared_error":
        Y = rng.standard_normal((6, n_outputs))
    elif loss_name == "binary_log_loss":
        Y = rng.integers(0, 2, (6, 1)).astype(float)
    else:
        Y = np.eye(3)[rng.integers(0, 3, 6)]
    sample_weight = rng.uniform(0, 3, 6) if weighted else None
    loss = LOSSES[loss_name]

    def objective():
        return loss(raw, Y, sample_weight, np.empty_like(raw))

    grad = np.empty_like(raw)
    value = loss(raw, Y, sample_weight, grad)
    assert value == pytest.approx(objective())
    np.testing.assert_allclose(
        grad, numerical_gradient(objective, raw), rtol=1e-5, atol=1e-8
    )


def test_loss_values_by_hand():
    raw, Y = np.array([[1.0], [3.0]]), np.array([[0.0], [1.0]])
    assert LOSSES["squared_error"](raw, Y, None, np.empty_like(raw)) == 0.5 * 5 / 2
    # log(1 + e) - 0 and log(1 + e^3) - 3
    expected = (np.log1p(np.e) + np.log1p(np.exp(3)) - 3) / 2
    value = LOSSES["binary_log_loss"](raw, Y, None, np.empty_like(raw))
    assert value == pytest.approx(expected)
    # a batch made only of zero-weight rows contributes nothing
    grad = np.empty_like(raw)
    assert LOSSES["squared_error"](raw, Y, np.zeros(2), grad) == 0
    np.testing.assert_array_equal(grad, 0)
