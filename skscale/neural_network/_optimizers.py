"""Optimizers: one plain class per algorithm.

Each keeps its state in lists aligned with the ``params`` it was built for and
updates them in place with ``step(params, grads)``. Scratch arrays are allocated
once, so a step allocates nothing.
"""

import numpy as np


class SGD:
    """Stochastic gradient descent with (Nesterov) momentum.

    ``v <- mu * v - lr * g`` then ``w <- w + v``; with Nesterov's momentum
    ``w <- w + mu * v - lr * g`` (the look-ahead form of Sutskever et al., 2013,
    as in scikit-learn). ``mu = 0`` is plain gradient descent.

    References
    ----------
    Sutskever, Martens, Dahl and Hinton, "On the importance of initialization and
    momentum in deep learning", ICML 2013.
    """

    def __init__(self, params, learning_rate=0.1, momentum=0.9, nesterov=True):
        self.learning_rate = learning_rate
        self.momentum = momentum
        self.nesterov = nesterov
        self.velocities = [np.zeros_like(p) for p in params]
        self._scratch = [np.empty_like(p) for p in params]

    def step(self, params, grads):
        lr, mu = self.learning_rate, self.momentum
        for w, g, v, scratch in zip(params, grads, self.velocities, self._scratch):
            np.multiply(g, lr, out=scratch)
            if mu == 0:
                w -= scratch
                continue
            v *= mu
            v -= scratch
            if self.nesterov:
                w -= scratch
                np.multiply(v, mu, out=scratch)
                w += scratch
            else:
                w += v


class Adagrad:
    """Adagrad: per-coordinate learning rates shrinking with the squared gradients.

    ``G <- G + g**2`` then ``w <- w - lr * g / (sqrt(G) + eps)``, with ``G``
    starting at ``initial_accumulator_value`` (0.1, TensorFlow's default, which
    keeps the first steps from being ``lr * sign(g)``).

    References
    ----------
    Duchi, Hazan and Singer, "Adaptive subgradient methods for online learning and
    stochastic optimization", JMLR 12, 2011.
    """

    def __init__(
        self, params, learning_rate=0.01, epsilon=1e-8, initial_accumulator_value=0.1
    ):
        self.learning_rate = learning_rate
        self.epsilon = epsilon
        self.accumulators = [np.full_like(p, initial_accumulator_value) for p in params]
        self._scratch = [np.empty_like(p) for p in params]

    def step(self, params, grads):
        for w, g, acc, scratch in zip(params, grads, self.accumulators, self._scratch):
            np.multiply(g, g, out=scratch)
            acc += scratch
            np.sqrt(acc, out=scratch)
            scratch += self.epsilon
            np.divide(g, scratch, out=scratch)
            scratch *= self.learning_rate
            w -= scratch


class Adam:
    """Adam: momentum on the gradient and on its square, with bias correction.

    ``m <- b1 * m + (1 - b1) * g``, ``v <- b2 * v + (1 - b2) * g**2``, and at step
    ``t`` ``w <- w - lr_t * m / (sqrt(v) + eps)`` with
    ``lr_t = lr * sqrt(1 - b2**t) / (1 - b1**t)`` (the efficient form of Section 2
    of the paper, as in scikit-learn).

    References
    ----------
    Kingma and Ba, "Adam: A method for stochastic optimization", ICLR 2015,
    arXiv:1412.6980.
    """

    def __init__(
        self, params, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-8
    ):
        self.learning_rate = learning_rate
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.t = 0
        self.first_moments = [np.zeros_like(p) for p in params]
        self.second_moments = [np.zeros_like(p) for p in params]
        self._scratch = [np.empty_like(p) for p in params]

    def step(self, params, grads):
        self.t += 1
        b1, b2 = self.beta_1, self.beta_2
        lr_t = self.learning_rate * np.sqrt(1 - b2**self.t) / (1 - b1**self.t)
        for w, g, m, v, scratch in zip(
            params, grads, self.first_moments, self.second_moments, self._scratch
        ):
            m *= b1
            np.multiply(g, 1 - b1, out=scratch)
            m += scratch
            v *= b2
            np.multiply(g, g, out=scratch)
            scratch *= 1 - b2
            v += scratch
            np.sqrt(v, out=scratch)
            scratch += self.epsilon
            np.divide(m, scratch, out=scratch)
            scratch *= lr_t
            w -= scratch


