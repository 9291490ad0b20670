"""The converter of QuantileNormalizer: ``np.interp`` and the normal's inverse
CDF as ONNX nodes, in float64 whatever the input's dtype (as ``transform``).

ONNX has no ``searchsorted``: each value finds its knot by a binary search of
``log2(n_quantiles)`` steps, each a ``Gather`` from the flattened table of
quantiles. ONNX has no inverse normal CDF either (and onnxruntime no float64
``Erf``): it is Wichura's algorithm AS 241, accurate to about 1e-16.
"""

from __future__ import annotations

import numpy as np
from scipy.special import ndtri

from skscale.onnx._graph import Graph

# QuantileNormalizer's margin before the inverse CDF (scikit-learn's); the
# clipping bounds below are computed as transform computes them
_BOUNDS_THRESHOLD = 1e-7

# Wichura (1988), AS 241 PPND16: numerator and denominator coefficients, the
# highest power first, for |p - 0.5| <= 0.425 (in r = 0.180625 - q^2) and for
# the tail with sqrt(-log(min(p, 1 - p))) <= 5 (in r - 1.6)
_CENTRAL = (
    (2.5090809287301226727e3, 3.3430575583588128105e4, 6.7265770927008700853e4,
     4.5921953931549871457e4, 1.3731693765509461125e4, 1.9715909503065514427e3,
     1.3314166789178437745e2, 3.3871328727963666080e0),
    (5.2264952788528545610e3, 2.8729085735721942674e4, 3.9307895800092710610e4,
     2.1213794301586595867e4, 5.3941960214247511077e3, 6.8718700749205790830e2,
     4.2313330701600911252e1, 1.0),
)  # fmt: skip
_TAIL = (
    (7.74545014278341407640e-4, 2.27238449892691845833e-2, 2.41780725177450611770e-1,
     1.27045825245236838258e0, 3.64784832476320460504e0, 5.76949722146069140550e0,
     4.63033784615654529590e0, 1.42343711074968357734e0),
    (1.05075007164441684324e-9, 5.47593808499534494600e-4, 1.51986665636164571966e-2,
     1.48103976427480074590e-1, 6.89767334985100004550e-1, 1.67638483018380384940e0,
     2.05319162663775882187e0, 1.0),
)  # fmt: skip
# p is kept in [_P_MIN, 1 - _P_MIN] before the inverse CDF: its result there
# (about -6.36) is already beyond the clipping bound, and the tail branch
# stays within sqrt(-log p) <= 5, where AS 241's third branch is not needed
_P_MIN = 1e-10


def convert_quantile_normalizer(scope, operator, container):
    """The piecewise-linear CDF of each column, then (``"normal"``) the
    normal's inverse CDF, clipped at about ±5.2, as ``transform``."""
    g, model = Graph(scope, operator, container), operator.raw_operator
    f64 = np.float64
    quantiles, references = model.quantiles_, model.references_
    x = g.X if g.dtype == f64 else g.cast(g.X, f64)
    u = interp(g, x, quantiles, references)
    repeated = ~np.all(quantiles[1:] > quantiles[:-1], axis=0)
    if repeated.any():
        # a run of equal quantiles maps to the middle of its step
        backward = interp(g, g.op("Neg", x), -quantiles[::-1], -references[::-1])
        middle = g.op("Mul", g.op("Sub", u, backward), g.const(0.5, f64))
        u = g.op("Where", g.const(repeated, np.bool_), middle, u)
    first, last = g.const(quantiles[0], f64), g.const(quantiles[-1], f64)
    if model.output_distribution == "normal":
        margin = g.const(_BOUNDS_THRESHOLD, f64)
        at_low = g.op("Less", g.op("Sub", x, margin), first)
        at_high = g.op("Greater", g.op("Add", x, margin), last)
    else:
        at_low, at_high = g.op("Equal", x, first), g.op("Equal", x, last)
    u = g.op("Where", at_high, g.const(1.0, f64), u)
    u = g.op("Where", at_low, g.const(0.0, f64), u)
    if model.output_distribution == "normal":
        p = g.op("Min", g.op("Max", u, g.const(_P_MIN, f64)), g.const(1 - _P_MIN, f64))
        margin_p = _BOUNDS_THRESHOLD - np.spacing(1)
        low, high = g.const(ndtri(margin_p), f64), g.const(ndtri(1 - margin_p), f64)
        u = g.op("Min", g.op("Max", normal_quantile(g, p), low), high)
    result = u if g.dtype == f64 else g.cast(u, g.dtype)
    g.keep_nan(g.X, result, out=g.output())


