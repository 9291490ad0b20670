"""The layers of the network: ``Dense``, ``Dropout`` and ``BatchNorm``.

Each layer has ``forward(X, *, training)`` and ``backward(grad)`` and exposes
``params`` and ``grads``, two aligned lists of arrays that the optimizer updates;
the layers never allocate their parameters, they are handed views so that the
estimator can keep all of them in one flat vector.

In training mode a layer writes into buffers it keeps between mini-batches (they
grow to the largest batch seen), and remembers what ``backward`` needs. In
prediction mode it allocates its output and remembers nothing, so predicting
never changes the estimator.

``backward`` receives the gradient of the loss with respect to the layer's output,
may overwrite it, fills ``grads`` and returns the gradient with respect to its
input.
"""

import numpy as np

from ._activations import ACTIVATIONS, DERIVATIVES


class _Buffers:
    """Row buffers reused across mini-batches: ``buf[:n]`` is a contiguous view."""

    def _rows(self, name, n_rows, n_columns, dtype):
        buffer = self.__dict__.get(name)
        if (
            buffer is None
            or buffer.shape[0] < n_rows
            or buffer.shape[1] != n_columns
            or buffer.dtype != dtype
        ):
            buffer = np.empty((n_rows, n_columns), dtype=dtype)
            setattr(self, name, buffer)
        return buffer[:n_rows]


class Dense(_Buffers):
    """Fully connected layer followed by an activation: ``act(X @ coef + intercept)``.

    Parameters
    ----------
    coef : ndarray of shape (n_inputs, n_units)
    intercept : ndarray of shape (n_units,)
    activation : str, default="identity"
        A key of ``ACTIVATIONS``.
    coef_grad, intercept_grad : ndarray, default=None
        Where ``backward`` writes the gradients; None for a prediction-only layer.
    input_grad : bool, default=True
        Whether ``backward`` returns the gradient with respect to the input. The
        first layer does not need it, which saves one matrix product per batch.
    n_members : int, default=1
        With more than one, ``coef`` is block-diagonal: the inputs and units
        of an ensemble's members side by side, each member's block connecting
        its own inputs to its own units. The layer then multiplies each block
        alone (views of the blocks, no copies), which costs ``n_members`` times
        less than the whole matrix, and the gradient outside the blocks stays
        zero, so the members train independently.
    """

    def __init__(
        self,
        coef,
        intercept,
        activation="identity",
        *,
        coef_grad=None,
        intercept_grad=None,
        input_grad=True,
        n_members=1,
    ):
        self.coef = coef
        self.n_members = n_members
        self.intercept = intercept
        self.activation = activation
        self.params = [coef, intercept]
        self.grads = [coef_grad, intercept_grad]
        self.input_grad = input_grad
        self._activation = ACTIVATIONS[activation]
        self._derivative = None if activation == "identity" else DERIVATIVES[activation]
        self._n_rows = None

    def _prepare(self, n_rows, dtype):
        # views for this batch size, made once rather than at every batch
        n_inputs, n_units = self.coef.shape
        self._n_rows = (n_rows, dtype)
        self._output = self._rows("_output_buffer", n_rows, n_units, dtype)
        self._scratch = self._rows("_scratch_buffer", n_rows, n_units, bool)
        self._input_grad = self._rows("_input_grad_buffer", n_rows, n_inputs, dtype)

    def forward(self, X, *, training):
        if not training:
            output = np.empty((X.shape[0], self.coef.shape[1]), dtype=X.dtype)
            self._matmul(X, self.coef, output)
            output += self.intercept
            return self._activation(output)
        if self._n_rows != (X.shape[0], X.dtype):
            self._prepare(X.shape[0], X.dtype)
        output = self._output
        self._matmul(X, self.coef, output)
        output += self.intercept
        self._activation(output)
        self._input = X
        return output

    def backward(self, grad):
        if self._derivative is not None:
            self._derivative(self._output, grad, self._scratch)
        if self.n_members == 1:
            np.matmul(self._input.T, grad, out=self.grads[0])
        else:
            np.matmul(
                _members(self._input, self.n_members).transpose(0, 2, 1),
                _members(grad, self.n_members),
                out=_diagonal_blocks(self.grads[0], self.n_members),
            )
        np.add.reduce(grad, axis=0, out=self.grads[1])
        if not self.input_grad:
            return None
        self._matmul(grad, self.coef.T, self._input_grad)
        return self._input_grad

    def _matmul(self, A, coef, out):
        """``out = A @ coef``, block by block for an ensemble's hidden layers."""
        if self.n_members == 1:
            return np.matmul(A, coef, out=out)
        k = self.n_members
        return np.matmul(
            _members(A, k), _diagonal_blocks(coef, k), out=_members(out, k)
        )


def _members(A, n_members):
    """(n_rows, k * width) as the (k, n_rows, width) view of each member's columns."""
    return A.reshape(A.shape[0], n_members, -1).transpose(1, 0, 2)


