"""LogTransformer: the course's ``log_normalize`` with a fixed or learned offset."""

from __future__ import annotations

from numbers import Real

import numpy as np

from skscale._compat import StrOptions
from skscale._engine._core import FitPlan, Map
from skscale._engine._map import into, put
from skscale._engine._validation import feature_names_or_default, per_feature
from skscale.preprocessing._base import ColumnwiseTransformer

_KEEP_ZERO_ADVICE = (
    "log(0 + offset) is nonzero unless offset is 1; use offset=1 (the course's "
    "log(x + 1)), or convert X with X.toarray()."
)


_DOMAIN_MESSAGE = (
    "Negative values in data passed to {estimator}: X + offset_ <= 0 in "
    "column(s) {columns}, where the logarithm is undefined. Use offset='auto' "
    "to learn a shift from the training data, or a larger offset."
)


class LogTransformer(ColumnwiseTransformer):
    """Take the logarithm of each feature after adding an offset.

    ::

        X_log = log(X + offset_)

    The default ``offset=1.0`` is the crash course's ``log_normalize``,
    ``log(x + 1)``. With ``offset="auto"`` the offset is learned per column as
    ``offset_ = 1 - min(0, min(X))``: non-negative columns keep the course's
    ``log(x + 1)`` and a column with negative values is shifted so that its
    training minimum maps to ``log(1) = 0``. Where ``offset_`` is 1 the map
    is ``np.log1p`` and its inverse ``np.expm1``, which keep the digits of
    values near 0 that ``X + 1`` would round away.

    Parameters
    ----------
    offset : float, array-like of shape (n_features,) or "auto", default=1.0
        The number added before the logarithm, one for all columns, one per
        column, or ``"auto"`` to learn it.
    copy : bool, default=True
        If False, transform a writeable float ndarray in place (and return
        it). Input that cannot be written, such as a pandas frame's values
        under copy-on-write or a read-only memory map, is transformed into
        a new array instead, as scikit-learn's scalers do.

    Attributes
    ----------
    offset_ : ndarray of shape (n_features,)
        The offset added to each column.
    n_samples_seen_ : ndarray of shape (n_features,)
        Number (or total weight) of non-NaN values per feature seen in fit
        and the ``partial_fit`` calls since.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during fit, when X has string column names.

    See Also
    --------
    sklearn.preprocessing.FunctionTransformer : ``FunctionTransformer(np.log1p)``
        is the ``offset=1`` map, without the domain check.

    Notes
    -----
    The logarithm is only defined where ``X + offset_ > 0``. Where that fails,
    in fit or in transform, a ``ValueError`` ("Negative values in data ...")
    names the columns and counts the values, instead of the course's silent
    NaN (its ``log(x + 1)`` on California's negative longitudes). With a fixed
    offset the estimator declares scikit-learn's ``positive_only`` input tag;
    with ``"auto"`` any finite training data is accepted, though held-out data
    below the training minimum by more than the learned offset is rejected.

    NaN is ignored in fit and passed through in transform; ±inf is rejected.
    A constant column is transformed like any other (``log`` of a constant is
    finite). A column that is all NaN in fit gets the offset 1 under ``"auto"``.
    A fixed offset must be finite. Under ``"auto"``, a column reaching the
    dtype's most negative value has no finite offset with ``X + offset > 0``:
    fit raises a ``ValueError`` naming it.

    ``partial_fit`` merges chunks exactly (the learned offset depends on the
    minimum only). With an offset of 1 (or a learned one that comes out 1),
    CSR/CSC input is transformed and stays sparse, as ``log(0 + 1) = 0``. A
    dask array or DataFrame is fitted in one ``dask.compute`` and transformed
    lazily, block by block.

    Examples
    --------
    >>> import numpy as np
    >>> from skscale import LogTransformer
    >>> X = np.array([[0.0, -3.0], [np.e - 1, 0.0]])
    >>> LogTransformer(offset="auto").fit(X).offset_
    array([1., 4.])
    >>> LogTransformer().fit_transform(X[:, :1])
    array([[0.],
           [1.]])
    """

    _parameter_constraints: dict = {
        "offset": [Real, "array-like", StrOptions({"auto"})],
        "copy": ["boolean"],
    }

    def __init__(self, offset=1.0, *, copy=True):
        self.offset = offset
        self.copy = copy

    def _fit_plan(self) -> FitPlan:
        values = np.asarray(0.0 if isinstance(self.offset, str) else self.offset)
        if values.dtype.kind in "fc" and not np.all(np.isfinite(values)):
            raise ValueError(
                f"offset must be finite (or 'auto'); got offset={self.offset!r}."
            )
        return FitPlan(needs="extremes")

    def _learn(self, summary, quantiles, dtype) -> None:
        if not isinstance(self.offset, str):
            self.offset_ = per_feature(self.offset, len(summary.stats.min), "offset")
            return
        col_min = np.nan_to_num(summary.stats.min, nan=0.0)
        offset = (1.0 - np.fmin(0.0, col_min)).astype(dtype)
        # Beyond 2**53 (or 2**24 in float32) 1 - min rounds to -min, and
        # min + offset to 0: step the offset up to the next float instead.
        rounded = col_min.astype(dtype) + offset <= 0
        with np.errstate(over="ignore"):
            offset[rounded] = np.nextafter(-col_min[rounded].astype(dtype), np.inf)
        infinite = np.flatnonzero(~np.isfinite(offset))
        if infinite.size:  # a minimum of -max float: no finite offset exists
            names = feature_names_or_default(self, len(offset))
            listed = ", ".join(
                f"{names[j]!r} (minimum {col_min[j]:.17g})" for j in infinite[:10]
            )
            raise ValueError(
                f"LogTransformer(offset='auto') cannot shift column(s) {listed}: "
                "no finite offset makes X + offset > 0 at the largest negative "
                f"{np.dtype(offset.dtype).name}. Divide such columns by a large "
                "power of ten first, or clip them."
            )
        self.offset_ = offset.astype(np.float64)

    def _map(self) -> Map:
        return log_map(self.offset_)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.positive_only = not isinstance(self.offset, str)
        return tags


