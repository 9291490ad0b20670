"""Validation of the networks' parameters and inputs."""

from numbers import Integral

import numpy as np
from sklearn.utils import check_random_state

from .._compat import validate_data
from .._engine._input import describe_non_numeric_column, numeric_input

_FLOATS = (np.float64, np.float32)

# marks a call without a target (prediction), as y=None must still be rejected
NO_TARGET = "no_target"


def hidden_sizes(hidden_layer_sizes):
    """``hidden_layer_sizes`` as a list of positive ints (empty: no hidden layer)."""
    sizes = np.atleast_1d(np.asarray(hidden_layer_sizes))
    if sizes.size == 0:
        return []  # a linear (or logistic) model
    if sizes.ndim != 1 or not np.issubdtype(sizes.dtype, np.integer) or sizes.min() < 1:
        raise ValueError(
            "hidden_layer_sizes must be a positive integer or a sequence of "
            f"positive integers, got {hidden_layer_sizes!r}."
        )
    return [int(size) for size in sizes]


def dropout_rates(dropout, n_hidden):
    """One dropout rate per hidden layer, each in [0, 1)."""
    rates = np.atleast_1d(np.asarray(dropout, dtype=float))
    if rates.ndim != 1 or (rates.size != 1 and rates.size != n_hidden):
        raise ValueError(
            f"dropout must be a rate or one rate per hidden layer ({n_hidden}), "
            f"got {dropout!r}."
        )
    if np.any(rates >= 1.0) or np.any(rates < 0.0) or np.any(np.isnan(rates)):
        raise ValueError(
            f"dropout must be in [0, 1), got {dropout!r}: a rate of 1.0 drops every "
            "unit, so the model would learn nothing, and a rate is a probability. "
            "Use 0.0 for no dropout; values such as 0.1-0.5 are the useful ones."
        )
    return np.broadcast_to(rates, (n_hidden,)).tolist()


def validated(estimator, X, y=NO_TARGET, *, reset, **target_options):
    """Validate ``X`` (and ``y``, unless ``NO_TARGET``) into finite float arrays.

    Errors name the offending columns: non-numeric ones, and those holding NaN
    or infinity (a network cannot skip missing values, unlike skscale's
    transformers). float32 stays float32, other numbers become float64.
    """
    # Dates, LazyFrames, pd.NA in object columns: as the transformers do.
    X = numeric_input(estimator, X)
    arrays = (X,) if isinstance(y, str) and y == NO_TARGET else (X, y)
    try:
        result = validate_data(
            estimator, *arrays, reset=reset, dtype=_FLOATS, ensure_all_finite=False,
            **target_options,
        )  # fmt: skip
    except (ValueError, TypeError) as exc:
        described = describe_non_numeric_column(X)
        if described is None:
            raise
        name = type(estimator).__name__
        raise type(exc)(f"{exc}. In {name}: {described}.") from exc
    reject_non_finite(estimator, result if len(arrays) == 1 else result[0])
    return result


def reject_non_finite(estimator, X):
    """Raise a ValueError naming the columns of ``X`` that hold NaN or ±inf."""
    if X.size == 0 or np.isfinite(X).all():
        return
    names = getattr(estimator, "feature_names_in_", None)
    if names is None or len(names) != X.shape[1]:
        names = [f"x{j}" for j in range(X.shape[1])]
    problems = []
    for label, test in [("NaN", np.isnan), ("infinity", np.isinf)]:
        columns = np.flatnonzero(test(X).any(axis=0))
        if columns.size:
            listed = ", ".join(repr(str(names[j])) for j in columns[:10])
            problems.append(f"{label} in column(s) {listed}")
    raise ValueError(
        f"Input X contains {' and '.join(problems)} passed to "
        f"{type(estimator).__name__}; the network needs finite numbers: impute "
        "missing values (for example with sklearn.impute.SimpleImputer) and "
        "replace infinite ones first."
    )


def generator(random_state):
    """A numpy Generator from scikit-learn's random_state convention."""
    if random_state is None or isinstance(random_state, Integral):
        return np.random.default_rng(random_state)
    seed = check_random_state(random_state).randint(np.iinfo(np.int32).max)
    return np.random.default_rng(seed)
