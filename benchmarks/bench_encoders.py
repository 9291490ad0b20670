"""The quantile encoders' fit and transform beside scikit-learn's.

Run ``python benchmarks/bench_encoders.py [--tiny | --large]``; it prints a
Markdown table. ``run_all.py`` calls :func:`run` and adds the table to
``results.md``.

Subjects and peers:

- ``QuantileNormalizer(1000)`` against ``QuantileTransformer(n_quantiles=1000,
  output_distribution="normal")``, both with ``subsample=None`` (exact, the
  case where their outputs are equal, checked before timing) and, for fit,
  with scikit-learn's default ``subsample=10_000`` (a sample's quantiles,
  which skscale does not do);
- ``PiecewiseLinearEncoder(16)`` against ``KBinsDiscretizer(16,
  encode="onehot-dense", strategy="quantile", subsample=None)``: the same
  quantile bins, one output column per bin, a step instead of a ramp (the
  edges are checked equal where both use numpy's linear interpolation).

The reference ("vs bound") is the copy bound of what the call must write:
X for fits and QuantileNormalizer's transform, the ``n_rows x (16 * n_features)``
output for the encoders' transforms. The encoders have their own sizes (the
output of a 16-bin encoding is 16 times X): 2,000 x 5 (``--tiny``),
100,000 x 8 (default) and 1,000,000 x 8 (``--large``, 1 GB of output).
"""

from __future__ import annotations

import argparse
import inspect
from functools import partial

import numpy as np
from _common import Result, copy_bound, markdown_table, median_times
from sklearn.preprocessing import KBinsDiscretizer, QuantileTransformer

from skscale import PiecewiseLinearEncoder, QuantileNormalizer

ENCODER_SIZES = {
    "tiny": (2_000, 5, 3),
    "small": (100_000, 8, 5),
    "large": (1_000_000, 8, 3),
}
N_BINS = 16
N_QUANTILES = 1000


def make_data(n_rows: int, n_features: int) -> dict[str, np.ndarray]:
    """Skewed columns of mixed scales (as the course's), float64 and float32."""
    rng = np.random.default_rng(0)
    X = rng.lognormal(size=(n_rows, n_features)) * np.geomspace(1, 1000, n_features)
    return {"float64": X, "float32": X.astype(np.float32)}


def _kbins(n_bins: int):
    options = dict(encode="onehot-dense", strategy="quantile", subsample=None)
    if "quantile_method" in inspect.signature(KBinsDiscretizer).parameters:
        options["quantile_method"] = "linear"  # numpy's default, as skscale
    return KBinsDiscretizer(n_bins, **options)


def _quantile_transformer(subsample):
    return QuantileTransformer(
        n_quantiles=N_QUANTILES, output_distribution="normal", subsample=subsample
    )


def _check(X: np.ndarray) -> None:
    """Equal outputs where the definitions agree, before anything is timed."""
    ours = QuantileNormalizer(N_QUANTILES).fit(X)
    exact = _quantile_transformer(None).fit(X)
    # float32: scikit-learn rounds the CDF to float32 before the steep normal tails
    tolerance = {"rtol": 1e-6, "atol": 1e-3} if X.dtype == np.float32 else {}
    np.testing.assert_allclose(ours.quantiles_, exact.quantiles_, **tolerance)
    np.testing.assert_allclose(ours.transform(X), exact.transform(X), **tolerance)
    encoder = PiecewiseLinearEncoder(N_BINS).fit(X)
    kbins = _kbins(N_BINS).fit(X)
    for ours_edges, kbins_edges in zip(encoder.bin_edges_, kbins.bin_edges_):
        np.testing.assert_allclose(ours_edges, kbins_edges, **tolerance)
    # PLE's ramps round down to KBins' one-hot steps (bins below read 1)
    steps = np.floor(encoder.transform(X)).clip(0, 1)
    assert steps.shape == kbins.transform(X).shape


def _rows(name, benchmark, data, subject, value, peers, reference):
    return [
        Result(name, benchmark, data, subject, value, peer, peer_value, reference)
        for peer, peer_value in peers
    ]


def run(size: str = "small", log=print) -> list[Result]:
    """Time both encoders against their peers; returns the table's rows."""
    n_rows, n_features, repeats = ENCODER_SIZES[size]
    results = []
    for data, X in make_data(n_rows, n_features).items():
        log(f"encoders: {data} {n_rows:,} x {n_features}")
        _check(X[: min(n_rows, 20_000)])
        normalizer = QuantileNormalizer(N_QUANTILES).fit(X)
        transformer = _quantile_transformer(None).fit(X)
        encoder = PiecewiseLinearEncoder(N_BINS).fit(X)
        kbins = _kbins(N_BINS).fit(X)
        out_bound = copy_bound(np.empty((n_rows, N_BINS * n_features), X.dtype))
        times = median_times(
            {
                "qn_fit": partial(QuantileNormalizer(N_QUANTILES).fit, X),
                "qt_fit": partial(_quantile_transformer(None).fit, X),
                "qt_fit_sub": partial(_quantile_transformer(10_000).fit, X),
                "ple_fit": partial(PiecewiseLinearEncoder(N_BINS).fit, X),
                "kb_fit": partial(_kbins(N_BINS).fit, X),
                "qn_transform": partial(normalizer.transform, X),
                "qt_transform": partial(transformer.transform, X),
                "ple_transform": partial(encoder.transform, X),
                "kb_transform": partial(kbins.transform, X),
                "bound": copy_bound(X),
                "out_bound": out_bound,
            },
            repeats=repeats,
        )
        qn, ple = (
            f"QuantileNormalizer({N_QUANTILES})",
            f"PiecewiseLinearEncoder({N_BINS})",
        )
        qt = f"QuantileTransformer(n_quantiles={N_QUANTILES}, normal"
        kb = f"KBinsDiscretizer({N_BINS}, onehot-dense, quantile, subsample=None)"
        results += _rows(
            "QuantileNormalizer", "time_fit", data, f"{qn}.fit(X)", times["qn_fit"],
            [(f"{qt}, subsample=None)", times["qt_fit"]),
             (f"{qt}) (10,000-row sample)", times["qt_fit_sub"])],
            times["bound"],
        )  # fmt: skip
        results += _rows(
            "QuantileNormalizer", "time_transform", data, f"{qn}.transform(X)",
            times["qn_transform"], [(f"{qt}).transform", times["qt_transform"])],
            times["bound"],
        )  # fmt: skip
        results += _rows(
            "PiecewiseLinearEncoder", "time_fit", data, f"{ple}.fit(X)",
            times["ple_fit"], [(kb, times["kb_fit"])], times["bound"],
        )  # fmt: skip
        results += _rows(
            "PiecewiseLinearEncoder", "time_transform", data, f"{ple}.transform(X)",
            times["ple_transform"], [(f"{kb}.transform", times["kb_transform"])],
            times["out_bound"],
        )  # fmt: skip
    return results


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--tiny", action="store_true", help="2,000 x 5, seconds.")
    group.add_argument(
        "--large", action="store_true", help="1,000,000 x 8 (1 GB of PLE output)."
    )
    args = parser.parse_args(argv)
    size = "tiny" if args.tiny else "large" if args.large else "small"
    n_rows, n_features, repeats = ENCODER_SIZES[size]
    print(
        f"Encoders on {n_rows:,} x {n_features}, median of {repeats} calls after a "
        "warm-up; 'vs peer' below 1 means skscale is faster.\n"
    )
    print(markdown_table(run(size)))


if __name__ == "__main__":
    main()
