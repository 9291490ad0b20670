"""Device plumbing of the Array API path: namespaces, dtypes, moving attributes.

:func:`skscale._engine._core.fit` and :func:`skscale._engine._core.transform`
run one sequence for every namespace; when ``sklearn.set_config(
array_api_dispatch=True)`` is on and X is an array of a namespace other than
NumPy (array-api-strict, torch on CPU or CUDA, CuPy), what differs is here:

- validation to the namespace's float dtypes (float64 where the device has
  it, as on NumPy) and the weights on X's device;
- after a fit, the public fitted attributes move to X's namespace and device,
  and a host copy is kept for the contract's ``_learn``/``_map``, which run
  on the host, on per-column summaries only (the chunk summary is computed
  on the device by the fit plan's ``summarize``, and merged on the host,
  where the quantile sketch lives);
- at transform, the fitted map's parameters go to X's device once per call
  and the map's function (written once, over ``xp``: :mod:`skscale._engine._map`)
  returns a new array there: input arrays are never written to, even with
  ``copy=False`` (some namespaces, e.g. JAX, have immutable arrays).

Maps that are NumPy-only by nature (``Map.array_api`` False: the encoders'
wide maps, the quantile tables) are refused with a TypeError naming the
estimator.
"""

from __future__ import annotations

import copy as _copy
from dataclasses import dataclass

import numpy as np

from skscale._compat import (
    _check_sample_weight,
    array_api_namespace,
    check_same_namespace,
    max_float_dtype,
    supported_float_dtypes,
    to_numpy,
    validate_data,
)


@dataclass(frozen=True)
class _HostCopy:
    """The fitted attributes as NumPy arrays, for ``_map`` on the host. Kept
    with the summary it was learned from: a later NumPy fit (a new summary)
    makes it stale. Not a dict, so ``move_estimator_to`` leaves it alone."""

    summary: object
    attributes: dict


def _public_arrays(estimator) -> dict:
    return {
        name: value
        for name, value in vars(estimator).items()
        if name.endswith("_") and not name.startswith("_") and _is_array(value)
    }


def _is_array(value) -> bool:
    return isinstance(value, np.ndarray) or hasattr(value, "__dlpack__")


def _host_view(estimator):
    """A shallow copy of the estimator whose fitted attributes are NumPy
    arrays: the contract's ``_map`` reads NumPy."""
    held = vars(estimator).get("_xp_host")
    if held is not None and held.summary is vars(estimator).get("_summary"):
        attributes = held.attributes
    else:
        attributes = {
            name: value if isinstance(value, np.ndarray) else to_numpy(value)
            for name, value in _public_arrays(estimator).items()
        }
    view = _copy.copy(estimator)
    vars(view).update(attributes)
    return view


def fitted_map(estimator, *, on_device: bool = False):
    """The fitted map, whatever namespace the fitted attributes live in
    (``on_device``: they may have been moved there after a NumPy fit)."""
    if not on_device and vars(estimator).get("_xp_host") is None:
        return estimator._map()
    return _host_view(estimator)._map()


def dispatched(X):
    """``(xp, device)`` when X takes the device path (``array_api_dispatch``
    on and X an array of a namespace other than NumPy), else None."""
    return array_api_namespace(X)


def check_namespace(estimator, X, inverse: bool) -> None:
    """With ``array_api_dispatch`` on, raise scikit-learn's error when X's
    namespace or device is not the fitted attributes' (move one of them:
    ``sklearn.utils._array_api.move_estimator_to`` moves a fitted estimator)."""
    from sklearn import get_config

    if check_same_namespace is None:  # pragma: no cover - older scikit-learn
        return
    if get_config()["array_api_dispatch"] and _is_array(X):
        method = "inverse_transform" if inverse else "transform"
        check_same_namespace(X, estimator, attribute="n_samples_seen_", method=method)


def refuse_numpy_only(estimator, fitted_map) -> None:
    """Raise a TypeError when the map (before fit: a probe's) has no Array
    API version."""
    if fitted_map is None or not fitted_map.array_api:
        raise TypeError(
            f"{type(estimator).__name__} runs on NumPy arrays only (its map "
            "has no Array API version: encoders gather columns, quantile "
            "maps read tables); with array_api_dispatch on, pass a NumPy "
            "array, or move X to the host first."
        )


def validate(estimator, X, sample_weight, namespace, *, reset):
    """X (and the weights) validated on X's namespace and device, in one of
    its float dtypes, and the NumPy dtype the contract learns in."""
    xp, device = namespace
    X = validate_data(
        estimator,
        X,
        reset=reset,
        dtype=supported_float_dtypes(xp, device)[:2],
        ensure_all_finite=False,
    )
    if sample_weight is not None:
        sample_weight = _check_sample_weight(
            sample_weight,
            X,
            dtype=max_float_dtype(xp, device),
            ensure_non_negative=True,
        )
    dtype = np.float32 if X.dtype == xp.float32 else np.float64
    return X, sample_weight, dtype


def to_device(estimator, summary, namespace) -> _HostCopy:
    """Move the public numeric fitted attributes to X's namespace and device;
    return their host copy (for ``_map``)."""
    xp, device = namespace
    attributes = {
        name: value
        for name, value in _public_arrays(estimator).items()
        if isinstance(value, np.ndarray) and value.dtype.kind in "biuf"
    }
    for name, value in attributes.items():
        setattr(estimator, name, xp.asarray(value, device=device))
    return _HostCopy(summary, attributes)


def on_device(xp, X, values):
    """Per-column parameters (NumPy, float64) in X's dtype on X's device."""
    return [xp.asarray(v, dtype=X.dtype, device=X.device) for v in values]
