"""AutoScaler's fit and transform against the copy bound, and LinearScaler's.

::

    python benchmarks/bench_auto.py                 # 200,000 x 20
    python benchmarks/bench_auto.py --large         # 2,000,000 x 20 float64
    python benchmarks/bench_auto.py --large --compare OTHER_CHECKOUT

The data mix the columns AutoScaler tells apart: 6 skewed (log), 4 with heavy
tails (clip), 2 binary (passed through) and 8 plain (scaled). Every case is
interleaved with ``np.copyto`` of the same array, round by round, and
reported as a ratio to it. With ``--compare``, the same script runs in
subprocesses against this checkout and another one (e.g. main), alternately,
so that both tables come from one sitting. Benchmarks are not tests.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
from _common import copy_bound, median_times

HERE = Path(__file__).resolve().parent


def autoscaler_data(n_rows: int, n_features: int = 20) -> np.ndarray:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(n_rows, n_features))
    X[:, :6] = rng.lognormal(sigma=1.5, size=(n_rows, 6))
    X[:, 6:10] = rng.standard_t(2, size=(n_rows, 4))
    X[:, 10:12] = rng.integers(0, 2, size=(n_rows, 2))
    return X


def measure(n_rows: int, repeats: int) -> dict[str, float]:
    from skscale import AutoScaler, LinearScaler

    X = autoscaler_data(n_rows)
    auto = AutoScaler().fit(X)
    linear = LinearScaler().fit(X)
    times = median_times(
        {
            "copy": copy_bound(X),
            "AutoScaler().fit(X)": lambda: AutoScaler().fit(X),
            "AutoScaler.transform(X)": lambda: auto.transform(X),
            "LinearScaler().fit(X)": lambda: LinearScaler().fit(X),
            "LinearScaler.transform(X)": lambda: linear.transform(X),
        },
        repeats=repeats,
    )
    result = {name: t / times["copy"] for name, t in times.items() if name != "copy"}
    result["copy (ms)"] = times["copy"] * 1000
    result["strategies"] = ",".join(auto.strategies_)
    return result


def _run_in(checkout: Path, n_rows: int, repeats: int) -> dict:
    env = dict(os.environ, PYTHONPATH=str(checkout))
    out = subprocess.run(
        [sys.executable, __file__, "--json", "--rows", str(n_rows)]
        + ["--repeats", str(repeats)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=HERE,
    ).stdout
    return json.loads(out.splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--large", action="store_true")
    parser.add_argument("--rows", type=int, default=None)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--compare", type=Path, default=None)
    parser.add_argument("--sittings", type=int, default=2)
    args = parser.parse_args()
    n_rows = args.rows or (2_000_000 if args.large else 200_000)
    if args.json:
        print(json.dumps(measure(n_rows, args.repeats)))
        return
    if args.compare is None:
        for name, value in measure(n_rows, args.repeats).items():
            print(f"{name}: {value:.2f}x" if isinstance(value, float) else value)
        return
    checkouts = {"this": HERE.parent, "other": args.compare.resolve()}
    runs: dict[str, list[dict]] = {name: [] for name in checkouts}
    for _ in range(args.sittings):  # alternately, in one sitting
        for name, checkout in checkouts.items():
            runs[name].append(_run_in(checkout, n_rows, args.repeats))
    print(f"load: {os.getloadavg()}; X: {n_rows:,} x 20 float64")
    print("| case | " + " | ".join(f"{n} (ratio to copy)" for n in checkouts) + " |")
    print("|---|" + "---:|" * len(checkouts))
    for case in runs["this"][0]:
        if case == "strategies":
            continue
        cells = [" / ".join(f"{r[case]:.2f}" for r in runs[name]) for name in checkouts]
        print(f"| {case} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
