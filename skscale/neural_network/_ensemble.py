"""Ensembles (``n_members``) and decoupled weight decay: the training loop's
helpers for both."""

import numpy as np

from ._activations import LOSSES


class EnsembleMixin:
    """Members' outputs, their loss, and weight decay.

    An ensemble's network holds its members side by side (see
    ``init_parameters``): its output has one block of ``n_outputs_`` columns
    per member, and the target is tiled once per member
    (``np.tile(Y, (1, k))``), so that each member meets it in the loss.
    """

    def _members(self, raw):
        """``raw`` of shape (n, n_members * n_outputs) as (n * n_members,
        n_outputs): member ``m``'s output for sample ``i`` in row ``i * k + m``,
        so that each member's row meets its target in the loss."""
        return raw.reshape(-1, raw.shape[1] // self._n_members_fitted())

    def _n_members_fitted(self):
        return self.intercepts_[-1].shape[0] // self.n_outputs_

    def _member_loss(self, raw, Y, sample_weight, grad):
        """Mean of the members' losses; writes their gradients into ``grad``.

        ``Y`` holds the target once per member (``np.tile(Y, (1, k))``)."""
        k = self._n_members_fitted()
        if k > 1 and sample_weight is not None:
            sample_weight = np.repeat(sample_weight, k)
        return LOSSES[self._loss_name](
            self._members(raw), self._members(Y), sample_weight, self._members(grad)
        )

    def _decay(self, coefs, params):
        """Decoupled weight decay (Loshchilov and Hutter's AdamW): shrink the
        weights after the optimizer's step instead of adding to the gradient,
        so that Adam's and Adagrad's per-coordinate scaling leaves it alone."""
        rate = self._optimizer.learning_rate
        if rate == 0:
            return
        coefs *= 1.0 - rate * self.weight_decay
        # FTRL derives its weights from its state: make the state follow
        reanchor = getattr(self._optimizer, "reanchor", None)
        if reanchor is not None:
            reanchor(params)
