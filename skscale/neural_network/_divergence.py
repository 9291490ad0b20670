"""Recovering from a diverged fit: snapshots of the weights and the check of outputs."""

import numpy as np

from ._network import output_bound
from ._unchanged import WEIGHTS_KEPT


class DivergenceMixin:
    """Snapshots of the weights, and what to do when training diverges.

    The training loop snapshots the weights at the start of each epoch
    (``_good_snapshots`` keeps the last two). A loss that becomes NaN or
    infinite, or final weights whose outputs on the training data overflow
    (float32 overflows long before its loss does), restore the latest
    snapshot whose outputs are finite and raise ``FloatingPointError``; unlike
    other errors of ``fit`` and ``partial_fit``, which leave the estimator as it
    was before the call, this one keeps those weights (and the loss curve).
    """

    def _snapshot(self, flat):
        stats = [array.copy() for pair in self._batch_norm_stats() for array in pair]
        return flat.copy(), stats

    def _restore(self, flat, snapshot):
        np.copyto(flat, snapshot[0])
        stats = [array for pair in self._batch_norm_stats() for array in pair]
        for array, saved in zip(stats, snapshot[1]):
            np.copyto(array, saved)

    def _outputs_finite(self, X):
        """Whether the network's outputs on ``X`` are finite.

        A float64 bound of the outputs answers without a forward pass when it
        is far below the dtype's largest value; otherwise (or with batch
        normalization) the outputs are computed, a block of rows at a time.
        """
        if X.shape[0] == 0:
            return True
        dtype = self.coefs_[0].dtype
        if not self.batch_norm_gamma_:
            bound = output_bound(
                self.coefs_, self.intercepts_, self.activation, np.max(np.abs(X))
            )
            if bound < np.finfo(dtype).max / 16:
                return True
        with np.errstate(over="ignore", invalid="ignore"):
            for start in range(0, X.shape[0], 4096):
                if not np.isfinite(self._raw_output(X[start : start + 4096])).all():
                    return False
        return True

    def _diverged(self, loss, flat, X, what="training loss"):
        """Fall back on the latest epoch start whose outputs on X are finite
        (the older one if none is), then raise."""
        snapshots, self._good_snapshots = self._good_snapshots, []
        for snapshot in reversed(snapshots):
            self._restore(flat, snapshot)
            if self._outputs_finite(X):
                break
        # the optimizer's state holds the runaway gradients: the next call starts anew
        self._optimizer = None
        epoch = len(self.loss_curve_) + (what == "training loss")
        error = FloatingPointError(
            f"The {what} became {loss} at epoch {epoch}: "
            "the gradients exploded. Use a lower learning_rate_init, or clip the "
            "gradient norm with clip_norm (the course clips at 5.0). The weights of "
            "the last finite epoch were kept."
        )
        # fit and partial_fit restore their state when they raise, but not here:
        # the finite weights and the loss curve up to the divergence are kept
        setattr(error, WEIGHTS_KEPT, True)
        raise error
