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
    starts = np.cumsum(n_bins) - n_bins
    lower = np.concatenate([e[:-1] for e in edges])
    upper = np.concatenate([e[1:] for e in edges])
    extreme = np.array([np.max(np.abs(e[[0, -1]])) for e in edges])
    scale = np.where(extreme >= np.finfo(np.float32).max / 4, 0.5, 1.0).repeat(n_bins)
    width = upper * scale - lower * scale
    width[width == 0] = 1.0
    low, high = np.zeros(width.size), np.ones(width.size)
    low[starts], high[starts + n_bins - 1] = -np.inf, np.inf
    source = np.repeat(np.arange(n_bins.size), n_bins)
    X = g.op("Gather", g.X, g.const(source, np.int64), axis=1)
    scaled = X if np.all(scale == 1) else g.op("Mul", X, g.const(scale))
    position = g.op("Div", g.op("Sub", scaled, g.const(lower * scale)), g.const(width))
    clipped = g.op("Min", g.op("Max", position, g.const(low)), g.const(high))
    g.keep_nan(X, clipped, out=g.output())
