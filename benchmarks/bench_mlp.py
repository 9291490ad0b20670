"""Time one training epoch of DropoutMLPRegressor against scikit-learn's MLPRegressor.

A plain script, not a test: ``python benchmarks/bench_mlp.py`` runs the course's
[10, 10] network (batch 50) on 17,000 x 9 rows, the California housing training
file of ``../shared/data`` when present and deterministic synthetic data
otherwise; ``--tiny`` keeps 2,000 of those rows (a smoke run); ``--large`` adds
a [256, 256] network (batch 256, float32) on 100,000 x 20 synthetic rows. Our
network trains with dropout 0.2, scikit-learn's has none. Each configuration
fits both estimators for one epoch (``max_iter=1``, Adam) ``--repeat`` times,
alternating them, and prints the median times and their ratio (ours /
scikit-learn's; the targets are 0.7 and 0.8), in wall-clock time and in CPU time
of the process. BLAS runs on one thread by default (``--threads 0`` lifts the
limit): multithreaded BLAS on a machine shared with other jobs spins and makes
both timings erratic.
"""

import argparse
import statistics
import time
import warnings
from pathlib import Path

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPRegressor
from threadpoolctl import threadpool_limits

from skscale.neural_network import DropoutMLPRegressor

CALIFORNIA = (
    Path(__file__).resolve().parents[1]
    / ".."
    / "shared"
    / "data"
    / "california_housing_train.csv"
)


def california_or_synthetic(n_samples=17_000, n_features=9):
    """Standardized course features and target in thousands of dollars."""
    if CALIFORNIA.exists():
        import pandas as pd

        frame = pd.read_csv(CALIFORNIA)
        frame["rooms_per_person"] = frame["total_rooms"] / frame["population"]
        y = frame.pop("median_house_value").to_numpy() / 1000.0
        X = frame.to_numpy(dtype=np.float64)
        source = "california_housing_train.csv"
    else:
        rng = np.random.default_rng(0)
        X = rng.standard_normal((n_samples, n_features))
        y = 200 + 50 * np.tanh(X @ rng.standard_normal(n_features))
        source = "synthetic"
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    return X, y, source


def synthetic(n_samples, n_features, dtype):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((n_samples, n_features)).astype(dtype)
    y = np.sin(X[:, :5]).sum(axis=1) + 0.1 * rng.standard_normal(n_samples)
    return X, y.astype(dtype)


def time_fit(estimator, X, y):
    """Wall-clock and CPU seconds of one call to fit."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        wall, cpu = time.perf_counter(), time.process_time()
        estimator.fit(X, y)
        return time.perf_counter() - wall, time.process_time() - cpu


def time_epoch(name, X, y, hidden, batch_size, repeat):
    common = dict(
        hidden_layer_sizes=hidden,
        batch_size=batch_size,
        max_iter=1,
        solver="adam",
        random_state=0,
    )
    ours = DropoutMLPRegressor(**common, dropout=0.2)
    theirs = MLPRegressor(**common)
    time_fit(ours, X, y)  # warm up caches and BLAS threads
    time_fit(theirs, X, y)
    ours_times, theirs_times = [], []
    for _ in range(repeat):
        ours_times.append(time_fit(ours, X, y))
        theirs_times.append(time_fit(theirs, X, y))
    print(
        f"{name}: {X.shape[0]} x {X.shape[1]} {X.dtype}, hidden {list(hidden)}, "
        f"batch {batch_size}, median of {repeat}\n"
        "                                          wall ms     cpu ms"
    )
    medians = {}
    for label, times in [
        ("skscale (dropout 0.2)", ours_times),
        ("sklearn MLPRegressor", theirs_times),
    ]:
        medians[label] = [statistics.median(t[i] for t in times) for i in (0, 1)]
        wall, cpu = medians[label]
        print(f"  time_fit_epoch {label:22s} {wall * 1e3:10.1f} {cpu * 1e3:10.1f}")
    ours, theirs = medians.values()
    ratios = [ours[i] / theirs[i] for i in (0, 1)]
    print(
        f"  ratio skscale / sklearn               {ratios[0]:10.2f} {ratios[1]:10.2f}"
    )
    return ratios


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--large", action="store_true", help="also run the [256, 256] profile"
    )
    parser.add_argument(
        "--tiny",
        action="store_true",
        help="smoke run: the course network on 2,000 rows, timed twice",
    )
    parser.add_argument("--repeat", type=int, default=5, help="timed fits per model")
    parser.add_argument(
        "--threads",
        type=int,
        default=1,
        help="BLAS threads for both models (default 1; 0 for the library default)",
    )
    args = parser.parse_args(argv)

    with threadpool_limits(args.threads or None):
        X, y, source = california_or_synthetic()
        repeat = args.repeat
        if args.tiny:
            X, y, repeat = X[:2000], y[:2000], 2
        time_epoch(f"course network ({source})", X, y, (10, 10), 50, repeat)
        if args.large:
            X, y = synthetic(100_000, 20, np.float32)
            time_epoch("large network (synthetic)", X, y, (256, 256), 256, args.repeat)


if __name__ == "__main__":
    main()
