"""Every private scikit-learn import lives here: an upstream rename touches one file."""

import numpy as np
from sklearn.base import _fit_context
from sklearn.utils._array_api import (
    _is_numpy_namespace,
    _max_precision_float_dtype,
    get_namespace_and_device,
    supported_float_dtypes,
)
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import (
    _check_feature_names_in,
    _check_sample_weight,
    check_is_fitted,
    validate_data,
)

try:  # the Array API path (skscale._engine._xp_engine) is tested with scikit-learn 1.9
    from sklearn.utils._array_api import (
        check_same_namespace,
        move_estimator_to,
        move_to,
    )
except ImportError:  # pragma: no cover - older scikit-learn: NumPy only
    check_same_namespace = move_estimator_to = move_to = None

__all__ = [
    "array_api_namespace",
    "check_same_namespace",
    "max_float_dtype",
    "move_estimator_to",
    "move_to",
    "supported_float_dtypes",
    "to_numpy",
    "Interval",
    "StrOptions",
    "_check_feature_names_in",
    "_check_sample_weight",
    "_fit_context",
    "check_is_fitted",
    "validate_data",
]


def array_api_namespace(X):
    """``(xp, device)`` of X when scikit-learn's ``array_api_dispatch`` is on
    and X is an array of a namespace other than NumPy; else None."""
    from sklearn import get_config

    if not get_config()["array_api_dispatch"]:
        return None
    if move_to is None:  # scikit-learn < 1.9 (1.6 has no vendored array_api_compat)
        if not hasattr(X, "__array_namespace__") or isinstance(X, np.ndarray):
            return None
        raise ImportError(
            "skscale fits Array API arrays with scikit-learn >= 1.9 (it needs "
            "sklearn.utils._array_api.move_to); upgrade scikit-learn or pass "
            "NumPy arrays."
        )
    from sklearn.externals.array_api_compat import is_array_api_obj

    if not is_array_api_obj(X):
        return None
    if type(X).__module__.split(".")[0] in ("numpy", "dask", "scipy"):
        return None
    xp, _, device = get_namespace_and_device(X)
    return None if _is_numpy_namespace(xp) else (xp, device)


def max_float_dtype(xp, device):
    """The widest float dtype of ``xp`` on ``device`` (float64 where it has one)."""
    return _max_precision_float_dtype(xp, device)


def to_numpy(array):
    """An Array API array as a NumPy array on the host (an explicit transfer)."""
    return move_to(array, xp=np, device="cpu")
