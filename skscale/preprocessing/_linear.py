"""LinearScaler: the course's ``linear_scale``, learned on the training rows."""

from __future__ import annotations

import numpy as np

from skscale._engine._core import FitPlan, Map
from skscale._engine._map import into, put
from skscale.preprocessing._base import ColumnwiseTransformer


class LinearScaler(ColumnwiseTransformer):
    """Scale each feature linearly so that its training range maps to a range.

    With ``feature_range=(a, b)`` and the training minimum and maximum of a
    column, ``min`` and ``max``::

        X_scaled = (X - min) * (b - a) / (max - min) + a = X * scale_ + min_

    The default ``(-1, 1)`` is the crash course's ``linear_scale``:
    ``(x - min) / ((max - min) / 2) - 1``.

    Parameters
    ----------
    feature_range : tuple (low, high), default=(-1.0, 1.0)
        The range the training minimum and maximum map to; ``low < high``.
    clip : bool, default=False
        Clip transformed values of held-out data to ``feature_range``.
    copy : bool, default=True
        If False, transform a writeable float ndarray in place (and return
        it). Input that cannot be written, such as a pandas frame's values
        under copy-on-write or a read-only memory map, is transformed into
        a new array instead, as scikit-learn's scalers do.

    Attributes
    ----------
    data_min_ : ndarray of shape (n_features,)
        Per-feature minimum seen in fit, NaN ignored.
    data_max_ : ndarray of shape (n_features,)
        Per-feature maximum seen in fit, NaN ignored.
    data_range_ : ndarray of shape (n_features,)
        ``data_max_ - data_min_``.
    scale_ : ndarray of shape (n_features,)
        Per-feature multiplier.
    min_ : ndarray of shape (n_features,)
        Per-feature offset added after scaling.
    n_samples_seen_ : ndarray of shape (n_features,)
        Number (or total weight) of non-NaN values per feature seen in fit
        and the ``partial_fit`` calls since.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during fit, when X has string column names.

    See Also
    --------
    sklearn.preprocessing.MinMaxScaler : The same map; ``LinearScaler`` keeps
        float32 for polars input and names the column in its errors.

    Notes
    -----
    NaN is ignored in fit and passed through in transform; ±inf is rejected.
    A constant column maps to ``feature_range[0]``, as scikit-learn's
    ``MinMaxScaler`` does, where the course's function divides by zero. A
    column counts as constant when its range is at rounding level for its
    magnitude (``max - min <= 4 eps max(|min|, |max|)``, with ``eps`` of X's
    dtype) or so small that the scale would overflow. Such a column gets
    ``scale_ = 0`` and ``min_ = feature_range[0]``: every value maps exactly
    to ``feature_range[0]`` whatever its magnitude (``X * 2 + min_`` would
    lose it beside a ``min_`` near ``-2e16``), and ``inverse_transform``
    returns ``data_min_`` for it. The scale is computed from halves of the
    extremes, so columns near the float limits (``max - min`` overflows) stay
    finite. A ``feature_range`` whose width ``high - low`` overflows is
    refused.
    A column that is all NaN in fit has NaN statistics and stays NaN.

    ``partial_fit`` merges chunks exactly: any split of the rows learns the
    same minimum and maximum as ``fit`` on all of them. Sparse input is
    rejected, as the map moves zeros. A dask array or DataFrame is fitted in
    one ``dask.compute`` and transformed lazily, block by block.

    Examples
    --------
    >>> import numpy as np
    >>> from skscale import LinearScaler
    >>> X = np.array([[0.0, 10.0], [5.0, 20.0], [10.0, 30.0]])
    >>> LinearScaler().fit_transform(X)
    array([[-1., -1.],
           [ 0.,  0.],
           [ 1.,  1.]])
    >>> LinearScaler(feature_range=(0, 1)).fit(X).transform([[20.0, 15.0]])
    array([[2.  , 0.25]])
    """

    _parameter_constraints: dict = {
        "feature_range": [tuple],
        "clip": ["boolean"],
        "copy": ["boolean"],
    }

    def __init__(self, feature_range=(-1.0, 1.0), *, clip=False, copy=True):
        self.feature_range = feature_range
        self.clip = clip
        self.copy = copy

    def _fit_plan(self) -> FitPlan:
        low_high = self.feature_range
        if (
            len(low_high) != 2
            or not all(np.isscalar(v) and np.isfinite(v) for v in low_high)
            or not low_high[0] < low_high[1]
            or not np.isfinite(float(low_high[1]) - float(low_high[0]))
        ):
            raise ValueError(
                "feature_range must be a tuple (low, high) of finite numbers with "
                "low < high and a width high - low that float64 can hold; got "
                f"feature_range={low_high!r}."
            )
        return FitPlan(needs="extremes")

    def _learn(self, summary, quantiles, dtype) -> None:
        stats = summary.stats
        self.data_min_, self.data_max_ = stats.min, stats.max
        with np.errstate(over="ignore", invalid="ignore"):
            self.data_range_ = stats.max - stats.min
        self.scale_, self.min_ = linear_parameters(stats, self.feature_range, dtype)

    def _map(self) -> Map:
        return linear_map(
            self.scale_, self.min_, self.feature_range, self.clip, self.data_min_
        )


