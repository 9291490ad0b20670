"""Run skscale's benchmark suite and write ``results.md``.

::

    python benchmarks/run_all.py            # small: 200,000 x 20, a minute or two
    python benchmarks/run_all.py --large    # 2,000,000 x 20 float64
    python benchmarks/run_all.py --tiny     # CI smoke: 2,000 x 5, seconds
    python benchmarks/run_all.py --matrix   # every transformer x input x call,
                                            # into benchmarks/matrix.md

The results file holds the machine it ran on, the speed targets each marked
met or not met with the measured ratio, and every timing with its peer and
copy bound. ``benchmarks/bench_mlp.py`` runs too when it exists. Benchmarks are
not tests: nothing here fails because something is slow.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

import bench_encoders
import bench_functions
import bench_matrix
import bench_transformers
from _common import SIZES, Result, add_size_arguments, cpu_model, markdown_table

HERE = Path(__file__).resolve().parent
MLP_SCRIPT = HERE / "bench_mlp.py"

FIT_TARGET_SUBJECTS = [
    "LinearScaler().fit(X)",
    "ZScoreScaler().fit(X)",
    "LogTransformer(offset='auto').fit(X)",
    "BinaryThresholder('mean').fit(X)",
]
QUANTILE_SUBJECTS = [
    "Clipper(quantile_range=(1, 99)).fit(X)",
    "BinaryThresholder('median').fit(X)",
]


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def _load() -> str:
    if not hasattr(os, "getloadavg"):
        return "unknown"
    return ", ".join(f"{value:.2f}" for value in os.getloadavg())


def skscale_source() -> str:
    """Which skscale was measured: its git commit and uncommitted files.

    Not its path: the results are published on the documentation site, where
    a path of the benchmark machine means nothing to a reader.
    """
    import skscale

    package = Path(skscale.__file__).resolve().parent

    def git(*args: str) -> str:
        try:
            return subprocess.run(
                ["git", "-C", str(package), *args],
                capture_output=True,
                text=True,
                timeout=30,
            ).stdout.rstrip()
        except (OSError, subprocess.TimeoutExpired):
            return ""

    commit = git("rev-parse", "--short", "HEAD").strip()
    if not commit:
        return "an installed copy (not a git checkout)"
    changed = git("status", "--porcelain", "--", ".").splitlines()
    dirty = ", ".join(line[3:] for line in changed) if changed else "none"
    return f"commit {commit}; uncommitted changes: {dirty}"


def machine_info(load_at_start: str) -> list[str]:
    affinity = (
        len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    )
    return [
        f"- CPU: {cpu_model()}",
        f"- cores: {os.cpu_count()} (usable by this process: {affinity})",
        f"- load average (1, 5, 15 min) at start: {load_at_start}; at end: {_load()}",
        f"- OS: {platform.platform()}",
        f"- Python {platform.python_version()}, numpy {_version('numpy')}, "
        f"scikit-learn {_version('scikit-learn')}, pandas {_version('pandas')}, "
        f"skscale {_version('skscale')}, feature-engine {_version('feature-engine')}",
        f"- skscale measured: {skscale_source()}",
        f"- date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC",
    ]


def _find(results: list[Result], benchmark: str, subject: str, data: str):
    for r in results:
        if (r.benchmark, r.subject, r.data) == (benchmark, subject, data):
            return r
    return None


def _target_row(label: str, measured: float | None, limit: float, at_most: bool):
    if measured is None:
        return f"| {label} | not measured | |"
    met = measured <= limit if at_most else measured >= limit
    sign = "<=" if at_most else ">="
    verdict = "met" if met else "**not met**"
    return f"| {label} ({sign} {limit:g}x) | {measured:.2f}x | {verdict} |"


def targets_table(results: list[Result]) -> str:
    """The speed targets, each with its measured ratio and a verdict."""
    rows = ["| target | measured | verdict |", "|---|---:|---|"]
    transforms = [c.subject for c in bench_transformers.TRANSFORM_CASES]
    for copy, limit in (("True", 3.0), ("False", 2.0)):
        for subject in transforms:
            r = _find(results, "time_transform", subject, f"float64, copy={copy}")
            label = f"`{subject}` copy={copy}, vs copy bound"
            rows.append(_target_row(label, r and r.vs_reference, limit, True))
    for data, limit in (("float64", 3.0), ("float64, 1% NaN", 4.0)):
        for subject in FIT_TARGET_SUBJECTS:
            r = _find(results, "time_fit", subject, data)
            label = f"`{subject}` on {data}, vs copy bound"
            rows.append(_target_row(label, r and r.vs_reference, limit, True))
    for subject in QUANTILE_SUBJECTS:
        r = _find(results, "time_fit", subject, "float64")
        label = f"`{subject}` (exact quantiles), vs copy bound"
        rows.append(_target_row(label, r and r.vs_reference, 15.0, True))
    fit_subjects = [c.subject for c in bench_transformers.FIT_CASES]
    for benchmark, subjects, suffix in (
        ("time_fit", fit_subjects, ""),
        ("time_transform", transforms, ", copy=True"),
    ):
        for subject in subjects:
            r64 = _find(results, benchmark, subject, "float64" + suffix)
            r32 = _find(results, benchmark, subject, "float32" + suffix)
            speedup = r64.value / r32.value if r64 and r32 else None
            label = f"`{subject}`{suffix}: float32 speed-up over float64"
            rows.append(_target_row(label, speedup, 1.5, False))
    for subject in transforms:
        r = _find(results, "peakmem_transform", subject, "float64, copy=True")
        label = f"`{subject}` peak extra memory, vs output size"
        rows.append(_target_row(label, r and r.vs_reference, 1.1, True))
    for subject in dict.fromkeys(fit_subjects):
        for data in ("float64", "float64, 1% NaN"):
            r = _find(results, "peakmem_fit", subject, data)
            label = f"`{subject}` on {data} peak extra memory, vs X"
            rows.append(_target_row(label, r and r.vs_reference, 0.1, True))
    return "\n".join(rows) + "\n"


def run_mlp(size: str, log) -> str:
    """bench_mlp.py's output, run with its own CLI, or why it did not run."""
    if not MLP_SCRIPT.exists():
        return "`benchmarks/bench_mlp.py` does not exist yet: not run.\n"
    try:
        help_text = subprocess.run(
            [sys.executable, str(MLP_SCRIPT), "--help"],
            capture_output=True,
            text=True,
            timeout=120,
        ).stdout
    except subprocess.TimeoutExpired:
        return "`bench_mlp.py --help` timed out: not run.\n"
    flags = []
    if size != "small":
        if f"--{size}" not in help_text:
            return f"`bench_mlp.py` has no `--{size}` profile: not run at this size.\n"
        flags = [f"--{size}"]
    command = [sys.executable, str(MLP_SCRIPT), *flags]
    log(f"bench_mlp: {' '.join(['bench_mlp.py', *flags])}")
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=3600)
    except subprocess.TimeoutExpired:
        return "`bench_mlp.py` timed out after an hour.\n"
    shown = f"`python benchmarks/bench_mlp.py {' '.join(flags)}`".replace(" `", "`")
    if done.returncode != 0:
        return (
            f"{shown} failed (exit {done.returncode}):\n\n"
            f"```\n{done.stderr.strip()[-3000:]}\n```\n"
        )
    output = done.stdout.strip()
    if any(line.startswith("|") for line in output.splitlines()):
        return f"Output of {shown}:\n\n{output}\n"
    return f"Output of {shown}:\n\n```\n{output}\n```\n"


