"""Write the API reference page from ``skscale.__all__``.

``conf.py`` calls :func:`write_api_page` before Sphinx reads any source, so
autosummary generates a page for every public name, including names added to
``__all__`` after this file was written. ``tests/test_docs.py`` checks the
same function, without building the site.
"""

import inspect
from pathlib import Path

CONFIG_FUNCTIONS = ("config_context", "get_config", "set_config")

# Sections in reading order: (title, introduction, test on the object).
SECTIONS = [
    (
        "Transformers",
        "Normalizers that learn their statistics in ``fit`` and apply them in "
        "``transform``.",
        lambda obj: (
            inspect.isclass(obj) and obj.__module__.startswith("skscale.preprocessing")
        ),
    ),
    (
        "Networks",
        "The course's network as scikit-learn estimators.",
        lambda obj: (
            inspect.isclass(obj) and obj.__module__.startswith("skscale.neural_network")
        ),
    ),
    (
        "Configuration",
        "Threads and block sizes of the kernels, for the process or a block "
        "of code (results never depend on them).",
        # by name, as scikit-learn's trio is named: the private module that
        # defines them may move
        lambda obj: getattr(obj, "__name__", "") in CONFIG_FUNCTIONS,
    ),
    (
        "The course's functions",
        "The exercise's normalizations as plain functions, vectorized, computing "
        "their statistics from the data they are given (as the course does).",
        inspect.isfunction,
    ),
    (
        "Other public names",
        "Classes and functions that fit none of the groups above.",
        lambda obj: inspect.isclass(obj) or callable(obj),
    ),
]

# What the values of __all__ mean (callables are described by their docstrings).
VALUES = {"__version__": "The version of the installed skscale, a PEP 440 string."}


def public_names():
    """The names the reference documents: ``skscale.__all__``, in its order."""
    import skscale

    return list(skscale.__all__)


def api_page(names=None):
    """The text of ``api.rst``: one autosummary table per section.

    Parameters
    ----------
    names : list of str, default=None
        Public names of ``skscale``; ``skscale.__all__`` when None.

    Returns
    -------
    str
        reStructuredText. Every callable name is an autosummary entry (a page
        of its own); other values (``__version__``) are described inline.
    """
    import skscale

    names = public_names() if names is None else list(names)
    lines = [
        ".. This file is written by docs/api_reference.py at every build; "
        "do not edit it.",
        "",
        ".. _api:",
        "",
        "API reference",
        "=============",
        "",
        "Every public name of ``skscale`` (its ``__all__``). Import them from "
        "the package root: ``from skscale import LinearScaler``.",
        "",
        ".. currentmodule:: skscale",
        "",
    ]
    remaining = [name for name in names if callable(getattr(skscale, name))]
    for title, intro, belongs in SECTIONS:
        members = [name for name in remaining if belongs(getattr(skscale, name))]
        if not members:
            continue
        remaining = [name for name in remaining if name not in members]
        lines += [title, "-" * len(title), "", intro, "", ".. autosummary::"]
        lines += ["   :toctree: generated/", "   :nosignatures:", ""]
        lines += [f"   {name}" for name in sorted(members, key=str.lower)]
        lines.append("")
    values = [name for name in names if not callable(getattr(skscale, name))]
    if values:
        lines += ["Values", "------", ""]
        for name in values:
            lines += [
                f".. py:data:: {name}",
                f"   :value: {getattr(skscale, name)!r}",
                "",
                f"   {VALUES.get(name, 'A value of the package.')}",
                "",
            ]
    return "\n".join(lines)


def write_api_page(path):
    """Write :func:`api_page` to ``path`` unless it already holds that text.

    Leaving an unchanged file alone keeps Sphinx's incremental builds
    incremental.
    """
    path = Path(path)
    text = api_page()
    if not path.exists() or path.read_text() != text:
        path.write_text(text)