def _log(xp, X, out, offset, half, shift):
    # half is 1/2 and shift log(2) only where the offset is near the float
    # limits: X + offset would overflow there, X/2 + offset/2 cannot.
    out = into(xp, out, xp.multiply, X, half)
    out = into(xp, out, xp.add, out, offset * half)
    out = into(xp, out, xp.log, out)
    return into(xp, out, xp.add, out, shift)


def _plain_log(xp, X, out, offset):
    out = into(xp, out, xp.add, X, offset)
    return into(xp, out, xp.log, out)


def _exp(xp, X, out, offset):
    out = into(xp, out, xp.exp, X)
    return into(xp, out, xp.subtract, out, offset)


# An offset of exactly 1 is log1p: X + 1 would round away the digits of X
# near 0 (1e-17 + 1 == 1), and exp(Y) - 1 those of the round trip.
def _log1p(xp, X, out, offset):
    return into(xp, out, xp.log1p, X)


def _expm1(xp, X, out, offset):
    return into(xp, out, xp.expm1, X)


def _log_or_log1p(xp, X, out, offset, unit):
    """``log(X + offset)``, and ``log1p(X)`` where ``unit`` (offset 1)."""
    with np.errstate(invalid="ignore", divide="ignore"):  # lanes not kept
        near_zero = xp.log1p(X)  # before out, which may be X, is written
    out = _plain_log(xp, X, out, offset)
    return put(xp, out, near_zero, unit != 0)


def _exp_or_expm1(xp, X, out, offset, unit):
    with np.errstate(over="ignore"):  # lanes not kept
        near_zero = xp.expm1(X)
    out = _exp(xp, X, out, offset)
    return put(xp, out, near_zero, unit != 0)


def log_map(offset) -> Map:
    """``log(X + offset)``, defined where ``X + offset > 0`` (``log1p`` where
    the offset is 1)."""
    domain = dict(
        domain_offset=offset,
        domain_message=_DOMAIN_MESSAGE,
        zero_advice=_KEEP_ZERO_ADVICE,
    )
    huge = offset > np.finfo(np.float32).max * 2.0**-26
    unit = offset == 1
    if unit.all():
        return Map(_log1p, (offset,), inverse=Map(_expm1, (offset,)), **domain)
    if unit.any() and not huge.any():
        params = (offset, unit.astype(np.float64))
        inverse = Map(_exp_or_expm1, params)
        return Map(_log_or_log1p, params, inverse=inverse, **domain)
    inverse = Map(_exp, (offset,))
    if not huge.any():
        return Map(_plain_log, (offset,), inverse=inverse, **domain)
    half = np.where(huge, 0.5, 1.0)
    shift = np.where(huge, np.log(2), 0.0)
    return Map(_log, (offset, half, shift), inverse=inverse, **domain)
