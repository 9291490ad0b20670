"""Learning-rate schedules: the rate each optimizer uses for the next epoch.

scikit-learn's ``MLPRegressor`` names three schedules (``"constant"``,
``"invscaling"``, ``"adaptive"``) and applies them to ``solver="sgd"`` only;
here they apply to every solver, and ``"cosine"`` adds the annealing that
helps networks on quantile-encoded features most (measured in
``examples/plot_california_encoders.py``).
"""

import math

SCHEDULES = ("constant", "invscaling", "adaptive", "cosine")

# "adaptive" divides the rate by this when the loss stops improving, and stops
# training at a plateau once the rate is MIN_ADAPTIVE_RATE or less
# (scikit-learn's values and order).
ADAPTIVE_FACTOR = 5.0
MIN_ADAPTIVE_RATE = 1e-6


class LearningRateSchedule:
    """The learning rate after each epoch.

    - ``"constant"``: ``learning_rate_init`` throughout;
    - ``"invscaling"``: ``learning_rate_init / (t + 1) ** power_t`` with ``t``
      the number of training samples seen, as in scikit-learn;
    - ``"adaptive"``: constant while the loss improves; each time it has not
      improved by ``tol`` for more than ``n_iter_no_change`` epochs the rate
      is divided by 5, and training stops at a plateau reached with a rate
      of 1e-6 or less (as in scikit-learn);
    - ``"cosine"``: ``learning_rate_init * (1 + cos(pi * e / max_iter)) / 2``
      after ``e`` epochs, from ``learning_rate_init`` down to 0 at
      ``max_iter`` (Loshchilov and Hutter's annealing, without restarts).

    References
    ----------
    I. Loshchilov and F. Hutter, "SGDR: Stochastic gradient descent with warm
    restarts", ICLR 2017.
    """

    def __init__(self, kind, learning_rate_init, *, power_t=0.5, max_iter=200):
        self.kind = kind
        self.learning_rate_init = learning_rate_init
        self.power_t = power_t
        self.max_iter = max_iter

    def after_epoch(self, rate, *, epochs_done, samples_seen):
        """The rate for the next epoch, given the current one."""
        if self.kind == "invscaling":
            return self.learning_rate_init / (samples_seen + 1) ** self.power_t
        if self.kind == "cosine":
            progress = min(epochs_done / self.max_iter, 1.0)
            return self.learning_rate_init * 0.5 * (1.0 + math.cos(math.pi * progress))
        return rate

    def on_plateau(self, rate):
        """The lowered rate when the loss stopped improving, or None to stop."""
        if self.kind != "adaptive" or rate <= MIN_ADAPTIVE_RATE:
            return None
        return rate / ADAPTIVE_FACTOR
