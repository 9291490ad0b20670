"""``skscale export MODEL OUT.onnx``: a fitted model, saved, to an ONNX graph.

MODEL is a joblib or pickle file, or a skops file (``.skops``). Loading a
pickle runs whatever code it names, so it is for files the user made; a skops
file is audited first: skscale's and scikit-learn's types are trusted, any
other type is refused by name. Mistakes (a missing file, a file that holds no
fitted estimator, an estimator no converter knows, untrusted types) are one
line on stderr and exit status 2.
"""

from __future__ import annotations

import re
from pathlib import Path

from skscale._cli.errors import UserError

# the modules whose types a skops file may hold without asking
TRUSTED_PREFIXES = ("skscale.", "sklearn.")


def run(args) -> None:
    """Run ``skscale export`` with parsed arguments ``args``."""
    model_path, out_path = Path(args.model), Path(args.out)
    if not model_path.is_file():
        raise UserError(f"{model_path}: no such file")
    if not out_path.parent.is_dir():
        raise UserError(f"{out_path.parent}: no such directory for the ONNX file")
    model = load_model(model_path)
    onnx_model = convert(model, args.dtype)
    out_path.write_bytes(onnx_model.SerializeToString())
    names = getattr(model, "feature_names_in_", None)
    shape = (
        f"one {args.dtype} input of {model.n_features_in_} columns, 'X'"
        if names is None
        else f"one {args.dtype} input per column, named as the columns"
    )
    print(f"wrote {out_path}: {type(model).__name__}, {shape}")


def load_model(path: Path):
    """The fitted estimator saved in ``path`` (skops, joblib or pickle)."""
    if path.suffix == ".skops":
        model = _load_skops(path)
    else:
        import joblib

        try:
            model = joblib.load(path)
        except Exception as exc:  # any unpickling failure is the file's fault
            raise UserError(
                f"{path}: not a joblib or pickle file ({_first_line(exc)})"
            ) from None
    if not (hasattr(model, "fit") and hasattr(model, "get_params")):
        raise UserError(
            f"{path} holds a {type(model).__name__}, not a scikit-learn estimator"
        )
    from sklearn.exceptions import NotFittedError
    from sklearn.utils.validation import check_is_fitted

    try:
        check_is_fitted(model)
    except NotFittedError:
        raise UserError(
            f"{path} holds an unfitted {type(model).__name__}; fit it first"
        ) from None
    return model


def _load_skops(path: Path):
    try:
        import skops.io as sio
    except ImportError:
        raise UserError("reading .skops files needs skops: pip install skops") from None
    try:
        untrusted = sio.get_untrusted_types(file=path)
    except Exception as exc:
        raise UserError(f"{path}: not a skops file ({_first_line(exc)})") from None
    refused = [name for name in untrusted if not name.startswith(TRUSTED_PREFIXES)]
    if refused:
        raise UserError(
            f"{path} holds types that are neither skscale's nor scikit-learn's, "
            f"refused as untrusted: {', '.join(sorted(refused))}"
        )
    return sio.load(path, trusted=untrusted)


def convert(model, dtype: str):
    """The ONNX graph of ``model`` for ``dtype`` input of its width."""
    try:
        from skl2onnx.common.data_types import DoubleTensorType, FloatTensorType

        from skscale.onnx import to_onnx
    except ImportError:
        raise UserError(
            'export needs the onnx extra: pip install "skscale[onnx]"'
        ) from None
    from skl2onnx.common.exceptions import MissingConverter, MissingShapeCalculator

    tensor = FloatTensorType if dtype == "float32" else DoubleTensorType
    try:
        n_features = int(model.n_features_in_)
    except AttributeError:
        raise UserError(
            f"{type(model).__name__} does not say how many columns it takes "
            "(no n_features_in_)"
        ) from None
    names = getattr(model, "feature_names_in_", None)
    if names is None:
        inputs = [("X", tensor([None, n_features]))]
    else:  # fitted on a DataFrame: one input per column, as skl2onnx names them
        inputs = [(str(name), tensor([None, 1])) for name in names]
    try:
        return to_onnx(model, initial_types=inputs)
    except (MissingConverter, MissingShapeCalculator) as exc:
        name = _missing_type(str(exc))
        raise UserError(
            f"no ONNX converter for {name}: neither skscale.onnx nor skl2onnx "
            "converts it"
        ) from None
    except (NotImplementedError, RuntimeError) as exc:
        # a converter that refuses this configuration (skscale's or skl2onnx's)
        raise UserError(
            f"cannot convert {type(model).__name__}: {_first_line(exc)}"
        ) from None


def _missing_type(message: str) -> str:
    """The class a skl2onnx "Unable to find ..." message names."""
    found = re.search(r"<class '([^']+)'>", message)
    return found.group(1) if found else _first_line(message)


def _first_line(error) -> str:
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__
