"""Converters for scikit-learn estimators that skscale's pipelines use and
skl2onnx does not convert (registered only while skl2onnx has none).

``RBFSampler``: the demo's best model encodes the location with random
Fourier features (``skscale._cli.training.course_location_encoder``).
"""

from __future__ import annotations

import numpy as np

from skscale.onnx._graph import Graph, set_float_output


def rbf_sampler_output_shape(operator):
    set_float_output(operator, operator.raw_operator.n_components)


def convert_rbf_sampler(scope, operator, container):
    """``cos(X @ random_weights_ + random_offset_) * sqrt(2 / n_components)``,
    in the dtype NumPy gives X times the weights (float32 weights are kept
    from a float32 fit), then the graph's."""
    g, model = Graph(scope, operator, container), operator.raw_operator
    weights, offset = model.random_weights_, model.random_offset_
    dtype = np.result_type(g.dtype, weights.dtype)
    X = g.X if dtype == g.dtype else g.cast(g.X, dtype)
    projection = g.op(
        "Add", g.op("MatMul", X, g.const(weights, dtype)), g.const(offset, dtype)
    )
    scale = g.const((2.0 / model.n_components) ** 0.5, dtype)
    features = g.op("Mul", g.op("Cos", projection), scale)
    if dtype == g.dtype:
        g.op("Identity", features, out=g.output())
    else:
        g.cast(features, g.dtype, out=g.output())