def render(
    size: str,
    results,
    function_results,
    mlp: str,
    seconds: float,
    load: str,
    encoder_results=(),
) -> str:
    n_rows, n_features, repeats = SIZES[size]
    flag = {"tiny": " --tiny", "large": " --large", "small": ""}[size]
    megabytes = round(n_rows * n_features * 8 / 1e6, 1)
    profile_note = (
        ""
        if size == "large"
        else (
            "\nThe targets are stated for the `--large` profile; at this size "
            "per-call overheads dominate and the verdicts are only indicative.\n"
        )
    )
    return f"""# skscale benchmark results

Generated by `python benchmarks/run_all.py{flag}` in {seconds:.0f} s: the
{size} profile, X of {n_rows:,} x {n_features} ({megabytes:g} MB in float64),
the median of {repeats} timed calls after one warm-up. See
`benchmarks/README.md` for what is measured. Benchmarks are not tests; the
machine is shared, so expect a few tens of percent of noise on any one figure
(the ratios are steadier than the times: every case is interleaved with its
peer and its copy bound, round by round).

## Machine

{chr(10).join(machine_info(load))}

## Speed targets
{profile_note}
Ratios to the copy bound (`np.copyto` of the same array into a preallocated
one, timed in the same rounds); memory ratios to the output's size
(`transform`) or to X's size (`fit`).

{targets_table(results)}
## Transformers

"vs peer" is skscale's median over the peer's (below 1: skscale is faster);
"vs bound" is over the copy bound for `time_*` rows, and over the output size
(`peakmem_transform`) or X's size (`peakmem_fit`) for memory rows.

{markdown_table(results)}
## The course's functions against their `Series.apply` originals

{markdown_table(function_results)}
## Quantile encoders

`benchmarks/bench_encoders.py`: QuantileNormalizer and PiecewiseLinearEncoder
beside QuantileTransformer and KBinsDiscretizer, on the encoders' own sizes
(see its docstring); "vs bound" is over the copy bound of what the call
writes.

{markdown_table(list(encoder_results))}
## MLP epoch

{mlp}"""


