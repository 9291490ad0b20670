"""QuantileNormalizer: each feature through its empirical CDF, to a normal/uniform."""

from __future__ import annotations

from numbers import Integral

import numpy as np
from scipy.special import ndtr, ndtri

from skscale._compat import Interval, StrOptions
from skscale._engine._core import FitPlan, Map
from skscale.preprocessing._base import ColumnwiseTransformer

# scikit-learn's QuantileTransformer keeps the uniform values this far from 0
# and 1 before the normal's inverse CDF, so the output is finite (about ±5.2).
BOUNDS_THRESHOLD = 1e-7


class QuantileNormalizer(ColumnwiseTransformer):
    """Map each feature through its empirical CDF to a normal or uniform.

    The ``n_quantiles`` quantiles of each column, at the evenly spaced
    levels ``references_ = linspace(0, 1, n_quantiles)``, define a
    piecewise-linear CDF; ``transform`` evaluates it (the uniform output)
    and, with ``output_distribution="normal"``, applies the standard
    normal's inverse CDF. This is scikit-learn's ``QuantileTransformer`` with
    exact or sketched quantiles instead of a 10,000-row subsample, sample
    weights, ``partial_fit`` and Dask input, and it equals it where both
    are exact (``n_quantiles <= n_samples <= subsample``).

    Parameters
    ----------
    n_quantiles : int, default=1000
        Number of quantiles (CDF knots) per column.
    output_distribution : {"normal", "uniform"}, default="normal"
        Distribution of the output. The default is the normal, the input
        Gorishniy et al. (2021) feed their MLPs (scikit-learn's default is
        uniform).
    copy : bool, default=True
        If False, transform a writeable float ndarray in place.

    Attributes
    ----------
    quantiles_ : ndarray of shape (n_quantiles, n_features)
        The quantiles of each column at ``references_``, made non-decreasing.
    references_ : ndarray of shape (n_quantiles,)
        The quantile levels, from 0 to 1.
    n_quantiles_ : int
        Number of quantiles used (``n_quantiles``).
    n_samples_seen_ : ndarray of shape (n_features,)
        Number (or total weight) of non-NaN values per feature seen in fit
        and the ``partial_fit`` calls since.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during fit, when X has string column names.

    See Also
    --------
    sklearn.preprocessing.QuantileTransformer : The subsampled original.
    PiecewiseLinearEncoder : The quantiles as bins, one column per bin.

    Notes
    -----
    ``fit`` learns exact quantiles (``np.percentile``'s linear
    interpolation); ``partial_fit`` and a fit on Dask input learn them from
    the mergeable quantile sketch (:class:`skscale._engine._sketch.QuantileSketch`),
    whose rank error is at most ``(1 + log2(number of chunks)) / 2048`` of the
    column's weight, plus one row. ``sample_weight`` weights the quantiles as
    everywhere in skscale (integer weights equal repeated rows).

    Unlike scikit-learn, ``n_quantiles`` is not lowered to the number of rows
    (``partial_fit`` does not know it in advance): with fewer rows, the knots
    interpolate between the sorted values, a CDF within a rank of
    scikit-learn's. Repeated values map to the middle of their CDF step
    (scikit-learn's two-way interpolation). Values beyond the training range
    map to the ends: 0 and 1, or ``±5.199`` for the normal, never ±inf.
    Between knots that are subnormally close (0 and ``5e-311``) the CDF is
    interpolated without overflow, where scikit-learn's gives NaN or inf.
    NaN passes through; ±inf is rejected; sparse input is refused (0 does
    not map to 0). A column all NaN in fit gives NaN. The output has X's float
    dtype. NumPy only: with scikit-learn's ``array_api_dispatch`` on, torch,
    CuPy or array-api-strict input is refused with a ``TypeError`` (the tag
    ``array_api_support`` is False); move X to the host first.

    References
    ----------
    Y. Gorishniy, I. Rubachev, V. Khrulkov and A. Babenko, "Revisiting Deep
    Learning Models for Tabular Data", NeurIPS 2021.

    Examples
    --------
    >>> import numpy as np
    >>> from skscale import QuantileNormalizer
    >>> X = np.array([[1.0], [2.0], [3.0], [10.0], [100.0]])
    >>> normalizer = QuantileNormalizer(n_quantiles=5, output_distribution="uniform")
    >>> normalizer.fit_transform(X).ravel()
    array([0.  , 0.25, 0.5 , 0.75, 1.  ])
    >>> normalizer.inverse_transform([[0.25], [0.875]]).ravel()
    array([ 2., 55.])
    """

    _parameter_constraints: dict = {
        "n_quantiles": [Interval(Integral, 2, None, closed="left")],
        "output_distribution": [StrOptions({"normal", "uniform"})],
        "copy": ["boolean"],
    }

    def __init__(self, n_quantiles=1000, *, output_distribution="normal", copy=True):
        self.n_quantiles = n_quantiles
        self.output_distribution = output_distribution
        self.copy = copy

    def _fit_plan(self) -> FitPlan:
        percents = tuple(np.linspace(0.0, 1.0, self.n_quantiles) * 100)
        return FitPlan(needs="extremes", percents=percents)

    def _learn(self, summary, quantiles, dtype) -> None:
        self.n_quantiles_ = self.n_quantiles
        self.references_ = np.linspace(0.0, 1.0, self.n_quantiles)
        # as scikit-learn: rounding must not make the CDF decrease
        self.quantiles_ = np.maximum.accumulate(quantiles, axis=0)

    def _map(self) -> Map:
        normal = self.output_distribution == "normal"
        inverse = Map(_quantile_function, (self.quantiles_,))
        if normal:
            inverse = Map(_normal_quantile_function, (self.quantiles_,))
        function = _normal_cdf if normal else _uniform_cdf
        return Map(function, (self.quantiles_,), inverse=inverse)


