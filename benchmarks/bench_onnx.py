"""Latency of fitted pipelines in onnxruntime against their ``predict``/``transform``.

A plain script, not a test: ``python benchmarks/bench_onnx.py`` fits four
models on deterministic synthetic data of the course's width (8 columns,
one skewed, one heavy-tailed), converts each with ``skscale.onnx.to_onnx``,
checks that onnxruntime's output equals scikit-learn's (1e-5 in float32,
1e-8 in float64) and then times both on one row and on 10,000 rows:

- the demo's best model: ``PiecewiseLinearEncoder(32)`` of every column
  beside random Fourier features of the location (``RBFSampler``), then an
  ensemble of two 128x128 ``DropoutMLPRegressor`` members, in float32, on a
  DataFrame (one onnxruntime input per column);
- ``PiecewiseLinearEncoder(32)`` then one 128x128 network, in float32;
- ``AutoScaler()`` then a 64x64 network, in float64;
- ``QuantileNormalizer()`` (1,000 quantiles, normal output) alone, in float64.

Each call is timed ``--repeat`` times (median, ``time.perf_counter``, garbage
collector off), the two runtimes alternating call by call so that a shared
machine's noise falls on both. Both run on one thread (BLAS through
threadpoolctl, onnxruntime's ``intra_op_num_threads``), as a server serving
one request per core would. ``--tiny`` (the CI smoke size) times 1,000 rows,
5 times. The table ends with the load average, to read the times against.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import time
import warnings
from functools import partial

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.pipeline import make_pipeline
from threadpoolctl import threadpool_limits

from skscale import (
    AutoScaler,
    DropoutMLPRegressor,
    PiecewiseLinearEncoder,
    QuantileNormalizer,
)


def synthetic(n_rows: int, dtype, frame=False):
    """X (an array, or a DataFrame with the course's location columns) and y."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((n_rows, 8))
    X[:, 0] = rng.lognormal(sigma=1.5, size=n_rows)
    X[:, 1] = rng.standard_t(df=2, size=n_rows)
    y = np.log1p(X[:, 0]) + np.tanh(X[:, 1]) + X[:, 2:] @ np.linspace(-1, 1, 6)
    X = X.astype(dtype)
    if frame:
        import pandas as pd

        names = ["rooms", "income", "latitude", "longitude", "a", "b", "c", "d"]
        X = pd.DataFrame(X, columns=names)
    return X, y


def _feeds(session, X) -> dict:
    """onnxruntime's inputs: one ``X``, or one per column of a DataFrame."""
    if hasattr(X, "columns"):
        return {name: X[[name]].to_numpy() for name in X.columns}
    return {session.get_inputs()[0].name: X}


def models():
    """(name, unfitted model, dtype, method, fitted on a DataFrame) per row."""
    from skscale._cli.training import BEST_MEMBERS, course_location_encoder

    def network(size, n_members=1):
        return DropoutMLPRegressor(
            (size, size), dropout=0.1, learning_rate="cosine", max_iter=3,
            batch_size=200, random_state=0, n_members=n_members,
        )  # fmt: skip

    return [
        (
            f"PLE(32) + location RFF + 128x128 x{BEST_MEMBERS} (demo's best)",
            make_pipeline(course_location_encoder(), network(128, BEST_MEMBERS)),
            np.float32,
            "predict",
            True,
        ),
        (
            "PLE(32) + 128x128",
            make_pipeline(PiecewiseLinearEncoder(32), network(128)),
            np.float32,
            "predict",
            False,
        ),
        (
            "AutoScaler + 64x64",
            make_pipeline(AutoScaler(), network(64)),
            np.float64,
            "predict",
            False,
        ),
        ("QuantileNormalizer()", QuantileNormalizer(), np.float64, "transform", False),
    ]


def median_times(calls, repeat: int) -> list[float]:
    """Median wall time of each call, the calls alternating round by round."""
    for call in calls:  # warm-up, untimed
        call()
    times = [[] for _ in calls]
    gc.disable()
    try:
        for _ in range(repeat):
            for call, record in zip(calls, times):
                start = time.perf_counter()
                call()
                record.append(time.perf_counter() - start)
    finally:
        gc.enable()
    return [statistics.median(record) for record in times]


def measure(n_rows: int, repeat: int) -> list[tuple]:
    import onnxruntime as rt

    from skscale.onnx import to_onnx

    options = rt.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    rows = []
    for name, model, dtype, method, frame in models():
        X, y = synthetic(12_000, dtype, frame)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            model.fit(X, y)
        session = rt.InferenceSession(
            to_onnx(model, X[:1]).SerializeToString(),
            options,
            providers=["CPUExecutionProvider"],
        )
        python = getattr(model, method)
        X_new, _ = synthetic(n_rows, dtype, frame)
        (got,) = session.run(None, _feeds(session, X_new))
        expected = np.asarray(python(X_new)).reshape(got.shape)
        rtol = 1e-5 if dtype == np.float32 else 1e-8
        scale = np.max(np.abs(expected))
        np.testing.assert_allclose(got, expected, rtol=rtol, atol=rtol * scale)
        for batch in (X_new[:1], X_new):
            calls = [
                partial(python, batch),
                partial(session.run, None, _feeds(session, batch)),
            ]
            python_time, onnx_time = median_times(calls, repeat)
            rows.append((name, len(batch), python_time, onnx_time))
    return rows


def _milliseconds(seconds: float) -> str:
    return f"{seconds * 1e3:.3f}"


def table(rows) -> str:
    lines = [
        "| model | rows | predict / transform (ms) | onnxruntime (ms) "
        "| onnxruntime / predict |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, n_rows, python_time, onnx_time in rows:
        lines.append(
            f"| {name} | {n_rows:,} | {_milliseconds(python_time)} "
            f"| {_milliseconds(onnx_time)} | {onnx_time / python_time:.2f} |"
        )
    return "\n".join(lines)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tiny", action="store_true", help="1,000 rows, 5 repeats")
    parser.add_argument("--repeat", type=int, default=None, help="default 50")
    args = parser.parse_args(argv)
    n_rows = 1_000 if args.tiny else 10_000
    repeat = args.repeat or (5 if args.tiny else 50)
    with threadpool_limits(1):
        rows = measure(n_rows, repeat)
    print(table(rows))
    load = ", ".join(f"{v:.2f}" for v in os.getloadavg())
    print(f"\nOne thread each; median of {repeat} calls; load average {load}.")


if __name__ == "__main__":
    main()
