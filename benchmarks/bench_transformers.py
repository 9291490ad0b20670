"""Every skscale transformer's fit and transform beside its peer, in one run.

Run ``python benchmarks/bench_transformers.py [--tiny | --large]``; it prints a
Markdown table. ``run_all.py`` calls :func:`run` and writes ``results.md``.

Peers: scikit-learn's ``MinMaxScaler(feature_range=(-1, 1))``,
``StandardScaler``, ``FunctionTransformer(np.log1p)`` and ``Binarizer``; for
clipping ``np.clip`` and feature-engine's ``Winsorizer`` when feature-engine is
installed (it is not a dependency). Where the peer learns nothing at fit
(``FunctionTransformer``, ``Binarizer``), the fit's peer is the numpy reduction
a user would write for the same statistic. Every figure also has the copy
bound: ``np.copyto`` of the same array into a preallocated one, timed in the
same rounds. Outputs and fitted statistics are checked equal to the peer's
(``np.testing.assert_allclose``) before anything is timed.
"""

from __future__ import annotations

import argparse
import functools
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from _common import (
    SIZES,
    Result,
    add_size_arguments,
    copy_bound,
    make_data,
    markdown_table,
    median_times,
    peak_extra_memory,
    size_from_args,
)
from sklearn.preprocessing import (
    Binarizer,
    FunctionTransformer,
    MinMaxScaler,
    StandardScaler,
)

from skscale import (
    BinaryThresholder,
    Clipper,
    LinearScaler,
    LogTransformer,
    ZScoreScaler,
)

HAS_FEATURE_ENGINE = importlib.util.find_spec("feature_engine") is not None
QUANTILES = (1, 99)
THRESHOLD = 100.0  # a fixed threshold inside every column's range


def _tolerance(X: np.ndarray) -> dict:
    if X.dtype == np.float32:
        return {"rtol": 2e-4, "atol": 1e-5}
    return {"rtol": 1e-7, "atol": 1e-9}


# --- fit -------------------------------------------------------------------


@dataclass
class FitCase:
    """A transformer's fit, the peer computing the same statistics, and a check.

    ``check(fitted, peer_result, X)`` raises if the statistics differ.
    """

    transformer: str
    subject: str
    make: Callable[[], object]
    peer: str
    peer_fit: Callable[[np.ndarray], object]
    check: Callable[[object, object, np.ndarray], None]


def _has_nan(X: np.ndarray) -> bool:
    return bool(np.isnan(X).any())


def _check_minmax(ours, peer, X):
    np.testing.assert_allclose(ours.data_min_, peer.data_min_, **_tolerance(X))
    np.testing.assert_allclose(ours.data_max_, peer.data_max_, **_tolerance(X))


def _check_standard(ours, peer, X):
    np.testing.assert_allclose(ours.mean_, peer.mean_, **_tolerance(X))
    np.testing.assert_allclose(ours.var_, peer.var_, **_tolerance(X))


def _check_offset(ours, column_min, X):
    expected = 1.0 - np.minimum(0.0, column_min)
    np.testing.assert_allclose(ours.offset_, expected, **_tolerance(X))


def _check_threshold(ours, expected, X):
    np.testing.assert_allclose(ours.threshold_, expected, **_tolerance(X))


def _check_bounds(ours, bounds, X):
    np.testing.assert_allclose(ours.lower_, bounds[0], **_tolerance(X))
    np.testing.assert_allclose(ours.upper_, bounds[1], **_tolerance(X))


def _numpy_stat(plain, nan_aware):
    """The numpy call a user would write: the nan-aware one when X holds NaN."""

    def run(X):
        return nan_aware(X) if _has_nan(X) else plain(X)

    return run


FIT_CASES = [
    FitCase(
        "LinearScaler",
        "LinearScaler().fit(X)",
        LinearScaler,
        "MinMaxScaler(feature_range=(-1, 1)).fit(X)",
        lambda X: MinMaxScaler(feature_range=(-1, 1)).fit(X),
        _check_minmax,
    ),
    FitCase(
        "ZScoreScaler",
        "ZScoreScaler().fit(X)",
        ZScoreScaler,
        "StandardScaler().fit(X)",
        lambda X: StandardScaler().fit(X),
        _check_standard,
    ),
    FitCase(
        "LogTransformer",
        "LogTransformer(offset='auto').fit(X)",
        functools.partial(LogTransformer, offset="auto"),
        "np.min / np.nanmin(X, axis=0)",
        _numpy_stat(lambda X: np.min(X, axis=0), lambda X: np.nanmin(X, axis=0)),
        _check_offset,
    ),
    FitCase(
        "BinaryThresholder",
        "BinaryThresholder('mean').fit(X)",
        functools.partial(BinaryThresholder, threshold="mean"),
        "np.mean / np.nanmean(X, axis=0)",
        _numpy_stat(
            lambda X: np.mean(X, axis=0, dtype=np.float64),
            lambda X: np.nanmean(X, axis=0, dtype=np.float64),
        ),
        _check_threshold,
    ),
    FitCase(
        "BinaryThresholder",
        "BinaryThresholder('median').fit(X)",
        functools.partial(BinaryThresholder, threshold="median"),
        "np.median / np.nanmedian(X, axis=0)",
        _numpy_stat(lambda X: np.median(X, axis=0), lambda X: np.nanmedian(X, axis=0)),
        _check_threshold,
    ),
    FitCase(
        "Clipper",
        f"Clipper(quantile_range={QUANTILES}).fit(X)",
        functools.partial(Clipper, quantile_range=QUANTILES),
        f"np.percentile / np.nanpercentile(X, {list(QUANTILES)}, axis=0)",
        _numpy_stat(
            lambda X: np.percentile(X, QUANTILES, axis=0),
            lambda X: np.nanpercentile(X, QUANTILES, axis=0),
        ),
        _check_bounds,
    ),
]


