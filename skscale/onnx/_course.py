"""Converters of the course's five transformers, from their public attributes.

Each mirrors ``transform`` for the input's dtype: the fitted parameters are
float64 and ``transform`` rounds them to X's dtype before the arithmetic, so
the initializers are rounded the same way (``Graph.const``) and the nodes do
the same IEEE operations in the same order.
"""

from __future__ import annotations

import numpy as np

from skscale.onnx._graph import Graph

# LogTransformer adds offsets beyond this as halves (x/2 + offset/2, then +
# log 2), where x + offset could overflow float32
_HUGE_OFFSET = np.finfo(np.float32).max * 2.0**-26


def convert_linear_scaler(scope, operator, container):
    """``X * scale_ + min_``, then clipped to ``feature_range`` with ``clip``."""
    g, model = Graph(scope, operator, container), operator.raw_operator
    if not model.clip:
        scaled = g.op("Mul", g.X, g.const(model.scale_))
        g.op("Add", scaled, g.const(model.min_), out=g.output())
        return
    scaled = g.op("Add", g.op("Mul", g.X, g.const(model.scale_)), g.const(model.min_))
    low, high = (np.full_like(model.scale_, float(v)) for v in model.feature_range)
    clipped = g.op("Min", g.op("Max", scaled, g.const(low)), g.const(high))
    g.keep_nan(g.X, clipped, out=g.output())


def convert_zscore_scaler(scope, operator, container):
    """``(X - mean_) * (1 / scale_)``: ``transform`` multiplies by the
    reciprocal, computed in float64 and then rounded to X's dtype."""
    g, model = Graph(scope, operator, container), operator.raw_operator
    shift = model.mean_ if model.with_mean else np.zeros_like(model.mean_)
    centered = g.op("Sub", g.X, g.const(shift))
    g.op("Mul", centered, g.const(1.0 / model.scale_), out=g.output())


def convert_log_transformer(scope, operator, container):
    """``log(X + offset_)``.

    ``transform`` raises where ``X + offset_ <= 0``; ONNX has no such check,
    so the graph returns what the logarithm gives there: NaN below the domain
    and ``-inf`` at its edge. Validate the input before the graph where that
    matters.
    """
    g, model = Graph(scope, operator, container), operator.raw_operator
    log_offset(g, g.X, model.offset_, out=g.output())


def log_offset(g: Graph, X: str, offset: np.ndarray, out: str | None = None) -> str:
    """``log(X + offset)`` in ``g.dtype``, as LogTransformer computes it:
    ``log1p(X)`` where the offset is 1, halves where it is near the float
    limits."""
    huge, unit = offset > _HUGE_OFFSET, offset == 1
    if unit.all():
        return log1p(g, X, out=out)
    if not huge.any():
        if not unit.any():
            return g.op("Log", g.op("Add", X, g.const(offset)), out=out)
        plain = g.op("Log", g.op("Add", X, g.const(offset)))
        return g.op("Where", g.const(unit, np.bool_), log1p(g, X), plain, out=out)
    # halves where the offset is near the float limits (exact: a power of 2)
    half = np.where(huge, 0.5, 1.0)
    shifted = g.op(
        "Add",
        g.op("Mul", X, g.const(half)),
        g.const(offset.astype(g.dtype) * half.astype(g.dtype)),
    )
    return g.op(
        "Add", g.op("Log", shifted), g.const(np.where(huge, np.log(2), 0.0)), out=out
    )


def log1p(g: Graph, X: str, out: str | None = None) -> str:
    """``log(1 + X)`` keeping the digits of X near 0, which ONNX has no node
    for: ``log(u) * X / (u - 1)`` with ``u = 1 + X`` rounded, ``X`` where
    ``u`` is 1 (Goldberg's correction, within a few ulps of ``np.log1p``;
    Higham, "Accuracy and Stability of Numerical Algorithms", 1.14.1)."""
    u = g.op("Add", X, g.const(1.0))
    ratio = g.op("Div", X, g.op("Sub", u, g.const(1.0)))
    corrected = g.op("Mul", g.op("Log", u), ratio)
    return g.op("Where", g.op("Equal", u, g.const(1.0)), X, corrected, out=out)


def convert_clipper(scope, operator, container):
    """``min(max(X, lower_), upper_)``, NaN kept."""
    g, model = Graph(scope, operator, container), operator.raw_operator
    raised = g.op("Max", g.X, g.const(model.lower_))
    clipped = g.op("Min", raised, g.const(model.upper_))
    g.keep_nan(g.X, clipped, out=g.output())


def convert_binary_thresholder(scope, operator, container):
    """``1.0 if X > threshold_ else 0.0``, NaN kept (a NaN threshold gives 0)."""
    g, model = Graph(scope, operator, container), operator.raw_operator
    above = g.cast(g.op("Greater", g.X, g.const(model.threshold_)), g.dtype)
    g.keep_nan(g.X, above, out=g.output())
