"""Assembling the network: initial weights, one flat parameter vector, the layers.

The estimator stores its parameters as lists of arrays (``coefs_``,
``intercepts_`` and the batch-normalization scales and offsets). For training they
are copied into one flat vector, with the lists turned into views of it, so that
the optimizer updates every layer with a handful of array operations instead of
a Python loop over layers; the weights come first, so the L2 penalty is one slice.
"""

import numpy as np

from ._layers import BatchNorm, Dense, Dropout

_HE_ACTIVATIONS = ("relu", "leaky_relu")


def init_parameters(random_state, sizes, activation, batch_norm, dtype, n_members=1):
    """Initial weights, intercepts and batch-normalization parameters.

    Hidden layers with a ReLU-like activation get He initialization, the others
    and the output layer Glorot's, both in their uniform form; intercepts start at
    zero, batch normalization as the identity.

    ``sizes`` are one member's layer sizes. With ``n_members > 1`` the members
    sit side by side in one network: the first layer's columns are the members'
    first layers one after the other, and every later layer is block-diagonal,
    member ``m``'s block at rows ``m * n_in:(m + 1) * n_in`` and columns
    ``m * n_out:(m + 1) * n_out`` (zeros elsewhere, which the layers never
    update). Each block is initialized as a member's own layer.

    Returns
    -------
    coefs, intercepts : list of ndarray
    batch_norm_params : list of [gamma, beta], one per hidden layer if batch_norm
    batch_norm_stats : list of [running_mean, running_var], likewise
    """
    hidden = sizes[1:-1]
    coefs, intercepts = [], []
    for index, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        if index < len(hidden) and activation in _HE_ACTIVATIONS:
            bound = np.sqrt(6.0 / fan_in)  # He et al. (2015)
        else:
            bound = np.sqrt(6.0 / (fan_in + fan_out))  # Glorot and Bengio (2010)
        blocks = [
            random_state.uniform(-bound, bound, (fan_in, fan_out)).astype(dtype)
            for _ in range(n_members)
        ]
        if index == 0:
            coefs.append(np.hstack(blocks))
        else:
            coef = np.zeros((n_members * fan_in, n_members * fan_out), dtype=dtype)
            for member, block in enumerate(blocks):
                coef[_block(member, fan_in, fan_out)] = block
            coefs.append(coef)
        intercepts.append(np.zeros(n_members * fan_out, dtype=dtype))
    normalized = [n_members * n for n in hidden] if batch_norm else []
    params = [[np.ones(n, dtype=dtype), np.zeros(n, dtype=dtype)] for n in normalized]
    stats = [[np.zeros(n, dtype=dtype), np.ones(n, dtype=dtype)] for n in normalized]
    return coefs, intercepts, params, stats


def _block(member, fan_in, fan_out):
    rows = slice(member * fan_in, (member + 1) * fan_in)
    return rows, slice(member * fan_out, (member + 1) * fan_out)


def pack(arrays):
    """Copy ``arrays`` into one flat vector.

    Returns
    -------
    flat, grad : ndarray
        The parameters and a gradient vector of the same layout.
    param_views, grad_views : list of ndarray
        Views of ``flat`` and ``grad`` with the shapes of ``arrays``.
    """
    flat = np.concatenate([array.ravel() for array in arrays])
    grad = np.zeros_like(flat)
    param_views, grad_views, start = [], [], 0
    for array in arrays:
        stop = start + array.size
        param_views.append(flat[start:stop].reshape(array.shape))
        grad_views.append(grad[start:stop].reshape(array.shape))
        start = stop
    return flat, grad, param_views, grad_views


def build_layers(
    coefs,
    intercepts,
    batch_norm_params,
    batch_norm_stats,
    activation,
    dropout_rates,
    random_state,
    grads=None,
    n_members=1,
):
    """The network as a list of layers over the given arrays.

    ``grads``, when given, lists the gradient arrays in the order
    ``coefs + intercepts + batch-norm params``; without it the layers can only
    predict. With ``n_members > 1`` the layers after the first are
    block-diagonal (see :func:`init_parameters`).

    Returns
    -------
    layers : list
    activity_layers : list
        For ReLU networks, the layer that ends each hidden layer (where dead units
        show); empty otherwise.
    """
    n_layers = len(coefs)
    n_hidden = n_layers - 1
    batch_norm = bool(batch_norm_params)
    if grads is None:
        grads = [None] * (2 * n_layers + 2 * len(batch_norm_params))
    layers, activity_layers = [], []
    for index in range(n_layers):
        is_hidden = index < n_hidden
        normalized = is_hidden and batch_norm
        layers.append(
            Dense(
                coefs[index],
                intercepts[index],
                activation if is_hidden and not normalized else "identity",
                coef_grad=grads[index],
                intercept_grad=grads[n_layers + index],
                input_grad=index > 0,
                n_members=1 if index == 0 else n_members,
            )
        )
        if normalized:
            gamma, beta = batch_norm_params[index]
            first = 2 * n_layers + 2 * index
            layers.append(
                BatchNorm(
                    gamma,
                    beta,
                    *batch_norm_stats[index],
                    activation,
                    gamma_grad=grads[first],
                    beta_grad=grads[first + 1],
                )
            )
        if is_hidden:
            activity_layers.append(layers[-1])
            if dropout_rates[index] > 0:
                layers.append(Dropout(dropout_rates[index], random_state))
    return layers, activity_layers if activation == "relu" else []


def output_bound(coefs, intercepts, activation, input_bound):
    """An upper bound of ``|output|`` for inputs with ``|x| <= input_bound``.

    Each layer maps a bound ``a`` of its inputs to ``max_j(sum_i |W_ij| a +
    |b_j|)``; every activation satisfies ``|act(z)| <= |z|``, and the logistic
    is also at most 1. Computed in float64, it tells (without a forward pass)
    that a network's float32 outputs cannot overflow. Not valid with batch
    normalization, whose running variance may divide by a small number.
    """
    bound = float(input_bound)
    n_hidden = len(coefs) - 1
    with np.errstate(over="ignore", invalid="ignore"):
        for index, (coef, intercept) in enumerate(zip(coefs, intercepts)):
            column_sums = np.abs(coef).sum(axis=0, dtype=np.float64)
            bound = float(np.max(column_sums * bound + np.abs(intercept)))
            if index < n_hidden and activation == "logistic":
                bound = min(bound, 1.0)
    return bound