def _winsorizer_fit_case() -> FitCase | None:
    """feature-engine's learned capping, fitted on a DataFrame of X."""
    if not HAS_FEATURE_ENGINE:
        return None
    import pandas as pd
    from feature_engine.outliers import Winsorizer

    # One DataFrame per array, built outside the timing (the arrays live as
    # long as the run, so their ids stay unique).
    frames: dict[int, pd.DataFrame] = {}

    def frame(X):
        if id(X) not in frames:
            columns = [f"x{j}" for j in range(X.shape[1])]
            frames[id(X)] = pd.DataFrame(X, columns=columns)
        return frames[id(X)]

    def peer_fit(X):
        return Winsorizer(
            capping_method="quantiles",
            tail="both",
            fold=QUANTILES[0] / 100,
            missing_values="ignore",
        ).fit(frame(X))

    def check(ours, winsorizer, X):
        lower = np.array(list(winsorizer.left_tail_caps_.values()))
        upper = np.array(list(winsorizer.right_tail_caps_.values()))
        _check_bounds(ours, (lower, upper), X)

    return FitCase(
        "Clipper",
        f"Clipper(quantile_range={QUANTILES}).fit(X)",
        functools.partial(Clipper, quantile_range=QUANTILES),
        "Winsorizer(capping_method='quantiles', fold=0.01).fit(df)",
        peer_fit,
        check,
    )


def bench_fit(case: FitCase, X: np.ndarray, data: str, repeats: int) -> Result:
    peer_result = case.peer_fit(X)
    case.check(case.make().fit(X), peer_result, X)
    times = median_times(
        {
            "subject": lambda: case.make().fit(X),
            "peer": lambda: case.peer_fit(X),
            "copy": copy_bound(X),
        },
        repeats=repeats,
    )
    return Result(
        case.transformer,
        "time_fit",
        data,
        case.subject,
        times["subject"],
        case.peer,
        times["peer"],
        times["copy"],
    )


def peakmem_fit(case: FitCase, X: np.ndarray, data: str) -> Result:
    return Result(
        case.transformer,
        "peakmem_fit",
        data,
        case.subject,
        peak_extra_memory(lambda: case.make().fit(X)),
        case.peer,
        peak_extra_memory(lambda: case.peer_fit(X)),
        X.nbytes,
    )


# --- transform -------------------------------------------------------------


@dataclass
class TransformCase:
    """A fitted transformer's transform and the peer's, given X to fit on.

    ``setup(X, copy)`` returns ``(ours, peer)``: two callables mapping an array
    to the transformed array (in place when ``copy`` is False, where the peer
    allows it), and the peer's name.
    """

    transformer: str
    subject: str
    setup: Callable[[np.ndarray, bool], tuple[Callable, Callable, str]]


def _estimator_pair(ours_class, peer_class, peer_name, **peer_params):
    def setup(X, copy):
        ours = ours_class(copy=copy).fit(X)
        peer = peer_class(copy=copy, **peer_params).fit(X)
        return ours.transform, peer.transform, f"{peer_name}(copy={copy})"

    return setup


def _log_pair(X, copy):
    ours = LogTransformer(copy=copy).fit(X)
    peer = FunctionTransformer(np.log1p).fit(X)
    # FunctionTransformer has no in-place mode: it allocates either way.
    return ours.transform, peer.transform, "FunctionTransformer(np.log1p)"


def _clip_pair(X, copy):
    ours = Clipper(quantile_range=QUANTILES, copy=copy).fit(X)
    lower = ours.lower_.astype(X.dtype)
    upper = ours.upper_.astype(X.dtype)
    if copy:
        return ours.transform, lambda A: np.clip(A, lower, upper), "np.clip(X, lo, hi)"
    return (
        ours.transform,
        lambda A: np.clip(A, lower, upper, out=A),
        "np.clip(X, lo, hi, out=X)",
    )