class FTRL:
    """FTRL-Proximal: weights computed from accumulators, exact zeros under L1.

    For each coordinate, with ``alpha`` the learning rate::

        sigma = (sqrt(n + g**2) - sqrt(n)) / alpha
        z <- z + g - sigma * w
        n <- n + g**2
        w = 0                                          if |z| <= l1
        w = -(z - sign(z) * l1) / ((beta + sqrt(n)) / alpha + l2)   otherwise

    ``n`` starts at ``initial_accumulator_value`` (0.1) and ``z`` at
    ``-w0 * (beta + sqrt(n)) / alpha``, the value that gives the initial weights
    ``w0`` without regularization, so a network keeps its random initialization
    instead of starting from zero. With ``l1 > 0`` the first step therefore
    soft-thresholds the initialization: weights with ``|z| <= l1`` become exactly
    zero and stay zero until their accumulated gradient exceeds ``l1``, which is
    FTRL's sparsity. ``l1`` and ``l2`` apply to every parameter handed to the
    optimizer.

    The weights depend on ``alpha`` through the denominator, so a schedule that
    changes the rate would rescale them at once (a cosine schedule drove them
    to about 0). The first step after ``learning_rate`` changed therefore
    re-anchors ``z`` so that the current weights are unchanged::

        z = -w * ((beta + sqrt(n)) / alpha + l2) - sign(w) * l1     for w != 0

    (zero weights keep their ``z``, inside ``[-l1, l1]``), and later steps
    follow the algorithm with the new rate. A rate of 0 (the end of a cosine
    schedule) makes ``step`` leave everything as it is, as a zero rate does
    for the other solvers.

    References
    ----------
    McMahan et al., "Ad click prediction: a view from the trenches", KDD 2013,
    Algorithm 1.
    """

    def __init__(
        self,
        params,
        learning_rate=0.1,
        l1=0.0,
        l2=0.0,
        beta=0.0,
        initial_accumulator_value=0.1,
    ):
        self.learning_rate = learning_rate
        self.l1 = l1
        self.l2 = l2
        self.beta = beta
        self.squared_sums = [np.full_like(p, initial_accumulator_value) for p in params]
        self.linear_terms = []
        for w, n in zip(params, self.squared_sums):
            self.linear_terms.append(-w * (beta + np.sqrt(n)) / learning_rate)
        self._scratch = [(np.empty_like(p), np.empty_like(p)) for p in params]
        # the rate the linear terms were computed with
        self._anchored_rate = learning_rate

    def reanchor(self, params):
        """Recompute ``z`` from the weights at the current rate: after a change
        of rate, or after the weights were changed outside ``step`` (decoupled
        weight decay)."""
        for w, n, z, (denominator, work) in zip(
            params, self.squared_sums, self.linear_terms, self._scratch
        ):
            np.sqrt(n, out=denominator)
            denominator += self.beta
            denominator /= self.learning_rate
            denominator += self.l2
            np.multiply(w, denominator, out=work)
            np.sign(w, out=denominator)
            denominator *= self.l1
            work += denominator
            np.negative(work, out=work)
            # zero weights keep their z, which is within [-l1, l1]
            np.copyto(z, work, where=w != 0)
        self._anchored_rate = self.learning_rate

    def step(self, params, grads):
        alpha, l1 = self.learning_rate, self.l1
        if alpha == 0:
            return
        if alpha != self._anchored_rate:
            self.reanchor(params)
        for w, g, n, z, (new_n, work) in zip(
            params, grads, self.squared_sums, self.linear_terms, self._scratch
        ):
            np.multiply(g, g, out=new_n)
            new_n += n
            np.sqrt(new_n, out=work)
            np.sqrt(n, out=n)
            work -= n
            work /= alpha
            work *= w
            z += g
            z -= work
            np.copyto(n, new_n)
            # w = -(z - sign(z) * l1) / ((beta + sqrt(n)) / alpha + l2)
            np.sqrt(n, out=new_n)
            new_n += self.beta
            new_n /= alpha
            new_n += self.l2
            np.sign(z, out=work)
            work *= -l1
            work += z
            np.divide(work, new_n, out=w)
            np.negative(w, out=w)
            w[np.abs(z) <= l1] = 0


OPTIMIZERS = {"sgd": SGD, "adagrad": Adagrad, "adam": Adam, "ftrl": FTRL}


def clip_by_global_norm(grads, max_norm, global_norm):
    """Scale ``grads`` in place so that their global norm is at most ``max_norm``."""
    if global_norm > max_norm:
        scale = max_norm / global_norm
        for g in grads:
            g *= scale
