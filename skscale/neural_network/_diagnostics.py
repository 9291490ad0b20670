"""Per-epoch diagnostics for the lesson's failure cases, and the warnings they raise.

The course names three ways training a network goes wrong, with remedies:

- vanishing gradients: the lower layers' gradients are tiny, so they learn very
  slowly; ReLU activations help;
- exploding gradients: gradients so large the model does not converge; batch
  normalization, a lower learning rate and clipping the gradient norm help;
- dead ReLU units: a unit whose input stays below zero outputs 0 and gets no
  gradient; a lower learning rate helps.

``EpochMonitor`` measures, for each epoch, the norm of each layer's weight
gradient and the fraction of ReLU units that never fire;
``health_warnings`` reads the recorded history and names the failure.
"""

import os

import numpy as np

# a lower layer whose gradient (root mean square per weight) is this many times
# smaller than the output layer's is "vanishing"
VANISHING_RATIO = 1e-3
# a gradient norm this many times larger than on the first mini-batch of the call
# is "exploding"
EXPLODING_GROWTH = 1e2
# warn when at least this fraction of a ReLU layer's units never fired in an epoch
DEAD_FRACTION = 0.5


class TrainingHealthWarning(UserWarning):
    """Warning that training shows vanishing or exploding gradients or dead units."""


def user_stacklevel() -> int:
    """``stacklevel`` for a ``warnings.warn`` in the calling function that points
    at the user's line: the first frame outside skscale and scikit-learn.

    A fixed number cannot: ``fit`` is reached through scikit-learn's
    ``_fit_context`` wrapper, a Pipeline, a GridSearchCV, or ``partial_fit``.
    """
    import sys

    import sklearn

    libraries = tuple(
        os.path.dirname(module.__file__) + os.sep
        for module in (sys.modules["skscale"], sklearn)
    )
    frame, level = sys._getframe(1), 1
    while frame.f_back is not None and frame.f_code.co_filename.startswith(libraries):
        frame, level = frame.f_back, level + 1
    return level


class EpochMonitor:
    """Measure one epoch's gradient norms and dead units.

    Gradient norms are accumulated on ``MONITORED_BATCHES`` evenly spaced
    mini-batches of the epoch (all of them when there are fewer), which keeps the
    cost per batch nil on long epochs. Dead units are found at the end of the
    epoch by a prediction-mode pass over ``probe_rows(n_samples)`` training rows
    (all of them up to 1,000, then 5% with at least 1,000 and at most 10,000): a
    ReLU unit is dead when it outputs 0 for every one of them.

    Parameters
    ----------
    coef_offsets : ndarray of int
        Start of each layer's weights in the flat gradient of the weights.
    n_batches : int
        Number of mini-batches per epoch.
    activity_layers : list of layers
        The layers whose output is a ReLU hidden layer's activation; empty for
        other activations.
    n_hidden : int
    """

    MONITORED_BATCHES = 32

    @staticmethod
    def probe_rows(n_samples):
        return min(n_samples, max(1_000, min(10_000, n_samples // 20)))

    def __init__(self, coef_offsets, n_batches, activity_layers, n_hidden):
        self.coef_offsets = coef_offsets
        self.stride = max(1, n_batches // self.MONITORED_BATCHES)
        self.activity_layers = activity_layers
        self.n_hidden = n_hidden
        self.squared_norms = np.zeros(len(coef_offsets))
        self.n_batches = 0
        self.initial_norm = None
        self._squares = None

    def start_epoch(self):
        self.squared_norms[:] = 0
        self.n_batches = 0

    def record_batch(self, coef_grads):
        """Add the squared norm of each layer's weight gradient."""
        if self._squares is None or self._squares.shape != coef_grads.shape:
            self._squares = np.empty_like(coef_grads)
        np.multiply(coef_grads, coef_grads, out=self._squares)
        per_layer = np.add.reduceat(self._squares, self.coef_offsets)
        self.squared_norms += per_layer
        if self.initial_norm is None:
            # the reference for "exploding": the gradient at the start of this call
            self.initial_norm = float(np.sqrt(per_layer.sum()))
        self.n_batches += 1

    def end_epoch(self, layers, X_probe):
        """Return (root mean square over batches of each layer's gradient norm,
        fraction of dead units per hidden layer, NaN when not a ReLU layer)."""
        gradient_norm = np.sqrt(self.squared_norms / max(self.n_batches, 1))
        dead_fraction = np.full(self.n_hidden, np.nan)
        if self.activity_layers and len(X_probe):
            dead = []
            output = X_probe
            for layer in layers:
                output = layer.forward(output, training=False)
                if any(layer is tracked for tracked in self.activity_layers):
                    dead.append(1.0 - output.any(axis=0).mean())
            dead_fraction[:] = dead
        return gradient_norm, dead_fraction


def health_warnings(gradient_norm, dead_fraction, coef_sizes, first_epoch, initial):
    """Messages naming the failure cases visible in the diagnostics history.

    Parameters
    ----------
    gradient_norm : ndarray of shape (n_epochs, n_layers)
    dead_fraction : ndarray of shape (n_epochs, n_hidden)
    coef_sizes : ndarray of shape (n_layers,)
        Number of weights per layer, to compare layers of different sizes.
    first_epoch : int
        Index of the first epoch of the current call to ``fit``.
    initial : float or None
        Gradient norm on the first mini-batch of the current call.
    """
    messages = []
    last_norm = gradient_norm[-1]
    last_dead = dead_fraction[-1]
    if np.any(last_dead >= DEAD_FRACTION):
        layer = int(np.nanargmax(last_dead))
        messages.append(
            f"Dead ReLU units: {last_dead[layer]:.0%} of the units of hidden layer "
            f"{layer} output 0 for every training sample, so they no longer learn. "
            "Remedy: lower learning_rate_init (or use activation='leaky_relu')."
        )
    rms_per_weight = last_norm / np.sqrt(coef_sizes)
    if len(rms_per_weight) > 2 and rms_per_weight[-1] > 0:
        ratio = rms_per_weight[0] / rms_per_weight[-1]
        if ratio < VANISHING_RATIO:
            messages.append(
                "Vanishing gradients: the first layer's gradient is "
                f"{ratio:.1e} times the output layer's, so the lower layers learn "
                "very slowly. Remedy: use activation='relu' (or 'leaky_relu'), "
                "batch_norm=True, or fewer layers."
            )
    total = np.sqrt((gradient_norm[first_epoch:] ** 2).sum(axis=1))
    if initial:
        growth = total.max() / initial
        if growth > EXPLODING_GROWTH:
            messages.append(
                f"Exploding gradients: the gradient norm grew {growth:.1e} times "
                "during training, which keeps the model from converging. Remedy: "
                "lower learning_rate_init, set batch_norm=True, or clip the gradient "
                "with clip_norm (the course clips at 5.0)."
            )
    return messages