def _diagonal_blocks(matrix, n_members):
    """The (k, rows, columns) view of the diagonal blocks of a block-diagonal
    matrix; each 2-D block has unit stride along its rows, which BLAS takes."""
    rows, columns = matrix.shape[0] // n_members, matrix.shape[1] // n_members
    row_stride, column_stride = matrix.strides
    block_stride = rows * row_stride + columns * column_stride
    return np.lib.stride_tricks.as_strided(
        matrix,
        shape=(n_members, rows, columns),
        strides=(block_stride, row_stride, column_stride),
        writeable=matrix.flags.writeable,
    )


class Dropout(_Buffers):
    """Inverted dropout: zero each unit with probability ``rate`` while training.

    The kept units are scaled by ``1 / (1 - rate)`` so that the expected output
    equals the input, and the layer is the identity at prediction time. The mask
    is drawn from ``random_state`` (a ``numpy.random.Generator``) and reused by
    ``backward``; the last one is kept in ``mask``.

    The mask compares 16 random bits per unit with ``round(rate * 2**16)``, several
    times faster than drawing floats, so the rate applied is rounded to a multiple
    of ``2**-16`` (and the scale uses that rounded rate).

    Parameters
    ----------
    rate : float in [0, 1)
    random_state : numpy.random.Generator
    """

    params = ()
    grads = ()

    def __init__(self, rate, random_state):
        self.rate = rate
        self.random_state = random_state
        self.mask = None
        self._shape = None
        self._threshold = np.uint16(min(round(rate * 2**16), 2**16 - 1))
        self._scale = 1.0 / (1.0 - int(self._threshold) / 2**16)

    def forward(self, X, *, training):
        if not training or self._threshold == 0:
            return X
        if self._shape != (X.shape, X.dtype):
            self._shape = (X.shape, X.dtype)
            self.mask = self._rows("_mask_buffer", *X.shape, X.dtype)
            self._keep = self._rows("_keep_buffer", *X.shape, bool)
            self._output = self._rows("_output_buffer", *X.shape, X.dtype)
        n_words = -(-X.size // 4)  # four 16-bit draws per 64-bit word
        bits = self.random_state.bit_generator.random_raw(n_words).view(np.uint16)
        np.greater_equal(
            bits[: X.size].reshape(X.shape), self._threshold, out=self._keep
        )
        np.multiply(self._keep, self._scale, out=self.mask)
        return np.multiply(X, self.mask, out=self._output)

    def backward(self, grad):
        if self._threshold == 0:
            return grad
        grad *= self.mask
        return grad


class BatchNorm(_Buffers):
    """Batch normalization followed by an activation (Ioffe and Szegedy, 2015).

    ``x_hat = (z - mean_batch) / sqrt(var_batch + eps)``, ``y = act(gamma * x_hat
    + beta)``. Training uses the batch's statistics and updates the running ones,
    ``running <- (1 - m) * running + m * batch`` with ``m = 0.1``; prediction uses
    the running ones. The statistics are not weighted by ``sample_weight``.

    Parameters
    ----------
    gamma, beta : ndarray of shape (n_units,)
    running_mean, running_var : ndarray of shape (n_units,)
        Updated in place while training.
    activation : str, default="identity"
    gamma_grad, beta_grad : ndarray of shape (n_units,), default=None
    """

    eps = 1e-5
    update_rate = 0.1

    def __init__(
        self,
        gamma,
        beta,
        running_mean,
        running_var,
        activation="identity",
        *,
        gamma_grad=None,
        beta_grad=None,
    ):
        self.gamma = gamma
        self.beta = beta
        self.running_mean = running_mean
        self.running_var = running_var
        self.activation = activation
        self.params = [gamma, beta]
        self.grads = [gamma_grad, beta_grad]

    def forward(self, X, *, training):
        activation = ACTIVATIONS[self.activation]
        if not training:
            scale = self.gamma / np.sqrt(self.running_var + self.eps)
            output = (X - self.running_mean) * scale
            output += self.beta
            return activation(output)
        mean = X.mean(axis=0)
        var = X.var(axis=0)
        self._inv_std = 1.0 / np.sqrt(var + self.eps)
        self._x_hat = (X - mean) * self._inv_std
        output = self._rows("_output", *X.shape, X.dtype)
        np.multiply(self._x_hat, self.gamma, out=output)
        output += self.beta
        activation(output)
        self._output = output
        self.running_mean *= 1 - self.update_rate
        self.running_mean += self.update_rate * mean
        self.running_var *= 1 - self.update_rate
        self.running_var += self.update_rate * var
        return output

    def backward(self, grad):
        n_rows = grad.shape[0]
        if self.activation != "identity":
            scratch = self._rows("_scratch", *grad.shape, bool)
            DERIVATIVES[self.activation](self._output, grad, scratch)
        x_hat = self._x_hat
        np.sum(grad * x_hat, axis=0, out=self.grads[0])
        np.sum(grad, axis=0, out=self.grads[1])
        grad_x_hat = grad * self.gamma
        # d/dz of the normalization, with the batch mean and variance depending on z
        input_grad = n_rows * grad_x_hat
        input_grad -= grad_x_hat.sum(axis=0)
        input_grad -= x_hat * (grad_x_hat * x_hat).sum(axis=0)
        input_grad *= self._inv_std / n_rows
        return input_grad
