"""skscale's transformers on a GPU (torch CUDA), beside a device copy.

Run ``python benchmarks/bench_gpu.py`` on a machine with a CUDA GPU and torch:
2,000,000 x 32 float32 on the GPU, each transformer's fit and transform beside
scikit-learn's Array API MinMaxScaler and StandardScaler and beside a device
copy (``torch.Tensor.copy_`` into a preallocated tensor), timed with CUDA
synchronization, medians, as ratios to the copy. Targets (issue 12): every
transform <= 1.5x the copy; moment fits <= 3x; exact quantile fits <= 25x.
Outputs are checked equal to NumPy's on the host before anything is timed.

Where torch or a CUDA device is missing it says so and exits with status 0.
``--smoke`` runs a tiny CPU profile on array-api-strict instead (CI runs it):
the same code path and output checks, figures that mean nothing.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time

# scikit-learn's array_api_dispatch needs SciPy's array API support, which
# must be set before SciPy is first imported.
os.environ.setdefault("SCIPY_ARRAY_API", "1")

import numpy as np  # noqa: E402
from sklearn import clone, config_context  # noqa: E402
from sklearn.preprocessing import MinMaxScaler, StandardScaler  # noqa: E402

from skscale import (  # noqa: E402
    AutoScaler,
    BinaryThresholder,
    Clipper,
    LinearScaler,
    LogTransformer,
    ZScoreScaler,
)

MOMENT, QUANTILE, TRANSFORM = 3.0, 25.0, 1.5
# (label, estimator, fit target): None where the issue sets no fit target.
SUBJECTS = [
    ("LinearScaler", LinearScaler(), MOMENT),
    ("ZScoreScaler", ZScoreScaler(), MOMENT),
    ('LogTransformer("auto")', LogTransformer(offset="auto"), MOMENT),
    ('BinaryThresholder("mean")', BinaryThresholder(threshold="mean"), MOMENT),
    ("Clipper(1, 99)", Clipper(quantile_range=(1.0, 99.0)), QUANTILE),
    ('BinaryThresholder("median")', BinaryThresholder(threshold="median"), QUANTILE),
    ("AutoScaler", AutoScaler(), None),
    ("sklearn MinMaxScaler", MinMaxScaler(), None),
    ("sklearn StandardScaler", StandardScaler(), None),
]


def _data(n_rows, n_features):
    rng = np.random.default_rng(0)
    scales = np.geomspace(1.0, 1000.0, n_features)
    X = rng.exponential(scales, size=(n_rows, n_features)).astype(np.float32)
    X[rng.random(X.shape) < 0.01] = np.nan
    return X


def _namespace(smoke):
    """(xp, device, to_device, to_host, synchronize, copy) or a reason."""
    if smoke:
        import array_api_strict as xp

        device = xp.Device("device1")
        cpu = xp.Device("CPU_DEVICE")
        return (
            xp,
            device,
            lambda X: xp.asarray(X, device=device),
            lambda A: np.asarray(xp.asarray(A, device=cpu)),
            lambda: None,
            lambda src, dst: xp.asarray(src, copy=True),
        )
    try:
        import torch
    except ImportError:
        return "torch is not installed"
    if not torch.cuda.is_available():
        return f"torch {torch.__version__} finds no CUDA device"
    return (
        torch,
        torch.device("cuda"),
        lambda X: torch.asarray(X, device="cuda"),
        lambda A: A.cpu().numpy(),
        torch.cuda.synchronize,
        lambda src, dst: dst.copy_(src),
    )


def _median_seconds(call, synchronize, repeats):
    call()  # warm-up (kernels compiled, caches filled)
    synchronize()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        synchronize()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _check_outputs(estimator, X, X_dev, to_host):
    """The device transform equals NumPy's (float32: 1e-5 relative)."""
    expected = clone(estimator).fit(X).transform(X)
    with config_context(array_api_dispatch=True):
        got = to_host(clone(estimator).fit(X_dev).transform(X_dev))
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)


def run(n_rows, n_features, repeats, smoke):
    found = _namespace(smoke)
    if isinstance(found, str):
        return None, found
    xp, device, to_device, to_host, synchronize, copy = found
    X = _data(n_rows, n_features)
    X_dev = to_device(X)
    target = to_device(np.empty_like(X))
    copy_s = _median_seconds(lambda: copy(X_dev, target), synchronize, repeats)
    rows = [("device copy", "copy", copy_s, 1.0, None)]
    for label, estimator, fit_target in SUBJECTS:
        _check_outputs(estimator, X, X_dev, to_host)
        with config_context(array_api_dispatch=True):
            fitted = clone(estimator).fit(X_dev)
            fit_s = _median_seconds(
                lambda e=estimator: clone(e).fit(X_dev), synchronize, repeats
            )
            transform_s = _median_seconds(
                lambda f=fitted: f.transform(X_dev), synchronize, repeats
            )
        mine = not label.startswith("sklearn")
        rows.append((label, "fit", fit_s, fit_s / copy_s, fit_target))
        rows.append(
            (label, "transform", transform_s, transform_s / copy_s, mine and TRANSFORM)
        )
    return rows, f"{xp.__name__} on {device}"


def table(rows, where, n_rows, n_features, repeats, smoke) -> str:
    lines = [
        f"{n_rows:,} x {n_features} float32, 1% NaN, {where}; medians of "
        f"{repeats} runs after a warm-up; Python {platform.python_version()}.",
        "",
        "| subject | op | median ms | ratio to copy | target | verdict |",
        "|---|---|---|---|---|---|",
    ]
    for label, op, seconds, ratio, target in rows:
        if not target:
            verdict, shown = "", ""
        elif smoke:
            verdict, shown = "smoke: not a measurement", f"<= {target:g}x"
        else:
            verdict = "met" if ratio <= target else "**not met**"
            shown = f"<= {target:g}x"
        lines.append(
            f"| {label} | {op} | {seconds * 1e3:.3f} | {ratio:.2f}x | {shown} | "
            f"{verdict} |"
        )
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="tiny CPU profile on array-api-strict (CI), no GPU needed",
    )
    parser.add_argument("--rows", type=int, default=None)
    parser.add_argument("--features", type=int, default=32)
    parser.add_argument("--repeats", type=int, default=None)
    parser.add_argument("--output", help="also write the table to this file")
    args = parser.parse_args(argv)
    n_rows = args.rows or (2_000 if args.smoke else 2_000_000)
    n_features = 4 if args.smoke and args.features == 32 else args.features
    repeats = args.repeats or (1 if args.smoke else 11)
    # array-api-strict passes on NumPy's warnings, e.g. scikit-learn's
    # StandardScaler dividing 0 by 0 on a chunk's all-NaN column.
    with np.errstate(all="ignore"):
        rows, where = run(n_rows, n_features, repeats, args.smoke)
    if rows is None:
        print(
            f"No CUDA GPU to measure on ({where}): nothing timed. Run on a "
            "machine with torch and a CUDA device, or pass --smoke for the "
            "CPU smoke profile on array-api-strict."
        )
        return 0
    text = table(rows, where, n_rows, n_features, repeats, args.smoke)
    print(text)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as handle:
            handle.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