def interp(g: Graph, x: str, xp: np.ndarray, fp: np.ndarray) -> str:
    """``np.interp(x[:, j], xp[:, j], fp)`` for every column ``j`` at once.

    ``xp`` is non-decreasing down each column. As NumPy, the knot ``k`` of a
    value is the last with ``xp[k] <= x``, and the value is ``fp[k] + slope_k
    (x - xp[k])`` with ``slope_k`` 0 past the last knot; below the first, it
    is ``fp[0]``.
    """
    f64, i64 = np.float64, np.int64
    n_knots, n_features = xp.shape
    table = np.broadcast_to(np.asarray(fp, dtype=f64)[:, None], xp.shape)
    with np.errstate(divide="ignore", invalid="ignore"):
        slopes = (table[1:] - table[:-1]) / (xp[1:] - xp[:-1])
    # a repeated knot is never a value's knot (a later one is): its slope is unused
    slopes = np.where(np.isfinite(slopes), slopes, 0.0)
    slopes = np.vstack([slopes, np.zeros(n_features)])
    # the binary search runs over a power-of-two table padded with +inf knots
    size = 1 << int(np.ceil(np.log2(n_knots)))
    padded = np.vstack([xp, np.full((size - n_knots, n_features), np.inf)])
    knots = g.const(padded.ravel(), f64)
    # the search moves the flat index knot * n_features + column directly
    flat = g.const(np.arange(n_features), i64)
    step = size // 2
    while step:
        candidate = g.op("Add", flat, g.const(step * n_features, i64))
        below = g.op("LessOrEqual", g.op("Gather", knots, candidate), x)
        flat = g.op("Where", below, candidate, flat)
        step //= 2
    start = g.op("Gather", knots, flat)
    slope = g.op("Gather", g.const(slopes.ravel(), f64), flat)
    value = g.op("Gather", g.const(table.ravel(), f64), flat)
    inside = g.op("Add", g.op("Mul", slope, g.op("Sub", x, start)), value)
    before = g.op("Less", x, g.const(xp[0], f64))
    return g.op("Where", before, g.const(table[0], f64), inside)


def _horner(g: Graph, r: str, coefficients) -> str:
    total = g.const(coefficients[0], np.float64)
    for coefficient in coefficients[1:]:
        total = g.op("Add", g.op("Mul", total, r), g.const(coefficient, np.float64))
    return total


def normal_quantile(g: Graph, p: str) -> str:
    """The standard normal's inverse CDF at ``p`` in ``[1e-10, 1 - 1e-10]``
    (AS 241, its two branches that range needs), in float64."""
    f64 = np.float64
    q = g.op("Sub", p, g.const(0.5, f64))
    r = g.op("Sub", g.const(0.180625, f64), g.op("Mul", q, q))
    numerator, denominator = (_horner(g, r, c) for c in _CENTRAL)
    central = g.op("Div", g.op("Mul", numerator, q), denominator)
    below = g.op("LessOrEqual", q, g.const(0.0, f64))
    tail_p = g.op("Where", below, p, g.op("Sub", g.const(1.0, f64), p))
    r = g.op("Sqrt", g.op("Neg", g.op("Log", tail_p)))
    r = g.op("Sub", r, g.const(1.6, f64))
    numerator, denominator = (_horner(g, r, c) for c in _TAIL)
    tail = g.op("Div", numerator, denominator)
    tail = g.op("Where", g.op("Less", q, g.const(0.0, f64)), g.op("Neg", tail), tail)
    near_half = g.op("LessOrEqual", g.op("Abs", q), g.const(0.425, f64))
    return g.op("Where", near_half, central, tail)