def _cdf(x, quantiles, at_low, at_high):
    """The piecewise-linear CDF at x. Where quantiles repeat, it is averaged
    over both directions of the interpolation so that a run of equal
    quantiles maps to its middle (elsewhere both directions agree, up to
    rounding, and one is computed)."""
    references = np.linspace(0.0, 1.0, quantiles.size)
    with np.errstate(invalid="ignore"):
        u = _interp(x, quantiles, references)
        if not np.all(quantiles[1:] > quantiles[:-1]):
            # a run of equal quantiles: the middle of its step, not its end
            u -= _interp(-x, -quantiles[::-1], -references[::-1])
            u *= 0.5
    u[at_high] = 1.0
    u[at_low] = 0.0
    return u


def _interp(x, knots, values):
    """``np.interp(x, knots, values)`` for monotone ``values`` in [-1, 1],
    also between knots whose gap is subnormal: np.interp's slope
    ``(values step) / gap`` overflows there and gives inf or NaN. Those
    points are interpolated as ``step * ((x - left knot) / gap)``, whose
    subnormal differences are exact."""
    u = np.interp(x, knots, values)
    gaps = np.diff(knots)
    if not np.any((gaps > 0) & (gaps < np.finfo(np.float64).tiny)):
        return u
    redo = np.flatnonzero(~np.isfinite(u) & ~np.isnan(x))
    left = np.clip(np.searchsorted(knots, x[redo], side="right") - 1, 0, gaps.size - 1)
    fraction = (x[redo] - knots[left]) / gaps[left]
    u[redo] = values[left] + fraction * (values[left + 1] - values[left])
    return u


def _uniform_cdf(xp, X, out, quantiles):
    for j in range(X.shape[1]):
        x, q = X[:, j].astype(np.float64), quantiles[:, j]
        out[:, j] = _cdf(x, q, x == q[0], x == q[-1])
    return out


def _normal_cdf(xp, X, out, quantiles):
    # ndtri and ndtr are scipy.stats.norm's ppf and cdf, without the argument
    # handling that costs more than the functions themselves
    low = ndtri(BOUNDS_THRESHOLD - np.spacing(1))
    high = ndtri(1 - (BOUNDS_THRESHOLD - np.spacing(1)))
    for j in range(X.shape[1]):
        x, q = X[:, j].astype(np.float64), quantiles[:, j]
        with np.errstate(invalid="ignore"):
            at_low, at_high = x - BOUNDS_THRESHOLD < q[0], x + BOUNDS_THRESHOLD > q[-1]
        u = _cdf(x, q, at_low, at_high)
        out[:, j] = np.clip(ndtri(u), low, high)
    return out


def _quantile_function(xp, X, out, quantiles, normal=False):
    """The inverse of the CDF (after the normal's, with ``normal``)."""
    references = np.linspace(0.0, 1.0, quantiles.shape[0])
    for j in range(X.shape[1]):
        u, q = X[:, j].astype(np.float64), quantiles[:, j]
        with np.errstate(invalid="ignore"):
            if normal:
                u = ndtr(u)
                at_low, at_high = u - BOUNDS_THRESHOLD < 0, u + BOUNDS_THRESHOLD > 1
            else:
                at_low, at_high = u == 0, u == 1
        x = np.interp(u, references, q)
        x[at_high] = q[-1]
        x[at_low] = q[0]
        out[:, j] = x
    return out


def _normal_quantile_function(xp, X, out, quantiles):
    return _quantile_function(xp, X, out, quantiles, normal=True)
