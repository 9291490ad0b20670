"""ColumnTransformer slices as index lists, for the time of a conversion."""

from __future__ import annotations

from contextlib import contextmanager


def _column_transformers(model):
    """Every fitted ColumnTransformer in ``model``, nested ones included."""
    from sklearn.compose import ColumnTransformer
    from sklearn.pipeline import Pipeline

    if isinstance(model, Pipeline):
        for _, step in model.steps:
            yield from _column_transformers(step)
    elif isinstance(model, ColumnTransformer) and hasattr(model, "transformers_"):
        yield model
        for _, transformer, _ in model.transformers_:
            yield from _column_transformers(transformer)


@contextmanager
def explicit_column_slices(model):
    """Write each ColumnTransformer's slice of columns as a list of indices
    while the block runs, then put the slices back.

    skl2onnx 1.20 fails on a slice without an end (``slice(None)``, which the
    demo's best encoder uses: a TypeError deep in its parser). The indices
    select the same columns, so ``transform`` gives the same result meanwhile.
    """
    saved = []
    for transformer in _column_transformers(model):
        original = transformer.transformers_
        n_features = transformer.n_features_in_
        transformer.transformers_ = [
            (name, step, list(range(*columns.indices(n_features))))
            if isinstance(columns, slice)
            else (name, step, columns)
            for name, step, columns in original
        ]
        saved.append((transformer, original))
    try:
        yield
    finally:
        for transformer, original in saved:
            transformer.transformers_ = original
