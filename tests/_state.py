"""Deep snapshots of an estimator's ``__dict__``, compared value by value."""

import copy
import dataclasses

import numpy as np


def snapshot(estimator) -> dict:
    return copy.deepcopy(vars(estimator))


def differences(before, after, path="") -> list[str]:
    """Paths where two snapshots differ (arrays compared with NaN == NaN)."""
    if isinstance(before, np.random.Generator):
        same = before.bit_generator.state == after.bit_generator.state
        return [] if same else [path]
    if isinstance(before, np.ndarray) or isinstance(after, np.ndarray):
        a, b = np.asarray(before), np.asarray(after)
        equal = a.shape == b.shape and a.dtype == b.dtype
        if equal and a.dtype.kind == "O":  # e.g. ragged per-column arrays
            return differences(a.ravel().tolist(), b.ravel().tolist(), path)
        nan_equal = a.dtype.kind in "fc"
        if equal and np.array_equal(a, b, equal_nan=nan_equal):
            return []
        return [path]
    if isinstance(before, dict):
        if not isinstance(after, dict) or before.keys() != after.keys():
            return [f"{path} keys"]
        return [
            d for k in before for d in differences(before[k], after[k], f"{path}.{k}")
        ]
    if isinstance(before, list | tuple):
        if type(before) is not type(after) or len(before) != len(after):
            return [path]
        return [
            d
            for i, (a, b) in enumerate(zip(before, after))
            for d in differences(a, b, f"{path}[{i}]")
        ]
    if type(before) is not type(after):
        return [path]
    if dataclasses.is_dataclass(before) or hasattr(before, "__dict__"):
        if isinstance(before, type):
            return [] if before is after else [path]
        return differences(vars(before), vars(after), path)
    if isinstance(before, float) and np.isnan(before):
        return [] if np.isnan(after) else [path]
    return [] if before == after else [path]
