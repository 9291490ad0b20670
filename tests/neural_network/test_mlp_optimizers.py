"""One step of each optimizer, computed by hand."""

import numpy as np
import pytest

from skscale.neural_network._optimizers import (
    FTRL,
    OPTIMIZERS,
    SGD,
    Adagrad,
    Adam,
    clip_by_global_norm,
)


def test_registry_maps_every_solver():
    expected = {"sgd": SGD, "adagrad": Adagrad, "adam": Adam, "ftrl": FTRL}
    assert dict(OPTIMIZERS) == expected


def test_sgd_plain_step():
    w = np.array([1.0, -2.0])
    SGD([w], learning_rate=0.1, momentum=0.0).step([w], [np.array([0.5, -1.0])])
    np.testing.assert_allclose(w, [0.95, -1.9])


def test_sgd_momentum_two_steps():
    w, g = np.array([1.0]), np.array([2.0])
    optimizer = SGD([w], learning_rate=0.1, momentum=0.9, nesterov=False)
    optimizer.step([w], [g])  # v = -0.2, w = 0.8
    optimizer.step([w], [g])  # v = 0.9 * -0.2 - 0.2 = -0.38, w = 0.42
    np.testing.assert_allclose(optimizer.velocities[0], [-0.38])
    np.testing.assert_allclose(w, [0.42])


def test_sgd_nesterov_step():
    w, g = np.array([1.0]), np.array([2.0])
    optimizer = SGD([w], learning_rate=0.1, momentum=0.9, nesterov=True)
    optimizer.step([w], [g])
    # v = -0.2; w += 0.9 * v - 0.1 * 2 = -0.38
    np.testing.assert_allclose(w, [0.62])


def test_adagrad_accumulator():
    w = np.array([1.0, 1.0])
    optimizer = Adagrad([w], learning_rate=0.5, epsilon=0.0)
    optimizer.step([w], [np.array([0.3, -0.4])])
    np.testing.assert_allclose(optimizer.accumulators[0], [0.1 + 0.09, 0.1 + 0.16])
    expected = 1 - 0.5 * np.array([0.3, -0.4]) / np.sqrt([0.19, 0.26])
    np.testing.assert_allclose(w, expected)
    optimizer.step([w], [np.array([0.3, -0.4])])
    np.testing.assert_allclose(optimizer.accumulators[0], [0.28, 0.42])


def test_adam_bias_correction():
    # after one step m_hat = g and v_hat = g^2: the step is lr * sign(g)
    w = np.array([1.0, 1.0, 1.0])
    g = np.array([1e-3, -5.0, 200.0])
    optimizer = Adam([w], learning_rate=0.01, epsilon=0.0)
    optimizer.step([w], [g])
    np.testing.assert_allclose(w, 1 - 0.01 * np.sign(g))
    np.testing.assert_allclose(optimizer.first_moments[0], 0.1 * g)
    np.testing.assert_allclose(optimizer.second_moments[0], 0.001 * g**2)
    # second step, by the formulas of the paper
    optimizer.step([w], [g])
    m, v = 0.19 * g, (0.999 * 0.001 + 0.001) * g**2
    m_hat, v_hat = m / (1 - 0.9**2), v / (1 - 0.999**2)
    np.testing.assert_allclose(w, 1 - 0.01 * np.sign(g) - 0.01 * m_hat / np.sqrt(v_hat))


def test_ftrl_keeps_initial_weights_and_matches_algorithm():
    w = np.array([0.5, -0.2])
    optimizer = FTRL([w], learning_rate=0.1, l1=0.0, l2=0.0)
    g = np.array([0.3, 0.1])
    # z0 reproduces w: z0 = -w * sqrt(0.1) / 0.1
    z = -np.array([0.5, -0.2]) * np.sqrt(0.1) / 0.1
    optimizer.step([w], [g])
    n = 0.1 + g**2
    sigma = (np.sqrt(n) - np.sqrt(0.1)) / 0.1
    z = z + g - sigma * np.array([0.5, -0.2])
    np.testing.assert_allclose(optimizer.linear_terms[0], z)
    np.testing.assert_allclose(w, -z / (np.sqrt(n) / 0.1))


def test_ftrl_l1_gives_exact_zeros():
    w = np.array([0.01, -0.01, 2.0, 0.0])
    optimizer = FTRL([w], learning_rate=0.1, l1=1.0)
    # z0 = -w * sqrt(0.1) / 0.1; the small weights have |z0| < l1
    optimizer.step([w], [np.array([0.0, 0.0, 0.0, 0.5])])
    assert w[0] == 0.0 and w[1] == 0.0 and w[3] == 0.0
    z, d = -2.0 * np.sqrt(0.1) / 0.1, np.sqrt(0.1) / 0.1
    assert w[2] == pytest.approx(-(z + 1.0) / d)
    # a zero weight stays zero until its accumulated gradient exceeds l1
    optimizer.step([w], [np.array([0.0, 0.0, 0.0, 0.5])])
    assert optimizer.linear_terms[0][3] == pytest.approx(1.0)
    assert w[3] == 0.0
    optimizer.step([w], [np.array([0.0, 0.0, 0.0, 0.5])])
    assert w[3] == pytest.approx(-(1.5 - 1.0) / (np.sqrt(0.1 + 3 * 0.25) / 0.1))


def test_clip_by_global_norm():
    grads = [np.array([3.0]), np.array([4.0])]
    clip_by_global_norm(grads, 1.0, 5.0)
    np.testing.assert_allclose(np.concatenate(grads), [0.6, 0.8])
    clip_by_global_norm(grads, 10.0, 1.0)
    np.testing.assert_allclose(np.concatenate(grads), [0.6, 0.8])
