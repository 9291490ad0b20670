"""Converters of DropoutMLPRegressor and DropoutMLPClassifier (inference only).

Dropout is the identity at prediction time, so the graph is the dense layers:
``act(X @ coefs_[i] + intercepts_[i])`` and a linear output layer, computed in
the dtype of the weights as ``predict`` does (float32 input to a float64
network computes in float64, and the result is cast to the graph's dtype).
With ``batch_norm=True`` each hidden layer normalizes ``z = X @ coefs_[i] +
intercepts_[i]`` with its running statistics before the activation, ``(z -
mean) * gamma / sqrt(var + eps) + beta``, the scale ``gamma / sqrt(var + eps)``
folded into one constant as ``predict`` computes it.

A network is read as a list of *members*, each a list of layers; the outputs
of several members are averaged (``n_members > 1``: the members' weights are
read from the block layout that the networks' ``coefs_`` docstring gives).
"""

from __future__ import annotations

import numpy as np
from onnx import TensorProto

from skscale.neural_network._layers import BatchNorm
from skscale.onnx._graph import Graph, set_float_output

# DropoutMLP*'s leaky ReLU slope: max(z, 0.01 z), with 0.01 in the weights' dtype
_LEAKY_SLOPE = 0.01


def _members(model) -> list[list[tuple]]:
    """Each member's layers, as ``(coef, intercept, normalization)`` triples,
    from public attributes only; ``normalization`` is ``(running_mean, scale,
    beta)`` for a hidden layer of a network fitted with ``batch_norm=True``,
    None otherwise (batch normalization works column by column, so a member's
    statistics are its columns, laid out as those of ``coefs_``)."""
    # the fitted layout, not the n_members parameter (set_params may change it)
    k = model.intercepts_[-1].shape[0] // model.n_outputs_
    normalizations = [None] * len(model.coefs_)
    if model.batch_norm_gamma_ is not None:
        normalizations[:-1] = [
            (mean, gamma / np.sqrt(var + BatchNorm.eps), beta)
            for gamma, beta, mean, var in zip(
                model.batch_norm_gamma_,
                model.batch_norm_beta_,
                model.batch_norm_running_mean_,
                model.batch_norm_running_var_,
            )
        ]
    members = []
    for m in range(k):
        layers = []
        for index, (coef, intercept) in enumerate(zip(model.coefs_, model.intercepts_)):
            n_in = coef.shape[0] if index == 0 else coef.shape[0] // k
            n_out = coef.shape[1] // k
            rows = slice(None) if index == 0 else slice(m * n_in, (m + 1) * n_in)
            columns = slice(m * n_out, (m + 1) * n_out)
            norm = normalizations[index]
            norm = None if norm is None else tuple(a[columns] for a in norm)
            layers.append((coef[rows, columns], intercept[columns], norm))
        members.append(layers)
    return members


def _raw_output(g: Graph, X: str, layers, activation: str) -> str:
    """The network's output before the output function, in prediction mode."""
    output = X
    for index, (coef, intercept, normalization) in enumerate(layers):
        dtype = coef.dtype
        product = g.op("MatMul", output, g.const(coef, dtype))
        output = g.op("Add", product, g.const(intercept, dtype))
        if normalization is not None:
            mean, scale, beta = normalization
            centered = g.op("Sub", output, g.const(mean, dtype))
            scaled = g.op("Mul", centered, g.const(scale, dtype))
            output = g.op("Add", scaled, g.const(beta, dtype))
        if index == len(layers) - 1 or activation == "identity":
            continue
        if activation == "relu":
            output = g.op("Relu", output)
        elif activation == "leaky_relu":
            leak = g.op("Mul", output, g.const(_LEAKY_SLOPE, dtype))
            output = g.op("Max", output, leak)
        elif activation == "tanh":
            output = g.op("Tanh", output)
        else:  # "logistic"
            output = g.op("Sigmoid", output)
    return output


def _network_input(g: Graph, model) -> tuple[str, np.dtype]:
    dtype = model.coefs_[0].dtype
    return (g.X if dtype == g.dtype else g.cast(g.X, dtype)), dtype


def _mean(g: Graph, outputs: list[str], dtype) -> str:
    if len(outputs) == 1:
        return outputs[0]
    total = g.op("Sum", *outputs)
    return g.op("Mul", total, g.const(1.0 / len(outputs), dtype))


def regressor_output_shape(operator):
    set_float_output(operator, operator.raw_operator.n_outputs_)


