"""Out-of-core fit and transform through Dask, on data larger than a memory cap.

Writes ``--size-gb`` of float64 to disk as ``.npy`` chunks, then, through a
dask array whose blocks are memory-mapped chunk files, times:

- ``time_fit_zscore``: ``ZScoreScaler().fit`` (exact merged mean/variance);
- ``time_fit_clip_quantiles``: ``Clipper(quantile_range=(1, 99)).fit`` (the
  merged quantile sketch);
- ``time_transform_to_disk``: ``ZScoreScaler.transform`` written back to disk
  chunk by chunk (``da.to_npy_stack``), never materialized;

and reports throughput and the process's peak resident memory
(``peakmem``, from ``resource.getrusage``) against ``--memory-cap-gb``. The
local threaded scheduler with ``--workers`` threads holds a few chunks of
``--chunk-mb`` at a time, which is what keeps memory bounded. Every data file
is deleted at the end. Benchmarks are not tests: nothing here asserts a time.

    python benchmarks/bench_out_of_core.py                 # 0.05 GB, seconds
    python benchmarks/bench_out_of_core.py --size-gb 8     # the large profile
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from skscale import Clipper, ZScoreScaler


def _peak_rss_gb() -> float:
    # ru_maxrss is in kilobytes on Linux (bytes on macOS).
    scale = 1 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / 2**30


def write_chunks(directory: Path, size_gb: float, chunk_mb: float, n_features: int):
    """Write float64 chunks of lognormal data with NaN; return their paths and rows."""
    rows_per_chunk = max(1, int(chunk_mb * 2**20 / (8 * n_features)))
    total_rows = max(1, int(size_gb * 2**30 / (8 * n_features)))
    rng = np.random.default_rng(0)
    paths, rows = [], []
    for start in range(0, total_rows, rows_per_chunk):
        n_rows = min(rows_per_chunk, total_rows - start)
        chunk = rng.lognormal(0.0, 1.0, size=(n_rows, n_features))
        chunk[rng.random(chunk.shape) < 0.01] = np.nan
        path = directory / f"chunk_{len(paths):05d}.npy"
        np.save(path, chunk)
        paths.append(path)
        rows.append(n_rows)
        del chunk
    return paths, rows


def dask_array_of(paths, rows, n_features):
    import dask
    import dask.array as da

    def load(path):
        return np.load(path, mmap_mode="r")

    blocks = [
        da.from_delayed(
            dask.delayed(load)(str(path)), shape=(n, n_features), dtype=np.float64
        )
        for path, n in zip(paths, rows)
    ]
    return da.concatenate(blocks, axis=0)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-gb", type=float, default=0.05)
    parser.add_argument("--chunk-mb", type=float, default=64.0)
    parser.add_argument("--n-features", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--memory-cap-gb", type=float, default=1.5)
    parser.add_argument("--dir", type=Path, default=None, help="where to write")
    args = parser.parse_args(argv)

    import dask
    import dask.array as da

    root = Path(tempfile.mkdtemp(prefix="skscale_ooc_", dir=args.dir))
    try:
        start = time.perf_counter()
        (root / "in").mkdir()
        paths, rows = write_chunks(
            root / "in", args.size_gb, args.chunk_mb, args.n_features
        )
        write_seconds = time.perf_counter() - start
        size_gb = sum(rows) * args.n_features * 8 / 2**30
        X = dask_array_of(paths, rows, args.n_features)
        results = []
        with dask.config.set(scheduler="threads", num_workers=args.workers):
            start = time.perf_counter()
            scaler = ZScoreScaler().fit(X)
            results.append(("time_fit_zscore", time.perf_counter() - start))
            start = time.perf_counter()
            Clipper(quantile_range=(1, 99)).fit(X)
            results.append(("time_fit_clip_quantiles", time.perf_counter() - start))
            start = time.perf_counter()
            da.to_npy_stack(str(root / "out"), scaler.transform(X), axis=0)
            results.append(("time_transform_to_disk", time.perf_counter() - start))
        peak = _peak_rss_gb()
    finally:
        shutil.rmtree(root, ignore_errors=True)

    print(
        f"data: {size_gb:.2f} GB float64 on disk ({sum(rows):,} rows x "
        f"{args.n_features} columns, {len(paths)} chunks of {args.chunk_mb:g} MB; "
        f"written in {write_seconds:.1f} s); {args.workers} dask threads"
    )
    print(f"{'benchmark':<26}{'seconds':>10}{'GB/s':>10}")
    for name, seconds in results:
        print(f"{name:<26}{seconds:>10.2f}{size_gb / seconds:>10.3f}")
    verdict = "under" if peak < args.memory_cap_gb else "OVER"
    print(
        f"peakmem: {peak:.2f} GB resident ({verdict} the {args.memory_cap_gb:g} GB "
        f"cap; data is {size_gb / args.memory_cap_gb:.1f}x the cap)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
