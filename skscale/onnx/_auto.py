"""The converter of AutoScaler: its per-column chains, from ``steps_``.

``steps_`` lists the steps in the order they apply, each with the columns it
applies to and its map, whose ``params`` hold one value per column. As in
``transform``, each step maps every column with its parameters (rounded to
X's dtype) and keeps the result on its own columns only.
"""

from __future__ import annotations

import numpy as np

from skscale.onnx._course import log_offset
from skscale.onnx._graph import Graph


def _log(g, X, offset):
    return log_offset(g, X, np.asarray(offset))


def _clip(g, X, lower, upper):
    return g.op("Min", g.op("Max", X, g.const(lower)), g.const(upper))


def _linear(g, X, scale, shift):
    return g.op("Add", g.op("Mul", X, g.const(scale)), g.const(shift))


def _zscore(g, X, shift, inverse_scale):
    return g.op("Mul", g.op("Sub", X, g.const(shift)), g.const(inverse_scale))


# step name (as in steps_) -> how many of its map's params it reads, and the
# graph of the map (the log's map may carry two more, for huge offsets only)
_STEPS = {
    "log": (1, _log),
    "clip": (2, _clip),
    "linear": (2, _linear),
    "zscore": (2, _zscore),
}


def convert_auto_scaler(scope, operator, container):
    """Each step of ``steps_`` on its columns, in order; NaN kept."""
    g, model = Graph(scope, operator, container), operator.raw_operator
    current = g.X
    for step_name, columns, step in model.steps_:
        if step_name not in _STEPS:
            raise NotImplementedError(
                f"skscale.onnx cannot convert AutoScaler's step {step_name!r} "
                f"(known steps: {sorted(_STEPS)})."
            )
        n_params, graph_of = _STEPS[step_name]
        mapped = graph_of(g, current, *step.params[:n_params])
        mask = np.zeros(model.n_features_in_, dtype=bool)
        mask[columns] = True
        current = g.op("Where", g.const(mask, np.bool_), mapped, current)
    g.keep_nan(g.X, current, out=g.output())