def convert_regressor(scope, operator, container):
    """``predict``'s values, of shape ``(N, n_outputs_)``."""
    g, model = Graph(scope, operator, container), operator.raw_operator
    X, dtype = _network_input(g, model)
    raws = [_raw_output(g, X, layers, model.activation) for layers in _members(model)]
    output = _mean(g, raws, dtype)
    if dtype == g.dtype:
        g.op("Identity", output, out=g.output())
    else:
        g.cast(output, g.dtype, out=g.output())


def _probabilities(g: Graph, raw: str, n_classes: int, dtype) -> str:
    """``predict_proba`` from the raw output: logistic for two classes (two
    columns, ``1 - p`` and ``p``), softmax for more, ones for one class."""
    if n_classes == 1:
        return g.op("Add", g.op("Mul", raw, g.const(0.0, dtype)), g.const(1.0, dtype))
    if n_classes == 2:
        positive = g.op("Sigmoid", raw)
        negative = g.op("Sub", g.const(1.0, dtype), positive)
        return g.op("Concat", negative, positive, axis=1)
    return g.op("Softmax", raw, axis=1)


def _class_codes(g: Graph, raw: str, n_classes: int, dtype) -> str:
    """``predict``'s index into ``classes_``, of shape ``(N,)``: ``raw > 0``
    for two classes, the first largest raw output for more (``argmax``)."""
    if n_classes > 2:
        return g.op("ArgMax", raw, axis=1, keepdims=0)
    if n_classes == 2:
        codes = g.op("Greater", raw, g.const(0.0, dtype))
    else:  # one class: every row is classes_[0]
        codes = g.op("Mul", raw, g.const(0.0, dtype))
    return g.op("Squeeze", g.cast(codes, np.int64), g.const([1], np.int64))


def _labels(g: Graph, classes: np.ndarray) -> str:
    """``classes_`` as a tensor: int64 for numbers (skl2onnx's label type for
    them), strings for text; other labels have no ONNX label type."""
    if all(isinstance(c, str) for c in classes):
        values = [c.encode("utf-8") for c in classes]
        name = g.name("classes")
        g.container.add_initializer(name, TensorProto.STRING, [len(values)], values)
        return name
    if classes.dtype.kind in "iub" or (
        classes.dtype.kind == "f" and np.array_equal(classes, np.round(classes))
    ):
        return g.const(classes.astype(np.int64), np.int64)
    raise NotImplementedError(
        "skscale.onnx exports class labels that are integers (or whole floats) "
        f"or strings; got classes_={classes!r}."
    )


def convert_classifier(scope, operator, container):
    """Labels (``classes_``) and ``predict_proba``; skl2onnx adds ZipMap
    after it unless ``options={id(model): {"zipmap": False}}``. ZipMap takes
    float32 only, so with it the probabilities of a float64 graph are
    rounded to float32 (scikit-learn's own classifiers fail there)."""
    g, model = Graph(scope, operator, container), operator.raw_operator
    X, dtype = _network_input(g, model)
    n_classes = len(model.classes_)
    raws = [_raw_output(g, X, layers, model.activation) for layers in _members(model)]
    probabilities = [_probabilities(g, raw, n_classes, dtype) for raw in raws]
    probabilities = _mean(g, probabilities, dtype)
    if len(raws) == 1:
        codes = _class_codes(g, raws[0], n_classes, dtype)
    else:  # an ensemble predicts the class of the largest mean probability
        codes = g.op("ArgMax", probabilities, axis=1, keepdims=0)
    g.op("Gather", _labels(g, model.classes_), codes, out=g.output(0))
    # ZipMap takes float32 only: a float64 graph's map holds float32 values
    out_dtype = np.float32 if _zipmap(scope, model) else g.dtype
    if dtype == out_dtype:
        g.op("Identity", probabilities, out=g.output(1))
    else:
        g.cast(probabilities, out_dtype, out=g.output(1))


def _zipmap(scope, model) -> bool:
    # True: a ZipMap node (float32 only); "columns" slices the tensor instead
    options = scope.get_options(model, {"zipmap": True})
    return options["zipmap"] is True


def classifier_output_shape(operator):
    """Labels and probabilities in the input's float type; float32
    probabilities where ZipMap follows (it takes float32 only)."""
    from skl2onnx.common.data_types import FloatTensorType
    from skl2onnx.common.shape_calculator import (
        calculate_linear_classifier_output_shapes,
    )

    calculate_linear_classifier_output_shapes(operator)
    if _zipmap(operator.scope_inst, operator.raw_operator):
        shape = operator.outputs[1].type.shape
        operator.outputs[1].type = FloatTensorType(shape)
