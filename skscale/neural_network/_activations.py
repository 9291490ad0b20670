"""Activation functions, their derivatives and the output losses, all in place.

Every function here works on whole arrays and writes into an array it is given,
so the training loop allocates nothing per mini-batch.
"""

import numpy as np
from scipy.special import expit

# slope of leaky ReLU for negative inputs (the common default of deep-learning
# libraries)
LEAKY_SLOPE = 0.01


def _identity(Z):
    return Z


def _relu(Z):
    return np.maximum(Z, 0, out=Z)


def _leaky_relu(Z):
    # max(z, 0.01 z) equals z for z >= 0 and 0.01 z below, because 0 < slope < 1
    return np.maximum(Z, Z * LEAKY_SLOPE, out=Z)


def _tanh(Z):
    return np.tanh(Z, out=Z)


def _logistic(Z):
    return expit(Z, out=Z)


ACTIVATIONS = {
    "identity": _identity,
    "relu": _relu,
    "leaky_relu": _leaky_relu,
    "tanh": _tanh,
    "logistic": _logistic,
}


# The derivatives are written in terms of the activation's *output* A (which the
# layer keeps for backward anyway) and multiply the incoming gradient G in place.
# ``scratch`` is a preallocated boolean/float buffer of the shape of A.


def _identity_derivative(A, G, scratch):
    return G


def _relu_derivative(A, G, scratch):
    np.greater(A, 0, out=scratch)
    return np.multiply(G, scratch, out=G)


def _leaky_relu_derivative(A, G, scratch):
    # the output has the sign of the input, so A > 0 tells which slope applied
    G *= np.where(A > 0, 1.0, LEAKY_SLOPE).astype(G.dtype, copy=False)
    return G


def _tanh_derivative(A, G, scratch):
    G *= 1 - A**2
    return G


def _logistic_derivative(A, G, scratch):
    G *= A * (1 - A)
    return G


DERIVATIVES = {
    "identity": _identity_derivative,
    "relu": _relu_derivative,
    "leaky_relu": _leaky_relu_derivative,
    "tanh": _tanh_derivative,
    "logistic": _logistic_derivative,
}


def softmax(Z):
    """Row-wise softmax of ``Z``, in place."""
    Z -= Z.max(axis=1, keepdims=True)
    np.exp(Z, out=Z)
    Z /= Z.sum(axis=1, keepdims=True)
    return Z


def squared_loss(raw, Y, sample_weight, grad):
    """Half mean squared error and its gradient with respect to ``raw``.

    ``loss = sum_i w_i * ||y_i - raw_i||^2 / (2 * sum_i w_i)``; the gradient,
    ``w_i * (raw_i - y_i) / sum_i w_i``, is written into ``grad``.
    """
    np.subtract(raw, Y, out=grad)
    if sample_weight is None:
        scale = 1.0 / grad.shape[0]
        loss = 0.5 * scale * float(np.vdot(grad, grad))
        grad *= scale
        return loss
    weights = _normalized(sample_weight)
    loss = 0.5 * float(np.dot(weights, np.einsum("ij,ij->i", grad, grad)))
    grad *= weights[:, None]
    return loss


def binary_log_loss(raw, Y, sample_weight, grad):
    """Logistic loss on the decision value ``raw`` (one column) and its gradient.

    ``loss = mean_w(log(1 + exp(raw)) - y * raw)``, written so that it never
    overflows; the gradient is ``w * (expit(raw) - y) / sum(w)``.
    """
    per_sample = np.logaddexp(0, raw) - Y * raw
    expit(raw, out=grad)
    grad -= Y
    return _weighted_mean_and_scale(per_sample[:, 0], sample_weight, grad)


def multinomial_log_loss(raw, Y, sample_weight, grad):
    """Cross-entropy of the softmax of ``raw`` against one-hot ``Y`` and its gradient.

    ``loss = mean_w(logsumexp(raw) - sum_k y_k raw_k)``; the gradient is
    ``w * (softmax(raw) - y) / sum(w)``.
    """
    np.subtract(raw, raw.max(axis=1, keepdims=True), out=grad)
    true_class_logit = np.einsum("ij,ij->i", Y, grad)
    np.exp(grad, out=grad)
    normalizer = grad.sum(axis=1)
    grad /= normalizer[:, None]
    per_sample = np.log(normalizer) - true_class_logit
    grad -= Y
    return _weighted_mean_and_scale(per_sample, sample_weight, grad)


def _weighted_mean_and_scale(per_sample, sample_weight, grad):
    if sample_weight is None:
        grad *= 1.0 / grad.shape[0]
        return float(per_sample.mean())
    weights = _normalized(sample_weight)
    grad *= weights[:, None]
    return float(np.dot(weights, per_sample))


def _normalized(sample_weight):
    # a mini-batch made only of zero-weight samples contributes nothing
    total = sample_weight.sum()
    return sample_weight / total if total > 0 else np.zeros_like(sample_weight)


LOSSES = {
    "squared_error": squared_loss,
    "binary_log_loss": binary_log_loss,
    "log_loss": multinomial_log_loss,
}
