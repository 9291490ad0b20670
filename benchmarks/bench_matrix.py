"""The benchmark matrix: every public transformer x input kind x call, with peers.

Run ``python benchmarks/run_all.py --matrix [--tiny]`` (it writes
``results.md``) or ``python benchmarks/bench_matrix.py [--tiny]`` (it prints
the table). Each cell times one skscale call, its peer and a copy bound in
the same rounds (``_common.median_times``):

- calls: ``fit``, ``partial_fit`` over 4 row chunks, ``transform``;
- inputs: dense float64, dense float32, float64 with 1% NaN, CSR and CSC
  (where the map sends 0 to 0; 1% stored), and a Dask array persisted on a
  2-worker ``LocalCluster`` (4 row chunks);
- peers: scikit-learn's ``MinMaxScaler``, ``StandardScaler``,
  ``FunctionTransformer(np.log1p)``, ``Binarizer``, ``QuantileTransformer``
  and ``KBinsDiscretizer``, feature-engine's ``Winsorizer``, dask-ml's
  ``MinMaxScaler``, ``StandardScaler`` and ``QuantileTransformer`` for Dask.
  Where the peer learns nothing at fit (``FunctionTransformer``,
  ``Binarizer``) the fit's peer is the numpy (or dask.array) reduction of the
  same statistic. A cell without a peer says why.
- the copy bound: ``np.copyto`` of what the call reads (X, or the stored
  values of a sparse matrix), or for an encoder's transform of an array the
  size of its output.

The transform's output is checked equal to the peer's (where they define the
same numbers) before timing. Dask transforms are timed to a persisted result
(``wait(result.persist())``), so that both sides do the work on the cluster.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from _common import (
    add_size_arguments,
    copy_bound,
    make_data,
    median_times,
    size_from_args,
)
from _matrix_peers import SPECS, Spec, is_dask, is_sparse_kind
from scipy import sparse

import skscale

# (dense rows, dense features, sparse rows, sparse features, repeats)
MATRIX_SIZES = {
    "tiny": (2_000, 5, 2_000, 50, 1),
    "small": (100_000, 20, 200_000, 500, 3),
    "large": (1_000_000, 20, 1_000_000, 500, 5),
}
DENSITY = 0.01
N_CHUNKS = 4
KINDS = ("float64", "float32", "float64, 1% NaN", "CSR", "CSC", "Dask")
CALLS = ("fit", "partial_fit", "transform")


# --- inputs ------------------------------------------------------------------


def make_inputs(size: str, client=None) -> dict:
    """Every kind of input at one profile (Dask persisted on ``client``)."""
    n_rows, n_features, sparse_rows, sparse_features, _ = MATRIX_SIZES[size]
    inputs = dict(make_data(n_rows, n_features))
    rng = np.random.default_rng(1)
    S = sparse.random(
        sparse_rows,
        sparse_features,
        density=DENSITY,
        format="csr",
        rng=rng,
        data_rvs=lambda k: 100.0 * rng.standard_exponential(k),
    )
    inputs["CSR"], inputs["CSC"] = S, S.tocsc()
    if client is not None:
        import dask.array as da

        rows = -(-n_rows // N_CHUNKS)
        X = inputs["float64"]
        inputs["Dask"] = client.persist(da.from_array(X, chunks=(rows, n_features)))
    return inputs


def _chunks(X) -> list:
    """4 row chunks (views or lazy slices, made outside the timing)."""
    edges = np.linspace(0, X.shape[0], N_CHUNKS + 1).astype(int)
    return [X[a:b] for a, b in zip(edges[:-1], edges[1:])]


def _host(X) -> np.ndarray:
    """What the copy bound copies: X, a sparse matrix's stored values, or
    the NumPy array behind a Dask one."""
    if sparse.issparse(X):
        return X.data
    if is_dask(X):
        return X.compute()
    return X


def _dense(result) -> np.ndarray:
    if sparse.issparse(result):
        return result.toarray()
    if is_dask(result):
        return result.compute()
    return np.asarray(result)


# --- cells -------------------------------------------------------------------


@dataclass
class Cell:
    """One timed cell; ``note`` says why a part is missing."""

    transformer: str
    call: str
    kind: str
    subject: str
    seconds: float | None = None
    peer: str = ""
    peer_seconds: float | None = None
    bound: float | None = None
    note: str = ""

    @property
    def vs_peer(self) -> float | None:
        if self.seconds is None or not self.peer_seconds:
            return None
        return self.seconds / self.peer_seconds

    @property
    def vs_bound(self) -> float | None:
        if self.seconds is None or not self.bound:
            return None
        return self.seconds / self.bound


def _runner(call: str, make: Callable, X, chunks):
    """The callable timed for one side of a cell."""
    if call == "fit":
        return lambda: make().fit(X)
    if call == "partial_fit":

        def partial():
            estimator = make()
            for chunk in chunks:
                estimator.partial_fit(chunk)

        return partial
    fitted = make().fit(X)
    if is_dask(X):
        from distributed import wait

        return lambda: wait(fitted.transform(X).persist())
    return lambda: fitted.transform(X)


def _check_transform(ours, peer, X, kind) -> None:
    """Equal outputs before timing, so a fast wrong kernel cannot look good."""
    got = _dense(ours.fit(X).transform(X))
    expected = _dense(peer.fit(X).transform(X))
    if kind == "float32":
        # scikit-learn rounds QuantileTransformer's CDF to float32: in the
        # normal's steep tails that moves the output by a few parts in 1e4.
        tolerance = {"rtol": 1e-3, "atol": 1e-3}
    else:
        tolerance = {"rtol": 1e-7, "atol": 1e-9}
    np.testing.assert_allclose(got, expected, **tolerance, err_msg=str(ours))


def run_cell(spec: Spec, kind: str, call: str, X, repeats: int) -> Cell:
    label = spec.transform_label if call == "transform" else spec.fit_label
    if is_sparse_kind(kind) and spec.transformer == "ZScoreScaler":
        label = "ZScoreScaler(with_mean=False)"
    suffix = f".partial_fit x {N_CHUNKS}" if call == "partial_fit" else f".{call}"
    cell = Cell(spec.transformer, call, kind, f"{label}{suffix}")
    make = lambda: spec.make(kind, call)  # noqa: E731
    try:
        make().fit(_chunks(X)[0])
    except TypeError as error:  # sparse input refused: the map moves zeros
        cell.note = f"n/a: {str(error).split(':')[0]}"
        return cell
    chunks = _chunks(X) if call == "partial_fit" else None
    peer = spec.peer(kind, call)
    cases = {"ours": _runner(call, make, X, chunks)}
    if isinstance(peer, str):
        cell.note = f"no peer: {peer}"
    else:
        cell.peer, make_peer = peer
        # dask-ml's QuantileTransformer reads approximate quantiles: no check.
        approximate = kind == "Dask" and "Quantile" in cell.peer
        if call == "transform" and spec.check and not approximate:
            _check_transform(make(), make_peer(), X, kind)
        cases["peer"] = _runner(call, make_peer, X, chunks)
    host = _host(X)
    if call == "transform" and spec.width > 1:
        # An encoder writes `width` times X: the bound is writing its output.
        host = np.ones((host.shape[0], host.shape[1] * spec.width), host.dtype)
    cases["copy"] = copy_bound(host)
    times = median_times(cases, repeats=repeats)
    cell.seconds, cell.bound = times["ours"], times["copy"]
    cell.peer_seconds = times.get("peer")
    return cell


def run(size: str = "small", *, log: Callable[[str], None] = print) -> list[Cell]:
    """Every cell of the matrix at one profile, the Dask ones on a 2-worker
    LocalCluster started here."""
    *_, repeats = MATRIX_SIZES[size]
    from distributed import Client, LocalCluster

    cluster = LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    cells = []
    with cluster, Client(cluster) as client:
        inputs = make_inputs(size, client)
        for spec in SPECS:
            for kind in KINDS:
                X = inputs[kind]
                if spec.width > 1 and not is_sparse_kind(kind):
                    # An encoder's output is `width` times X: fewer rows.
                    X = X[: X.shape[0] // 8]
                for call in CALLS:
                    cell = run_cell(spec, kind, call, X, repeats)
                    cells.append(cell)
                    log(
                        f"  {spec.transformer} {call} on {kind}: "
                        f"vs peer {_ratio(cell.vs_peer) or '-'}, "
                        f"vs bound {_ratio(cell.vs_bound) or '-'}"
                    )
    return cells


# --- the targets at their own sizes ------------------------------------

# (Clipper fit rows, QuantileNormalizer rows, PiecewiseLinearEncoder rows)
TARGET_ROWS = {
    "tiny": (2_000, 2_000, 2_000),
    "small": (2_000_000, 2_000_000, 100_000),
    "large": (2_000_000, 2_000_000, 100_000),
}


def run_targets(size: str, *, log: Callable[[str], None] = print) -> list[Cell]:
    """The calls whose targets are stated at sizes of their own, each against
    its copy bound (of X, or of the encoder's output)."""
    clip_rows, quantile_rows, encoder_rows = TARGET_ROWS[size]
    repeats = MATRIX_SIZES[size][-1]
    cells = []
    X = make_data(clip_rows, 20)["float64"]
    log(f"  target: Clipper fit on {clip_rows:,} x 20")
    cells.append(
        _timed_against_copy(
            "Clipper",
            "fit",
            f"float64, {clip_rows:,} x 20",
            "Clipper(quantile_range=(1, 99)).fit",
            lambda: skscale.Clipper(quantile_range=(1, 99)).fit(X),
            X,
            repeats,
        )
    )
    X = make_data(quantile_rows, 8)["float64"]
    fitted = skscale.QuantileNormalizer(1000).fit(X)
    log(f"  target: QuantileNormalizer transform on {quantile_rows:,} x 8")
    cells.append(
        _timed_against_copy(
            "QuantileNormalizer",
            "transform",
            f"float64, {quantile_rows:,} x 8",
            "QuantileNormalizer(1000).transform",
            lambda: fitted.transform(X),
            X,
            repeats,
        )
    )
    X = make_data(encoder_rows, 8)["float64"]
    encoder = skscale.PiecewiseLinearEncoder(32).fit(X)
    output = np.ones((encoder_rows, 8 * 32))
    log(f"  target: PiecewiseLinearEncoder(32) transform on {encoder_rows:,} x 8")
    cells.append(
        _timed_against_copy(
            "PiecewiseLinearEncoder",
            "transform",
            f"float64, {encoder_rows:,} x 8 (bound: its output)",
            "PiecewiseLinearEncoder(32).transform",
            lambda: encoder.transform(X),
            output,
            repeats,
        )
    )
    return cells


def _timed_against_copy(transformer, call, kind, subject, func, host, repeats):
    times = median_times({"ours": func, "copy": copy_bound(host)}, repeats=repeats)
    return Cell(transformer, call, kind, subject, times["ours"], bound=times["copy"])


# --- the table ---------------------------------------------------------------


def _seconds(value):
    if value is None:
        return ""
    return f"{value * 1e3:.1f} ms" if value < 1 else f"{value:.2f} s"


def _ratio(value):
    return "" if value is None else f"{value:.2f}x"


def markdown(cells: list[Cell], *, with_summary: bool = True) -> str:
    """The matrix as a Markdown table, and its summary line."""
    lines = [
        "| transformer | call | input | skscale | median | peer | peer median "
        "| vs peer | vs bound | note |",
        "|---|---|---|---|---:|---|---:|---:|---:|---|",
    ]
    for c in cells:
        slower = c.vs_peer is not None and c.vs_peer > 1
        vs_peer = f"**{_ratio(c.vs_peer)}**" if slower else _ratio(c.vs_peer)
        lines.append(
            f"| {c.transformer} | {c.call} | {c.kind} | `{c.subject}` "
            f"| {_seconds(c.seconds)} | {'`' + c.peer + '`' if c.peer else ''} "
            f"| {_seconds(c.peer_seconds)} | {vs_peer} | {_ratio(c.vs_bound)} "
            f"| {c.note} |"
        )
    if not with_summary:
        return "\n".join(lines) + "\n"
    return "\n".join(lines) + "\n\n" + summary(cells) + "\n"


def summary(cells: list[Cell]) -> str:
    timed = [c for c in cells if c.seconds is not None]
    with_peer = [c for c in timed if c.vs_peer is not None]
    slower = [c for c in with_peer if c.vs_peer > 1]
    return (
        f"**Summary: {len(slower)} of {len(with_peer)} cells with a peer are "
        f"slower than their peer** ({len(cells)} cells: {len(timed)} timed, "
        f"{len(timed) - len(with_peer)} without a peer, "
        f"{len(cells) - len(timed)} not applicable)."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_size_arguments(parser)
    args = parser.parse_args()
    print(markdown(run(size_from_args(args))))


if __name__ == "__main__":
    main()