def _binarize_pair(X, copy):
    ours = BinaryThresholder(threshold=THRESHOLD, copy=copy).fit(X)
    peer = Binarizer(threshold=THRESHOLD, copy=copy).fit(X)
    return ours.transform, peer.transform, f"Binarizer(threshold=100, copy={copy})"


TRANSFORM_CASES = [
    TransformCase(
        "LinearScaler",
        "LinearScaler().transform(X)",
        _estimator_pair(
            LinearScaler, MinMaxScaler, "MinMaxScaler", feature_range=(-1, 1)
        ),
    ),
    TransformCase(
        "ZScoreScaler",
        "ZScoreScaler().transform(X)",
        _estimator_pair(ZScoreScaler, StandardScaler, "StandardScaler"),
    ),
    TransformCase("LogTransformer", "LogTransformer().transform(X)", _log_pair),
    TransformCase(
        "Clipper", f"Clipper(quantile_range={QUANTILES}).transform(X)", _clip_pair
    ),
    TransformCase(
        "BinaryThresholder",
        "BinaryThresholder(threshold=100).transform(X)",
        _binarize_pair,
    ),
]


def _winsorizer_transform_case() -> TransformCase | None:
    if not HAS_FEATURE_ENGINE:
        return None
    import pandas as pd
    from feature_engine.outliers import Winsorizer

    def setup(X, copy):
        columns = [f"x{j}" for j in range(X.shape[1])]
        ours = Clipper(quantile_range=QUANTILES, copy=copy).fit(X)
        peer = Winsorizer(
            capping_method="quantiles", tail="both", fold=QUANTILES[0] / 100
        ).fit(pd.DataFrame(X, columns=columns))

        def peer_transform(A):
            # The DataFrame is built inside the timing: Winsorizer needs one.
            return peer.transform(pd.DataFrame(A, columns=columns)).to_numpy()

        return ours.transform, peer_transform, "Winsorizer(...).transform(df)"

    return TransformCase(
        "Clipper", f"Clipper(quantile_range={QUANTILES}).transform(X)", setup
    )


def bench_transform(
    case: TransformCase, X: np.ndarray, data: str, copy: bool, repeats: int
) -> Result:
    ours, peer, peer_name = case.setup(X, copy)
    expected = peer(X.copy())
    np.testing.assert_allclose(ours(X.copy()), expected, **_tolerance(X))
    cases = {"subject": lambda: ours(X), "peer": lambda: peer(X), "copy": copy_bound(X)}
    setups = {}
    if not copy:
        # In-place transforms overwrite their input: refill it, untimed.
        scratch = X.copy()
        cases["subject"] = lambda: ours(scratch)
        cases["peer"] = lambda: peer(scratch)
        setups = {name: functools.partial(np.copyto, scratch, X) for name in cases}
        del setups["copy"]
    times = median_times(cases, repeats=repeats, setups=setups)
    return Result(
        case.transformer,
        "time_transform",
        f"{data}, copy={copy}",
        case.subject,
        times["subject"],
        peer_name,
        times["peer"],
        times["copy"],
    )


def peakmem_transform(case: TransformCase, X: np.ndarray, data: str) -> Result:
    ours, peer, peer_name = case.setup(X, True)
    output_bytes = X.nbytes
    return Result(
        case.transformer,
        "peakmem_transform",
        f"{data}, copy=True",
        case.subject,
        peak_extra_memory(lambda: ours(X)),
        peer_name,
        peak_extra_memory(lambda: peer(X)),
        output_bytes,
    )


# --- the suite -------------------------------------------------------------


def run(size: str = "small", *, log: Callable[[str], None] = print) -> list[Result]:
    """Every case at one size profile; ``log`` reports progress."""
    n_rows, n_features, repeats = SIZES[size]
    log(f"bench_transformers: {size} profile, X of {n_rows:,} x {n_features}")
    data = make_data(n_rows, n_features)
    fit_cases = FIT_CASES + [c for c in [_winsorizer_fit_case()] if c is not None]
    transform_cases = TRANSFORM_CASES + [
        c for c in [_winsorizer_transform_case()] if c is not None
    ]
    results = []
    for case in fit_cases:
        for name, X in data.items():
            log(f"  time_fit {case.subject} on {name}")
            results.append(bench_fit(case, X, name, repeats))
    for case in transform_cases:
        for name in ("float64", "float32"):
            for copy in (True, False):
                log(f"  time_transform {case.subject} on {name}, copy={copy}")
                results.append(bench_transform(case, data[name], name, copy, repeats))
    for case in fit_cases:
        for name in ("float64", "float64, 1% NaN"):
            log(f"  peakmem_fit {case.subject} on {name}")
            results.append(peakmem_fit(case, data[name], name))
    for case in transform_cases:
        log(f"  peakmem_transform {case.subject}")
        results.append(peakmem_transform(case, data["float64"], "float64"))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_size_arguments(parser)
    args = parser.parse_args()
    print(markdown_table(run(size_from_args(args))))


if __name__ == "__main__":
    main()