def matrix_targets(cells, targets) -> str:
    """Issue 19's targets, each with its measured ratio and a verdict."""
    rows = ["| target | measured | verdict |", "|---|---:|---|"]

    def cell(transformer, call, kind):
        for c in cells:
            if (c.transformer, c.call, c.kind) == (transformer, call, kind):
                return c
        return None

    for kind in ("CSR", "CSC"):
        for call in ("fit", "transform"):
            c = cell("ZScoreScaler", call, kind)
            label = (
                f"`ZScoreScaler(with_mean=False).{call}` on {kind}, vs StandardScaler"
            )
            rows.append(_target_row(label, c and c.vs_peer, 1.0, True))
    for c, limit in zip(targets, (8.0, 40.0, 2.0)):
        label = f"`{c.subject}` on {c.kind}, vs copy bound"
        rows.append(_target_row(label, c.vs_bound, limit, True))
    for spec in bench_matrix.SPECS:
        c64 = cell(spec.transformer, "fit", "float64")
        c32 = cell(spec.transformer, "fit", "float32")
        speedup = None
        if c64 and c32 and c64.seconds and c32.seconds:
            speedup = c64.seconds / c32.seconds
        label = f"`{spec.fit_label}.fit`: float32 speed-up over float64"
        rows.append(_target_row(label, speedup, 1.3, False))
    for c in cells:
        if c.kind == "Dask" and c.call != "partial_fit" and c.peer:
            label = f"`{c.subject}` on Dask, vs `{c.peer}`"
            rows.append(_target_row(label, c.vs_peer, 1.0, True))
    return "\n".join(rows) + "\n"


def render_matrix(size, cells, targets, seconds, load) -> str:
    n_rows, n_features, sparse_rows, sparse_features, repeats = (
        bench_matrix.MATRIX_SIZES[size]
    )
    flag = {"tiny": " --tiny", "large": " --large", "small": ""}[size]
    return f"""# skscale benchmark matrix

Generated by `python benchmarks/run_all.py --matrix{flag}` in {seconds:.0f} s:
dense X of {n_rows:,} x {n_features} (float64, float32, float64 with 1% NaN;
encoders on the first eighth of the rows, as their output is 32 times X),
sparse X of {sparse_rows:,} x {sparse_features} with
{bench_matrix.DENSITY:.0%} stored (CSR and CSC), and the float64 X as a Dask
array of {bench_matrix.N_CHUNKS} row chunks persisted on a 2-worker
LocalCluster (one thread each); the median of {repeats} timed calls after one
warm-up, skscale, its peer and the copy bound interleaved round by round.
`benchmarks/bench_matrix.py` says what each cell measures. Benchmarks are not
tests; the machine is shared, so expect a few tens of percent of noise on any
one figure, and read the ratios rather than the times.

## Machine

{chr(10).join(machine_info(load))}

## Issue 19 targets

{matrix_targets(cells, targets)}
## The matrix

"vs peer" is skscale's median over the peer's (above 1, in bold: skscale is
slower); "vs bound" is over the copy bound (`np.copyto` of X, of a sparse
matrix's stored values, of the NumPy array behind the Dask one, or of an
array the size of an encoder's output).

{bench_matrix.markdown(cells)}
## Targets at their own sizes

{bench_matrix.markdown(targets, with_summary=False)}"""


def run_matrix(size: str, output: Path, log) -> None:
    start = time.perf_counter()
    load_at_start = _load()
    cells = bench_matrix.run(size, log=log)
    targets = bench_matrix.run_targets(size, log=log)
    seconds = time.perf_counter() - start
    text = render_matrix(size, cells, targets, seconds, load_at_start)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    log(bench_matrix.summary(cells))
    log(f"wrote {output}")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_size_arguments(parser)
    parser.add_argument(
        "--output",
        type=Path,
        default=None,
        help="where to write the Markdown results (default: benchmarks/results.md, "
        "or benchmarks/matrix.md with --matrix)",
    )
    parser.add_argument(
        "--skip-mlp", action="store_true", help="do not run bench_mlp.py"
    )
    parser.add_argument(
        "--matrix",
        action="store_true",
        help="run the matrix (bench_matrix.py: every transformer x input kind x "
        "call, with peers) instead of the suite",
    )
    args = parser.parse_args(argv)
    size = "tiny" if args.tiny else "large" if args.large else "small"

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    if args.matrix:
        # A file of its own: docs/benchmark_pages.py reads results.md's format.
        run_matrix(size, args.output or HERE / "matrix.md", log)
        return
    args.output = args.output or HERE / "results.md"

    start = time.perf_counter()
    load_at_start = _load()
    results = bench_transformers.run(size, log=log)
    function_results = bench_functions.run(size, log=log)
    encoder_results = bench_encoders.run(size, log=log)
    mlp = "Skipped (`--skip-mlp`).\n" if args.skip_mlp else run_mlp(size, log)
    seconds = time.perf_counter() - start
    text = render(
        size, results, function_results, mlp, seconds, load_at_start, encoder_results
    )
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    log(f"wrote {args.output}")


if __name__ == "__main__":
    main()
