"""A small builder over skl2onnx's scope and container, shared by the converters.

A converter sees one operator: its input variable (float, double or an integer
tensor), its output variables, and the fitted estimator. :class:`Graph` names
the intermediate results, turns NumPy arrays into initializers and adds nodes,
so that a converter reads as the NumPy code of ``transform`` it mirrors.
"""

from __future__ import annotations

import numpy as np
from onnx import TensorProto, numpy_helper
from skl2onnx.common.data_types import DoubleTensorType, FloatTensorType

# the ONNX element type of each NumPy dtype the converters emit
_ONNX_TYPES = {
    np.dtype(np.float32): TensorProto.FLOAT,
    np.dtype(np.float64): TensorProto.DOUBLE,
    np.dtype(np.int64): TensorProto.INT64,
    np.dtype(np.bool_): TensorProto.BOOL,
}


def float_dtype(operator) -> np.dtype:
    """The dtype ``transform`` gives for the operator's input: float32 stays
    float32, anything else (float64, integers, a mix) computes in float64."""
    if all(isinstance(v.type, FloatTensorType) for v in operator.inputs):
        return np.dtype(np.float32)
    return np.dtype(np.float64)


def tensor_type(dtype):
    """skl2onnx's tensor type class for a float dtype."""
    return FloatTensorType if np.dtype(dtype) == np.float32 else DoubleTensorType


def set_float_output(operator, n_columns: int) -> None:
    """Shape calculator body: ``(N, n_columns)`` in the input's float type."""
    n_rows = operator.inputs[0].get_first_dimension()
    dtype = float_dtype(operator)
    operator.outputs[0].type = tensor_type(dtype)([n_rows, n_columns])


class Graph:
    """Nodes and constants of one operator, in the dtype ``transform`` uses.

    ``X`` is the operator's input, cast to ``dtype`` (float32 stays float32,
    other inputs become float64, as in ``transform``); several inputs (a
    DataFrame's columns) are concatenated in order. ``const`` adds an
    initializer in ``dtype`` unless told otherwise, ``op`` adds a node and
    returns the name of its output.
    """

    def __init__(self, scope, operator, container):
        self.scope, self.operator, self.container = scope, operator, container
        self.dtype = float_dtype(operator)
        # a DataFrame gives one input per column: X is their concatenation
        columns = [
            v.full_name
            if isinstance(v.type, tensor_type(self.dtype))
            else self.cast(v.full_name, self.dtype)
            for v in operator.inputs
        ]
        self.X = (
            columns[0] if len(columns) == 1 else self.op("Concat", *columns, axis=1)
        )

    def name(self, hint: str) -> str:
        return self.scope.get_unique_variable_name(hint)

    def const(self, value, dtype=None) -> str:
        """An initializer holding ``value`` (rounded to ``dtype``, by default
        the graph's, as ``transform`` rounds its parameters)."""
        array = np.ascontiguousarray(value, dtype=dtype or self.dtype)
        name = self.name("c")
        tensor = numpy_helper.from_array(array)
        self.container.add_initializer(
            name, _ONNX_TYPES[array.dtype], list(array.shape), tensor
        )
        return name

    def op(self, op_type: str, *inputs: str, out: str | None = None, **attrs) -> str:
        output = out or self.name(op_type.lower())
        self.container.add_node(
            op_type,
            list(inputs),
            [output],
            name=self.scope.get_unique_operator_name(op_type),
            **attrs,
        )
        return output

    def cast(self, name: str, dtype, out: str | None = None) -> str:
        return self.op("Cast", name, out=out, to=_ONNX_TYPES[np.dtype(dtype)])

    def keep_nan(self, source: str, result: str, out: str | None = None) -> str:
        """``result`` where ``source`` is not NaN, NaN (``source``) where it is:
        the NaN pass-through of ``transform``, whatever Max/Min do with NaN."""
        return self.op("Where", self.op("IsNaN", source), source, result, out=out)

    def output(self, index: int = 0) -> str:
        return self.operator.outputs[index].full_name
