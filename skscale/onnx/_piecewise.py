"""The converter of PiecewiseLinearEncoder, from ``bin_edges_`` and ``n_bins_``."""

from __future__ import annotations

import numpy as np

from skscale.onnx._graph import Graph, set_float_output


def piecewise_output_shape(operator):
    set_float_output(operator, int(np.sum(operator.raw_operator.n_bins_)))


def convert_piecewise_linear_encoder(scope, operator, container):
    """Output column ``k`` is bin ``t`` of feature ``j``: ``(x_j - lower_k) /
    width_k``, clipped to [0, 1] except the first bin below and the last above.

    As ``transform``: a constant column's single bin has width 1; edges near
    the float limits are taken as halves (``x/2 - lower/2``, exact), where
    ``x - lower`` could overflow; the per-bin parameters are computed in
    float64 and rounded to X's dtype; NaN gives NaN in every bin of its feature.
    """
    g, model = Graph(scope, operator, container), operator.raw_operator
    edges, n_bins = model.bin_edges_, np.asarray(model.n_bins_)
    n_features, most = n_bins.size, int(n_bins.max())
    # per (feature, bin) parameters, padded to `most` bins (padding dropped below)
    lower, upper = np.zeros((n_features, most)), np.ones((n_features, most))
    low, high = np.zeros((n_features, most)), np.ones((n_features, most))
    for j, e in enumerate(edges):
        lower[j, : n_bins[j]], upper[j, : n_bins[j]] = e[:-1], e[1:]
        low[j, 0], high[j, n_bins[j] - 1] = -np.inf, np.inf
    extreme = np.array([np.max(np.abs(e[[0, -1]])) for e in edges])
    scale = np.where(extreme >= np.finfo(np.float32).max / 4, 0.5, 1.0)[:, None]
    width = upper * scale - lower * scale
    width[width == 0] = 1.0
    # X as (N, n_features, 1) broadcasts against the (n_features, most) tables:
    # no gather of each feature into its bins' columns
    X = g.op("Unsqueeze", g.X, g.const([2], np.int64))
    scaled = X if np.all(scale == 1) else g.op("Mul", X, g.const(scale))
    position = g.op("Div", g.op("Sub", scaled, g.const(lower * scale)), g.const(width))
    clipped = g.op("Min", g.op("Max", position, g.const(low)), g.const(high))
    encoded = g.keep_nan(X, clipped)
    flat = g.const([0, n_features * most], np.int64)
    if np.all(n_bins == most):
        g.op("Reshape", encoded, flat, out=g.output())
        return
    kept = (np.arange(most) < n_bins[:, None]).ravel()
    columns = g.const(np.flatnonzero(kept), np.int64)
    g.op("Gather", g.op("Reshape", encoded, flat), columns, axis=1, out=g.output())
