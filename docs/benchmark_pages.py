"""The performance page's numbers and figure, from ``benchmarks/results.md``.

``python benchmarks/run_all.py --large`` writes ``benchmarks/results.md``;
``conf.py`` calls :func:`write_benchmark_pages` before Sphinx reads the
sources, so the page's headline table and its figure are redrawn from that
file at every build, and never copied by hand. ``tests/test_docs.py`` checks
the figures that README.md quotes against the same file.
"""

import re
from pathlib import Path

RESULTS = Path(__file__).resolve().parents[1] / "benchmarks" / "results.md"

# The headline table: (benchmark, data, skscale's call as results.md names it).
HEADLINE = [
    ("time_fit", "float64", "LinearScaler().fit(X)"),
    ("time_fit", "float64", "ZScoreScaler().fit(X)"),
    ("time_fit", "float64, 1% NaN", "ZScoreScaler().fit(X)"),
    ("time_fit", "float64", "Clipper(quantile_range=(1, 99)).fit(X)"),
    ("time_fit", "float64", "BinaryThresholder('median').fit(X)"),
    ("time_transform", "float64, copy=True", "LinearScaler().transform(X)"),
    ("time_transform", "float64, copy=True", "ZScoreScaler().transform(X)"),
    ("time_transform", "float64, copy=True", "LogTransformer().transform(X)"),
    (
        "time_transform",
        "float64, copy=True",
        "BinaryThresholder(threshold=100).transform(X)",
    ),
]


def result_rows(text=None):
    """Every row of results.md's tables with the ten columns of a benchmark.

    Returns a list of dicts keyed by the header's names (``"skscale"``,
    ``"vs bound"``, ``"peer vs bound"``, ...), code quotes removed.
    """
    text = RESULTS.read_text() if text is None else text
    rows, header = [], None
    for line in text.splitlines():
        if not line.startswith("|"):
            header = None
            continue
        cells = [cell.strip().strip("`") for cell in line.strip("|").split("|")]
        if header is None:
            header = cells
        elif not set(line) <= set("|-: ") and "vs bound" in header:
            rows.append(dict(zip(header, cells)))
    return rows


def ratio(text):
    """``"2.43x"`` -> 2.43."""
    return float(text.rstrip("x"))


def peer_name(call):
    """The peer's class or function: ``"MinMaxScaler(...).fit(X)"`` ->
    ``"MinMaxScaler"``; a FunctionTransformer keeps the function it wraps."""
    if call.startswith("s.apply"):
        return "Series.apply"
    kept = re.match(r"FunctionTransformer\(np\.\w+\)", call)
    if kept:
        return kept.group(0)
    return re.split(r"[(.]", call.replace("np.", "np·"))[0].replace("np·", "np.")


def headline_rows(rows=None):
    """[(call, skscale ratio, peer, peer ratio)] of the headline table."""
    rows = result_rows() if rows is None else rows
    found = []
    for benchmark, data, call in HEADLINE:
        matches = [
            r
            for r in rows
            if (r["benchmark"], r["data"], r["skscale"]) == (benchmark, data, call)
        ]
        if not matches:
            raise ValueError(f"benchmarks/results.md has no row {call} ({data})")
        # A call timed against several peers (Clipper's fit against numpy's
        # percentiles, then feature-engine's Winsorizer where it is
        # installed) has a row per peer: the first is the headline's.
        row = matches[0]
        # the peer's class or function: "MinMaxScaler(...).fit(X)" ->
        # "MinMaxScaler"; a FunctionTransformer keeps the function it wraps
        kept = re.match(r"FunctionTransformer\(np\.\w+\)", row["peer"])
        peer = (
            kept.group(0)
            if kept
            else re.split(r"[(.]", row["peer"].replace("np.", "np·"))[0]
        )
        label = f"``{call}``" + (", 1% NaN" if "NaN" in data else "")
        found.append((label, ratio(row["vs bound"]), peer.replace("np·", "np."), row))
    return [
        (label, ours, f"``{peer}``", ratio(row["peer vs bound"]))
        for label, ours, peer, row in found
    ]


def headline_table(rows=None):
    """The headline table as Markdown (times as multiples of a copy)."""
    lines = ["| call | skscale | peer | peer's time |", "|---|---:|---|---:|"]
    for call, ours, peer, theirs in headline_rows(rows):
        lines.append(f"| {call} | {ours:.1f}x | {peer} | {theirs:.1f}x |")
    return "\n".join(lines).replace("``", "`") + "\n"


def draw_figure(path, rows=None):
    """Every timed benchmark as two bars, skscale's and its peer's time as a
    multiple of a copy of the array, on a log scale; one panel per kind."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = result_rows() if rows is None else rows
    timed = [r for r in rows if r["benchmark"].startswith("time_")]
    panels = [
        ("fit", [r for r in timed if r["benchmark"] == "time_fit"]),
        ("transform", [r for r in timed if r["benchmark"] == "time_transform"]),
        (
            "the course's functions against Series.apply",
            [r for r in timed if r["transformer"] == "functions"],
        ),
    ]
    heights = [len(panel_rows) for _, panel_rows in panels]
    fig, axes = plt.subplots(
        len(panels),
        1,
        figsize=(10, 0.24 * sum(heights) + 2.5),
        gridspec_kw={"height_ratios": heights},
        sharex=True,
    )
    for ax, (title, panel_rows) in zip(axes, panels):
        labels = [
            f"{r['skscale']}, {r['data'].removeprefix('Series of ')}"
            f" / {peer_name(r['peer'])}"
            for r in panel_rows
        ]
        positions = range(len(panel_rows))
        ours = [ratio(r["vs bound"]) for r in panel_rows]
        theirs = [ratio(r["peer vs bound"]) for r in panel_rows]
        ax.barh([p - 0.2 for p in positions], ours, 0.4, label="skscale")
        ax.barh([p + 0.2 for p in positions], theirs, 0.4, label="peer (after the /)")
        ax.set_yticks(list(positions), labels, fontsize=6)
        ax.invert_yaxis()
        ax.set_title(title, fontsize=9, loc="left")
        ax.axvline(1.0, color="0.3", linewidth=0.8)
    axes[0].legend(fontsize=7, loc="lower right")
    axes[-1].set_xscale("log")
    axes[-1].set_xlabel(
        "time / time of a copy of the array (log scale; lower is faster)"
    )
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write_benchmark_pages(folder):
    """Write ``headline.md`` and ``benchmarks.png`` into ``folder`` when
    results.md is newer than them (keeps incremental builds incremental)."""
    folder = Path(folder)
    folder.mkdir(exist_ok=True)
    table, figure = folder / "headline.md", folder / "benchmarks.png"
    text = headline_table()
    if not table.exists() or table.read_text() != text:
        table.write_text(text)
    if not figure.exists() or figure.stat().st_mtime < RESULTS.stat().st_mtime:
        draw_figure(figure)