def _scale(xp, X, out, scale, shift):
    out = into(xp, out, xp.multiply, X, scale)
    return into(xp, out, xp.add, out, shift)


def _scale_and_clip(xp, X, out, scale, shift, low, high):
    out = _scale(xp, X, out, scale, shift)
    out = into(xp, out, xp.maximum, out, low)
    return into(xp, out, xp.minimum, out, high)


def _unscale(xp, X, out, scale, shift, constant_value):
    # A constant column (scale 0) comes back as its value; X * 0 keeps NaN,
    # and is taken before `out` (which may be X) is overwritten.
    constant = scale == 0
    back = X * 0 + constant_value if bool(xp.any(constant)) else None
    out = into(xp, out, xp.subtract, X, shift)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = into(xp, out, xp.divide, out, scale)
    return out if back is None else put(xp, out, back, constant)


def linear_map(scale, shift, feature_range=None, clip=False, data_min=None) -> Map:
    """``X * scale + shift``, clipped to ``feature_range`` if ``clip``; the
    inverse returns ``data_min`` where ``scale`` is 0 (a constant column)."""
    data_min = np.zeros_like(scale) if data_min is None else data_min
    inverse = Map(_unscale, (scale, shift, data_min))
    advice = (
        "use ZScoreScaler(with_mean=False) to scale sparse data, or convert X "
        "with X.toarray()."
    )
    if not clip:
        return Map(_scale, (scale, shift), inverse=inverse, zero_advice=advice)
    low, high = (np.full_like(scale, float(v)) for v in feature_range)
    return Map(_scale_and_clip, (scale, shift, low, high), inverse, zero_advice=advice)


def linear_parameters(stats, feature_range, dtype):
    """``(scale, shift)`` mapping each column's [min, max] to ``feature_range``.

    A range at rounding level for its magnitude, or one whose scale
    overflows, is constant: scale 0 and shift ``low``, so every value maps
    exactly to ``low`` (MinMaxScaler's policy). Halves first: ``max - min``
    overflows near the float limits.
    """
    low, high = (float(v) for v in feature_range)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        half_range = stats.max / 2 - stats.min / 2
        scale = ((high - low) / 2) / half_range
        magnitude = np.fmax(np.abs(stats.min), np.abs(stats.max))
    finfo = np.finfo(dtype)
    constant = (half_range <= 2 * finfo.eps * magnitude) | ~(
        np.abs(scale) < finfo.max / 4
    )
    constant &= ~np.isnan(stats.min)
    scale = np.where(constant, 0.0, scale)
    with np.errstate(over="ignore", invalid="ignore"):
        return scale, np.where(constant, low, low - stats.min * scale)
