"""Shared helpers for skscale's benchmarks: data, timing, memory and tables.

Benchmarks are not tests. Nothing here asserts a speed; the figures are
printed and written to ``results.md`` for people to read. Outputs *are*
checked equal to the peer's before anything is timed, so that a fast wrong
kernel cannot look good.

Vocabulary follows asv: ``time_*`` rows hold a median wall time in seconds,
``peakmem_*`` rows hold the peak extra memory of one call in bytes (measured
with :mod:`tracemalloc`, into which numpy reports its array buffers).
"""

from __future__ import annotations

import gc
import platform
import statistics
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

# (n_rows, n_features, repeats) for each size profile.
SIZES = {
    "tiny": (2_000, 5, 3),
    "small": (200_000, 20, 7),
    "large": (2_000_000, 20, 5),
}

NAN_FRACTION = 0.01


def size_from_args(args) -> str:
    """The profile name chosen by ``--tiny`` / ``--large`` (default small)."""
    if getattr(args, "tiny", False):
        return "tiny"
    if getattr(args, "large", False):
        return "large"
    return "small"


def add_size_arguments(parser) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--tiny", action="store_true", help="CI smoke size (2,000 x 5, 3 repeats)."
    )
    group.add_argument(
        "--large",
        action="store_true",
        help="the large profile: 2,000,000 x 20 float64 (320 MB), 5 repeats.",
    )


def make_data(n_rows: int, n_features: int) -> dict[str, np.ndarray]:
    """Deterministic positive data in float64, float32 and float64 with 1% NaN.

    Exponential columns with scales from 1 to 1000 (skewed and of mixed
    magnitudes, like the course's housing columns), strictly positive so that
    every transformer, ``log1p`` included, accepts them.
    """
    rng = np.random.default_rng(0)
    X = rng.standard_exponential((n_rows, n_features))
    X *= np.linspace(1.0, 1000.0, n_features)
    X_nan = X.copy()
    X_nan[rng.random(X.shape) < NAN_FRACTION] = np.nan
    return {
        "float64": X,
        "float32": X.astype(np.float32),
        "float64, 1% NaN": X_nan,
    }


def copy_bound(X: np.ndarray) -> Callable[[], None]:
    """``np.copyto`` of X into a preallocated array: the memory-bandwidth floor."""
    destination = np.empty_like(X)

    def run():
        np.copyto(destination, X)

    return run


def median_times(
    cases: dict[str, Callable[[], object]],
    *,
    repeats: int,
    setups: dict[str, Callable[[], None]] | None = None,
) -> dict[str, float]:
    """Median wall time of each callable, the cases interleaved repeat by repeat.

    Interleaving (a, b, c, a, b, c, ...) spreads the noise of a shared machine
    over every case alike, so that the ratios are fairer than the times. Each
    case runs once untimed first; ``setups[name]`` runs untimed before every
    call (e.g. to refill the buffer an in-place transform overwrites). The
    garbage collector is off while timing, as in :mod:`timeit`.
    """
    setups = setups or {}
    times: dict[str, list[float]] = {name: [] for name in cases}
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        for round_index in range(repeats + 1):
            for name, func in cases.items():
                if name in setups:
                    setups[name]()
                start = time.perf_counter()
                func()
                elapsed = time.perf_counter() - start
                if round_index:  # round 0 is the warm-up
                    times[name].append(elapsed)
    finally:
        if gc_was_enabled:
            gc.enable()
    return {name: statistics.median(values) for name, values in times.items()}


def peak_extra_memory(func: Callable[[], object]) -> int:
    """Peak bytes allocated during one call above what was allocated before it.

    The result of the call is kept alive until the peak is read, so an output
    array counts: for ``transform(copy=True)`` the ideal is the output's size.
    """
    gc.collect()
    tracemalloc.start()
    try:
        before, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        result = func()
        _, peak = tracemalloc.get_traced_memory()
        del result
    finally:
        tracemalloc.stop()
    return peak - before


@dataclass
class Result:
    """One row of the results table.

    ``value`` and ``peer_value`` are seconds for ``time_*`` benchmarks and bytes
    for ``peakmem_*`` ones; ``reference`` is the copy bound's seconds, or for
    memory the size its target is stated against (the output for
    ``peakmem_transform``, X for ``peakmem_fit``).
    """

    transformer: str
    benchmark: str
    data: str
    subject: str
    value: float
    peer: str = ""
    peer_value: float | None = None
    reference: float | None = None
    extra: dict = field(default_factory=dict)

    @property
    def is_memory(self) -> bool:
        return self.benchmark.startswith("peakmem")

    @property
    def vs_peer(self) -> float | None:
        if self.peer_value is None or self.peer_value <= 0:
            return None
        return self.value / self.peer_value

    @property
    def vs_reference(self) -> float | None:
        if self.reference is None or self.reference <= 0:
            return None
        return self.value / self.reference

    @property
    def peer_vs_reference(self) -> float | None:
        if self.peer_value is None or self.reference is None or self.reference <= 0:
            return None
        return self.peer_value / self.reference


def _seconds(value: float | None) -> str:
    if value is None:
        return ""
    if value >= 1:
        return f"{value:.2f} s"
    if value >= 1e-3:
        return f"{value * 1e3:.1f} ms"
    return f"{value * 1e6:.0f} µs"


def _bytes(value: float | None) -> str:
    if value is None:
        return ""
    if abs(value) >= 2**20:
        return f"{value / 2**20:.1f} MiB"
    return f"{value / 2**10:.1f} KiB"


def _ratio(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}x"


def markdown_table(results: list[Result]) -> str:
    """The results as one Markdown table, one row per (subject, peer) pair."""
    header = (
        "| transformer | benchmark | data | skscale | median | peer | peer median "
        "| vs peer | vs bound | peer vs bound |\n"
        "|---|---|---|---|---:|---|---:|---:|---:|---:|\n"
    )
    lines = []
    for r in results:
        show = _bytes if r.is_memory else _seconds
        lines.append(
            f"| {r.transformer} | {r.benchmark} | {r.data} | `{r.subject}` "
            f"| {show(r.value)} | {'`' + r.peer + '`' if r.peer else ''} "
            f"| {show(r.peer_value)} | {_ratio(r.vs_peer)} "
            f"| {_ratio(r.vs_reference)} | {_ratio(r.peer_vs_reference)} |"
        )
    return header + "\n".join(lines) + "\n"


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()
