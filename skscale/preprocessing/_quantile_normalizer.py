"""QuantileNormalizer: each feature through its empirical CDF, to a normal/uniform."""

from __future__ import annotations

from numbers import Integral

import numpy as np
from scipy.special import ndtr, ndtri
from sklearn.utils import check_array

from skscale._base import FLOAT_DTYPES, ColumnwiseTransformer
from skscale._compat import Interval, StrOptions, _fit_context, check_is_fitted

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
    the mergeable quantile sketch (:class:`skscale._sketch.QuantileSketch`),
    whose rank error is at most ``(1 + log2(number of chunks)) / 2048`` of the
    column's weight, plus one row. ``sample_weight`` weights the quantiles as
    everywhere in skscale (integer weights equal repeated rows).

    Unlike scikit-learn, ``n_quantiles`` is not lowered to the number of rows
    (``partial_fit`` does not know it in advance): with fewer rows, the knots
    interpolate between the sorted values, a CDF within a rank of
    scikit-learn's. Repeated values map to the middle of their CDF step
    (scikit-learn's two-way interpolation). Values beyond the training range
    map to the ends: 0 and 1, or ``±5.199`` for the normal, never ±inf.
    NaN passes through; ±inf is rejected; sparse input is refused (0 does
    not map to 0). A column all NaN in fit gives NaN. The output has X's float
    dtype.

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

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None, sample_weight=None):
        """Learn each column's quantiles, exactly.

        Parameters
        ----------
        X : {array-like, DataFrame, dask collection} of shape \
                (n_samples, n_features)
            Training data; NaN is ignored.
        y : None
            Ignored.
        sample_weight : array-like of shape (n_samples,), default=None
            Row weights of the quantiles: integer weights equal repeated rows.

        Returns
        -------
        self : QuantileNormalizer
            The fitted normalizer.
        """
        return self._fit_chunks(X, sample_weight, reset=True)

    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y=None, sample_weight=None):
        """Update the quantiles with a chunk of rows, through a quantile sketch.

        Parameters
        ----------
        X : {array-like, DataFrame, dask collection} of shape \
                (n_samples, n_features)
            A chunk of training data; NaN is ignored.
        y : None
            Ignored.
        sample_weight : array-like of shape (n_samples,), default=None
            Row weights of the quantiles.

        Returns
        -------
        self : QuantileNormalizer
            The updated normalizer.
        """
        return self._fit_chunks(X, sample_weight, reset=False)

    # ----------------------------------------------------------- learning
    def _references(self) -> np.ndarray:
        return np.linspace(0.0, 1.0, self.n_quantiles)

    def _percents(self):
        return self._references() * 100

    def _stat_needs(self) -> str:
        return "extremes"

    def _set_learned(self, stats, quantiles, dtype) -> None:
        self.n_quantiles_ = self.n_quantiles
        self.references_ = self._references()
        # as scikit-learn: rounding must not make the CDF decrease
        self.quantiles_ = np.maximum.accumulate(quantiles, axis=0)

    # ---------------------------------------------------------- transform
    def transform(self, X):
        """Map X through each column's CDF to the output distribution.

        Parameters
        ----------
        X : {array-like, DataFrame, dask collection} of shape \
                (n_samples, n_features)
            Data to transform; NaN passes through.

        Returns
        -------
        X_new : ndarray of shape (n_samples, n_features)
            Transformed data, in X's float dtype.
        """
        return self._checked_transform(X)

    def _transform(self, X: np.ndarray, out: np.ndarray, columns=None) -> np.ndarray:
        for j in range(X.shape[1]):
            out[:, j] = self._to_output(self._cdf(X[:, j], self.quantiles_[:, j]))
        return out

    def _cdf(self, x: np.ndarray, quantiles: np.ndarray) -> np.ndarray:
        """The piecewise-linear CDF at x. Where quantiles repeat, it is
        averaged over both directions of the interpolation so that a run of
        equal quantiles maps to its middle (elsewhere both directions agree,
        up to rounding, and one is computed)."""
        x = x.astype(np.float64)
        references = self.references_
        with np.errstate(invalid="ignore"):
            u = np.interp(x, quantiles, references)
            if not np.all(quantiles[1:] > quantiles[:-1]):
                # a run of equal quantiles: the middle of its step, not its end
                u -= np.interp(-x, -quantiles[::-1], -references[::-1])
                u *= 0.5
            if self.output_distribution == "normal":
                at_low = x - BOUNDS_THRESHOLD < quantiles[0]
                at_high = x + BOUNDS_THRESHOLD > quantiles[-1]
            else:
                at_low, at_high = x == quantiles[0], x == quantiles[-1]
        u[at_high] = 1.0
        u[at_low] = 0.0
        return u

    def _to_output(self, u: np.ndarray) -> np.ndarray:
        """Uniform values to the output distribution, finite at 0 and 1."""
        if self.output_distribution == "uniform":
            return u
        # ndtri and ndtr are scipy.stats.norm's ppf and cdf, without the
        # argument handling that costs more than the functions themselves
        low = ndtri(BOUNDS_THRESHOLD - np.spacing(1))
        high = ndtri(1 - (BOUNDS_THRESHOLD - np.spacing(1)))
        return np.clip(ndtri(u), low, high)

    def inverse_transform(self, X):
        """Map transformed data back through each column's quantile function.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Data in the output distribution; NaN passes through.

        Returns
        -------
        X_original : ndarray of shape (n_samples, n_features)
            Data on the features' scale, in X's float dtype. Outputs clipped
            at the ends map back to the training minimum or maximum.
        """
        check_is_fitted(self)
        X = check_array(
            X, dtype=FLOAT_DTYPES, ensure_all_finite="allow-nan", copy=self.copy
        )
        if X.shape[1] != self.n_features_in_:
            raise ValueError(
                f"X has {X.shape[1]} features, but {type(self).__name__} is "
                f"expecting {self.n_features_in_} features as input."
            )
        if not X.flags.writeable:
            X = X.copy()
        for j in range(X.shape[1]):
            X[:, j] = self._quantile_function(X[:, j], self.quantiles_[:, j])
        return X

    def _quantile_function(self, y: np.ndarray, quantiles: np.ndarray) -> np.ndarray:
        """The inverse of :meth:`_cdf` after :meth:`_to_output`."""
        u = y.astype(np.float64)
        with np.errstate(invalid="ignore"):
            if self.output_distribution == "normal":
                u = ndtr(u)
                at_low, at_high = u - BOUNDS_THRESHOLD < 0, u + BOUNDS_THRESHOLD > 1
            else:
                at_low, at_high = u == 0, u == 1
        x = np.interp(u, self.references_, quantiles)
        x[at_high] = quantiles[-1]
        x[at_low] = quantiles[0]
        return x
