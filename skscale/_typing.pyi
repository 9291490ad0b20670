# Types shared by the public stubs (skscale/__init__.pyi and its subpackages).
# This module exists only for type checkers: nothing imports it at run time.
#
# Why stubs rather than annotations in the modules: the estimators' fit is
# wrapped by scikit-learn's untyped ``_fit_context``, their bases come from
# scikit-learn, which ships no types, and the engine behind them moves; the
# stubs state the public surface once, and tests/test_typing.py holds them to
# the runtime signatures, ``_parameter_constraints`` and documented attributes.
from typing import Any, Literal, TypeAlias

import numpy as np
from numpy.typing import NDArray
from typing_extensions import Self

# What fit and transform accept: arrays, pandas and polars frames, scipy.sparse
# matrices, Dask collections, Array API arrays (torch, CuPy): not expressible
# without importing every one of those packages' types.
InputData: TypeAlias = Any
# What transform returns: an ndarray by default; a pandas or polars frame
# through set_output, a sparse matrix for sparse input, a Dask collection for
# Dask input, an Array API array for one. The ndarray is named so that
# ``transform(X).shape`` and numpy calls type-check; narrow with
# ``isinstance`` or ``typing.cast`` for the other containers.
Transformed: TypeAlias = NDArray[np.floating[Any]] | Any
# A per-column parameter: one number for every column, or one per column.
PerColumn: TypeAlias = (
    float | NDArray[np.floating[Any]] | list[float] | tuple[float, ...]
)
# scikit-learn's metadata-routing request values: True, False, None, an alias.
RequestValue: TypeAlias = bool | str | None

class BaseEstimator:
    def get_params(self, deep: bool = True) -> dict[str, Any]: ...
    def set_params(self, **params: Any) -> Self: ...
    def get_metadata_routing(self) -> Any: ...

class ColumnwiseTransformer(BaseEstimator):
    n_features_in_: int
    feature_names_in_: NDArray[np.object_]
    n_samples_seen_: NDArray[np.int64]
    def fit(
        self, X: InputData, y: None = None, sample_weight: Any | None = None
    ) -> Self: ...
    def partial_fit(
        self, X: InputData, y: None = None, sample_weight: Any | None = None
    ) -> Self: ...
    def transform(self, X: InputData) -> Transformed: ...
    def fit_transform(
        self, X: InputData, y: None = None, **fit_params: Any
    ) -> Transformed: ...
    def inverse_transform(self, X: InputData) -> Transformed: ...
    def get_feature_names_out(
        self, input_features: Any | None = None
    ) -> NDArray[np.object_]: ...
    def set_output(
        self, *, transform: Literal["default", "pandas", "polars"] | None = None
    ) -> Self: ...
    def set_fit_request(self, *, sample_weight: RequestValue = ...) -> Self: ...
    def set_partial_fit_request(self, *, sample_weight: RequestValue = ...) -> Self: ...
