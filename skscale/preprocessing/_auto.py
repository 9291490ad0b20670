"""AutoScaler: choose log, clip or scaling per column from the training data."""

from __future__ import annotations

from numbers import Real

import numpy as np

from skscale._base import (
    ColumnwiseTransformer,
    reject_infinite,
    unchanged_on_error,
)
from skscale._compat import Interval, StrOptions, _fit_context, check_is_fitted
from skscale._stats import column_extremes
from skscale.preprocessing._auto_profile import FENCE_IQR_MULTIPLIER, ColumnProfile
from skscale.preprocessing._clip import Clipper
from skscale.preprocessing._linear import LinearScaler
from skscale.preprocessing._log import LogTransformer
from skscale.preprocessing._zscore import ZScoreScaler

_SCALERS = {"linear": LinearScaler, "zscore": ZScoreScaler}


class AutoScaler(ColumnwiseTransformer):
    """Choose each column's normalization from its training distribution.

    At ``fit`` every column is inspected once (all columns at once) and gets
    one strategy, tried in this order:

    1. ``"passthrough"``: binary columns (two distinct values) and columns
       with no values are left as they are;
    2. ``"log+<scaler>"``: non-negative columns whose skewness exceeds
       ``skew_threshold`` get ``log(x + 1)`` (the course's ``log_normalize``),
       then the scaler;
    3. ``"clip+<scaler>"``: columns where more than ``outlier_threshold`` of
       the values lie beyond the quartiles -/+ 3 IQR are clipped at their
       ``quantile_range`` percentiles, then scaled;
    4. ``"<scaler>"``: every other column (constant ones included) is scaled,

    where ``<scaler>`` is ``"linear"`` (:class:`LinearScaler`, to [-1, 1]) or
    ``"zscore"`` (:class:`ZScoreScaler`). These are the choices the crash
    course's Task 3 makes by looking at histograms.

    Parameters
    ----------
    skew_threshold : float, default=1.0
        Skewness above which a non-negative column is log-transformed; ``>= 0``.
    outlier_threshold : float, default=0.01
        Share of values beyond the quartiles -/+ 3 IQR above which a column is
        clipped; in ``[0, 1]``.
    quantile_range : tuple (p, q), default=(1.0, 99.0)
        Percentiles at which clipped columns are clipped,
        ``0 <= p < q <= 100``.
    scaler : {"linear", "zscore"}, default="linear"
        The scaling applied last to every column that is not passed through.
    copy : bool, default=True
        If False, transform a writeable float ndarray in place (and return
        it). Input that cannot be written, such as a pandas frame's values
        under copy-on-write or a read-only memory map, is transformed into
        a new array instead, as scikit-learn's scalers do.

    Attributes
    ----------
    strategies_ : list of str
        One strategy per input column, in column order, e.g. ``"log+linear"``.
    reasons_ : list of str
        Why each column got its strategy, one short sentence per column.
    skewness_ : ndarray of shape (n_features,)
        Biased sample skewness of each column (0 for a constant column).
    outlier_share_ : ndarray of shape (n_features,)
        Share of each column's values beyond the quartiles -/+ 3 IQR.
    steps_ : list of (str, ndarray, list)
        One entry per strategy used: the strategy, the column indices it
        applies to and the fitted transformers applied to them in order.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during fit, when X has string column names.

    See Also
    --------
    sklearn.preprocessing.PowerTransformer : A learned power transform of
        every column, rather than a choice among simple ones.
    sklearn.preprocessing.RobustScaler : Scaling by quartiles, robust to
        outliers without clipping them.

    Notes
    -----
    NaN is ignored in fit and passed through in transform; ±inf is rejected.
    A constant column is scaled (to -1 by ``"linear"``, to 0 by
    ``"zscore"``). Held-out values of a log column below -1 have no
    logarithm: transform raises an error naming the column. Clipping loses
    information, so there is no ``inverse_transform``.

    Examples
    --------
    >>> import numpy as np
    >>> from skscale import AutoScaler
    >>> rng = np.random.default_rng(0)
    >>> X = np.column_stack([
    ...     rng.lognormal(sigma=1.5, size=500),      # skewed counts
    ...     rng.uniform(-3, 3, size=500),            # nothing special
    ...     rng.integers(0, 2, size=500),            # binary
    ...     rng.standard_t(df=1, size=500),          # heavy tails
    ... ])
    >>> scaler = AutoScaler().fit(X)
    >>> scaler.strategies_
    ['log+linear', 'linear', 'passthrough', 'clip+linear']
    >>> scaler.report()[["skewness", "outlier_share", "strategy"]].round(2)
        skewness  outlier_share     strategy
    x0      8.24           0.05   log+linear
    x1     -0.04           0.00       linear
    x2     -0.06           0.00  passthrough
    x3    -17.58           0.08  clip+linear
    >>> scaler.reasons_[0]
    'non-negative and right-skewed (skewness 8.24 > 1)'
    """

    _parameter_constraints: dict = {
        "skew_threshold": [Interval(Real, 0, None, closed="left")],
        "outlier_threshold": [Interval(Real, 0, 1, closed="both")],
        "quantile_range": [tuple],
        "scaler": [StrOptions(set(_SCALERS))],
        "copy": ["boolean"],
    }

    def __init__(
        self,
        *,
        skew_threshold=1.0,
        outlier_threshold=0.01,
        quantile_range=(1.0, 99.0),
        scaler="linear",
        copy=True,
    ):
        self.skew_threshold = skew_threshold
        self.outlier_threshold = outlier_threshold
        self.quantile_range = quantile_range
        self.scaler = scaler
        self.copy = copy

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Choose a strategy per column and fit its transformers.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Training data; NaN is ignored.
        y : None
            Ignored.

        Returns
        -------
        self : AutoScaler
            The fitted scaler.
        """
        with unchanged_on_error(self):
            return self._fit(X)

    def _fit(self, X):
        Clipper(quantile_range=self.quantile_range)._check_params()
        X = self._validated(X, reset=True)
        profile = ColumnProfile.from_array(X)
        reject_infinite(self, X, profile.min, profile.max)
        strategies, reasons = self._choose(profile)
        self._profile = profile
        self.skewness_ = profile.skewness
        self.outlier_share_ = profile.outlier_share
        self.strategies_ = strategies
        self.reasons_ = reasons
        self.steps_ = []
        strategy_array = np.asarray(strategies)
        for strategy in dict.fromkeys(strategies):
            columns = np.flatnonzero(strategy_array == strategy)
            self.steps_.append(
                (strategy, columns, self._fit_chain(strategy, X[:, columns]))
            )
        return self

    def _choose(self, profile: ColumnProfile) -> tuple[list[str], list[str]]:
        """Strategies and reasons, decided with array masks over all columns."""
        empty = profile.count == 0
        binary = profile.two_valued & (profile.min != profile.max)
        kept = ~empty & ~binary
        skewed = kept & (profile.min >= 0) & (profile.skewness > self.skew_threshold)
        outliers = kept & ~skewed & (profile.outlier_share > self.outlier_threshold)
        kind = np.select(
            [empty | binary, skewed, outliers],
            ["passthrough", f"log+{self.scaler}", f"clip+{self.scaler}"],
            default=self.scaler,
        )
        low, high = self.quantile_range
        fence = f"{FENCE_IQR_MULTIPLIER:g} IQR"
        reasons = []
        for j in range(kind.size):
            skew, share = profile.skewness[j], profile.outlier_share[j]
            if empty[j]:
                reasons.append("no non-missing values")
            elif binary[j]:
                reasons.append("binary: two distinct values")
            elif skewed[j]:
                reasons.append(
                    f"non-negative and right-skewed (skewness {skew:.2f} > "
                    f"{self.skew_threshold:g})"
                )
            elif outliers[j]:
                reasons.append(
                    f"{share:.1%} of values beyond quartiles ± {fence} "
                    f"(> {self.outlier_threshold:.1%}): clipped to percentiles "
                    f"[{low:g}, {high:g}]"
                )
            elif profile.min[j] == profile.max[j]:
                reasons.append("constant column")
            else:
                reasons.append(
                    f"no strong right skew (skewness {skew:.2f}) and few outliers "
                    f"({share:.1%} beyond quartiles ± {fence})"
                )
        return kind.tolist(), reasons

    def _fit_chain(self, strategy: str, X_group: np.ndarray) -> list:
        """Fit the transformers of one strategy on its columns, in order."""
        chain = []
        if strategy == "passthrough":
            return chain
        for name in strategy.split("+"):
            if name == "log":
                step = LogTransformer(offset=1.0)
            elif name == "clip":
                step = Clipper(quantile_range=self.quantile_range)
            else:
                step = _SCALERS[name]()
            step.fit(X_group)
            X_group = step._transform(X_group, X_group)
            chain.append(step)
        return chain

    def transform(self, X):
        """Apply each column's strategy.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Data to normalize; NaN passes through.

        Returns
        -------
        X_scaled : ndarray of shape (n_samples, n_features)
            Normalized data, in X's float dtype.
        """
        check_is_fitted(self)
        X = self._validated(X, reset=False)
        col_min, col_max = column_extremes(X)
        reject_infinite(self, X, col_min, col_max)
        self._check_log_domain(col_min)
        out = self._output_buffer(X)
        for _, columns, chain in self.steps_:
            group = X[:, columns]
            for step in chain:
                group = step._transform(group, group)
            out[:, columns] = group
        return out

    def _check_log_domain(self, col_min: np.ndarray) -> None:
        for strategy, columns, chain in self.steps_:
            if not strategy.startswith("log"):
                continue
            bad = columns[col_min[columns] + chain[0].offset_ <= 0]
            if bad.size:
                names = self.get_feature_names_out()
                listed = ", ".join(repr(str(names[j])) for j in bad[:10])
                raise ValueError(
                    f"AutoScaler log-transforms column(s) {listed}, and X holds "
                    "values <= -1 there, where log(x + 1) is undefined. Fit on "
                    "data that covers this range, or raise skew_threshold."
                )

    def report(self):
        """Per-column statistics, choice and reason, as a pandas DataFrame.

        Returns
        -------
        report : pandas.DataFrame
            One row per input column (indexed by feature name) with columns
            ``count``, ``missing``, ``min``, ``max``, ``mean``, ``std``
            (``ddof=1``), ``skewness``, ``outlier_share``, ``strategy`` and
            ``reason``.
        """
        check_is_fitted(self)
        return profile_report(
            self._profile, self.strategies_, self.reasons_, self.get_feature_names_out()
        )


def profile_report(profile: ColumnProfile, strategies, reasons, index):
    """The report table of :meth:`AutoScaler.report`, from a profile and choices."""
    import pandas as pd

    return pd.DataFrame(
        {
            "count": profile.count.astype(np.int64),
            "missing": profile.missing.astype(np.int64),
            "min": profile.min,
            "max": profile.max,
            "mean": profile.mean,
            "std": profile.std,
            "skewness": profile.skewness,
            "outlier_share": profile.outlier_share,
            "strategy": strategies,
            "reason": reasons,
        },
        index=index,
    )
