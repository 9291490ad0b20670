"""Write the intersphinx inventories the documentation links through.

The build machine has no network, so Sphinx cannot download the
``objects.inv`` of scikit-learn, NumPy, SciPy, pandas and Python; and no
installed package ships them. This script writes a small inventory for each
instead, from the public names of the installed packages and the URL scheme
of each project's site (one page per object in its API reference). They hold
the objects these pages refer to (classes, functions, the builtin types) and
nothing else: no labels or glossary terms. Regenerate them after upgrading a
package::

    python docs/_intersphinx/make_inventories.py
"""

import importlib
import inspect
import pkgutil
import warnings
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent

# Python's builtins are documented on shared pages, each with its anchor.
PYTHON = {
    **{name: "library/functions.html#$" for name in ("bool", "float", "int")},
    **{name: "library/stdtypes.html#$" for name in ("dict", "list", "str", "tuple")},
    "object": "library/functions.html#object",
    "None": "library/constants.html#None",
    "Ellipsis": "library/constants.html#Ellipsis",
}


def public_objects(package, modules):
    """(full name, role) of each public class and function of ``modules``."""
    found = {}
    for module_name in modules:
        module = importlib.import_module(module_name)
        for name in getattr(module, "__all__", []):
            try:  # experimental names refuse to load without their enabler
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    obj = getattr(module, name, None)
            except ImportError:
                continue
            if inspect.isclass(obj):
                found[f"{module_name}.{name}"] = "class"
            elif callable(obj):
                found[f"{module_name}.{name}"] = "function"
    return found


def submodules(package, skip=("tests", "externals", "conftest")):
    module = importlib.import_module(package)
    names = [package]
    for info in pkgutil.iter_modules(module.__path__):
        if not info.name.startswith("_") and info.name not in skip:
            names.append(f"{package}.{info.name}")
    return names


def write_inventory(path, project, version, entries):
    """``entries``: (name, domain:role, uri) in the objects.inv v2 format."""
    header = (
        "# Sphinx inventory version 2\n"
        f"# Project: {project}\n"
        f"# Version: {version}\n"
        "# The remainder of this file is compressed using zlib.\n"
    )
    body = "".join(f"{name} {role} 1 {uri} -\n" for name, role, uri in sorted(entries))
    path.write_bytes(header.encode() + zlib.compress(body.encode()))


def main():
    import numpy
    import pandas
    import scipy
    import sklearn

    def per_page(objects, page):
        return [(n, f"py:{r}", page.format(name=n) + "#$") for n, r in objects.items()]

    sklearn_objects = public_objects("sklearn", submodules("sklearn"))
    write_inventory(
        HERE / "sklearn.inv",
        "scikit-learn",
        sklearn.__version__,
        per_page(sklearn_objects, "modules/generated/{name}.html"),
    )
    # numpy's functions and ufuncs have a page each; its scalar types share
    # one page (not this scheme), so ndarray is the only class kept
    numpy_objects = {
        name: role
        for name, role in public_objects("numpy", ["numpy"]).items()
        if role == "function"
    }
    numpy_objects["numpy.ndarray"] = "class"
    write_inventory(
        HERE / "numpy.inv",
        "NumPy",
        numpy.__version__,
        per_page(numpy_objects, "reference/generated/{name}.html"),
    )
    scipy_objects = public_objects("scipy", ["scipy.sparse", "scipy.stats"])
    write_inventory(
        HERE / "scipy.inv",
        "SciPy",
        scipy.__version__,
        per_page(scipy_objects, "reference/generated/{name}.html"),
    )
    pandas_objects = {
        f"pandas.{name}": "class" if inspect.isclass(obj) else "function"
        for name, obj in vars(pandas).items()
        if not name.startswith("_") and callable(obj)
    }
    write_inventory(
        HERE / "pandas.inv",
        "pandas",
        pandas.__version__,
        per_page(pandas_objects, "reference/api/{name}.html"),
    )
    write_inventory(
        HERE / "python.inv",
        "Python",
        "3",
        [(n, "py:class", uri) for n, uri in PYTHON.items() if n[0].islower()]
        + [(n, "py:data", uri) for n, uri in PYTHON.items() if n[0].isupper()],
    )


if __name__ == "__main__":
    main()
