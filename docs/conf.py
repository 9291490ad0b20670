"""Sphinx configuration of skscale's documentation.

Build it from the repository root with::

    pip install -e ".[docs]"
    sphinx-build -W --keep-going -b html docs docs/_build/html

The build needs no network: intersphinx reads the inventories in
docs/_intersphinx/ (written by its make_inventories.py), and the gallery's
examples use scikit-learn's bundled data, or the course's CSV when it is
present.
"""

import os
import re
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path.insert(0, str(DOCS))

from api_reference import write_api_page  # noqa: E402
from benchmark_pages import write_benchmark_pages  # noqa: E402

import skscale  # noqa: E402

project = "skscale"
author = "skscale developers"
copyright = "skscale developers"  # noqa: A001 (Sphinx's name)
release = skscale.__version__
version = release

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
    "sphinx.ext.intersphinx",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
    "myst_parser",
    "sphinx_copybutton",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = [
    "_build",
    "**.ipynb_checkpoints",
    "auto_examples/*.ipynb",
    "auto_examples/*.py",
    "auto_examples/*.zip",
    "auto_examples/*.md5",
    "auto_examples/*.json",
    "api_reference.py",
    "benchmark_pages.py",
    "_generated/*.md",  # included by performance.md
    "_intersphinx",
]
templates_path = ["_templates"]

# The API reference is written from skscale.__all__ before Sphinx reads the
# sources, so every public name gets a page without anyone editing api.rst.
write_api_page(DOCS / "api.rst")
# The performance page's headline table and figure, from benchmarks/results.md
# (which `python benchmarks/run_all.py --large` writes).
write_benchmark_pages(DOCS / "_generated")
autosummary_generate = True
autodoc_typehints = "none"  # numpydoc's Parameters sections say the types

# Class pages list the methods inherited from scikit-learn's mixins too
# (set_output, get_params, set_params, get_feature_names_out, score), as a
# user calls them on skscale's estimators; only ``object``'s are left out.
# This hook skips the set_*_request methods that metadata routing generates on
# each class (scikit-learn's pages list them once, for every estimator).
autosummary_context = {"sklearn_bases": "object"}


def skip_routing_methods(app, what, name, obj, skip, options):
    if name.startswith("set_") and name.endswith("_request"):
        return True
    return None


# The inherited docstrings are scikit-learn's: their :ref: and :term: roles
# name labels of scikit-learn's site, which this site does not have. They
# become plain text here (their words stay; the link is the only loss).
SKLEARN_ROLE = re.compile(r":(?:ref|term):`(?:([^`<]*?)\s*<[^`>]*>|([^`]*))`")


def unlink_sklearn_roles(app, what, name, obj, options, lines):
    if getattr(obj, "__module__", "").startswith("sklearn"):
        for i, line in enumerate(lines):
            lines[i] = SKLEARN_ROLE.sub(lambda m: m.group(1) or m.group(2), line)


# "Read more in the user guide" under each class's summary, as on
# scikit-learn's pages: the guide page that explains the class.
USER_GUIDE = {
    "LinearScaler": "choosing",
    "ZScoreScaler": "choosing",
    "LogTransformer": "choosing",
    "Clipper": "choosing",
    "BinaryThresholder": "choosing",
    "AutoScaler": "choosing",
    "QuantileNormalizer": "choosing",
    "PiecewiseLinearEncoder": "choosing",
    "DropoutMLPRegressor": "networks",
    "DropoutMLPClassifier": "networks",
}


def link_the_user_guide(app, what, name, obj, options, lines):
    page = USER_GUIDE.get(name.rpartition(".")[2]) if what == "class" else None
    if page and lines:
        # after the summary: the first paragraph past any leading blank lines
        start = next((i for i, line in enumerate(lines) if line.strip()), 0)
        end = next(
            (i for i in range(start, len(lines)) if not lines[i].strip()), len(lines)
        )
        lines[end:end] = ["", f"Read more in the :doc:`user guide </{page}>`."]


# In "ndarray of shape (n_features_in_,)" reST reads "n_features_in_" as a
# link to a target named n_features_in; quote such names as code instead.
FITTED_NAME = re.compile(r"(?<![`\w.])([A-Za-z]\w*_)(?![\w`])")


def quote_fitted_names_in_shapes(app, what, name, obj, options, lines):
    for i, line in enumerate(lines):
        if "shape (" in line:
            head, _, shape = line.partition("shape (")
            lines[i] = head + "shape (" + FITTED_NAME.sub(r"``\1``", shape)


def setup(app):
    app.connect("autodoc-skip-member", skip_routing_methods)
    app.connect("autodoc-process-docstring", unlink_sklearn_roles)
    app.connect("autodoc-process-docstring", link_the_user_guide)
    app.connect("autodoc-process-docstring", quote_fitted_names_in_shapes)


# Links into scikit-learn, NumPy, SciPy, pandas and Python, through the
# inventories in _intersphinx/ (the build has no network to fetch theirs).
INVENTORIES = DOCS / "_intersphinx"
intersphinx_mapping = {
    name: (url, str(INVENTORIES / f"{name}.inv"))
    for name, url in {
        "python": "https://docs.python.org/3/",
        "numpy": "https://numpy.org/doc/stable/",
        "scipy": "https://docs.scipy.org/doc/scipy/",
        "pandas": "https://pandas.pydata.org/docs/",
        "sklearn": "https://scikit-learn.org/stable/",
    }.items()
}

# numpydoc: no member tables (autodoc's :members: documents the methods), and
# types stay plain text: without intersphinx (no network at build time) their
# cross-references would have nothing to point to.
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False

# The copy button copies commands and code without their prompts and output.
copybutton_prompt_text = r">>> |\.\.\. |\$ "
copybutton_prompt_is_regexp = True

myst_heading_anchors = 3
myst_enable_extensions = ["colon_fence"]

# The gallery runs every example at build time. Examples on the course's data
# (those that read SKSCALE_CALIFORNIA_CSV) need its CSV: where it is absent,
# their pages show the code unexecuted. (Executed, they would stop with
# sys.exit, which ends sphinx-build itself, silently.)
CALIFORNIA_CSV = Path(
    os.environ.get(
        "SKSCALE_CALIFORNIA_CSV",
        ROOT.parent / "shared" / "data" / "california_housing_train.csv",
    )
)
# Those that stop without it (sys.exit) are left unexecuted; those that fall
# back to bundled data run either way.
NEEDS_CSV = sorted(
    path.name.removeprefix("plot_")
    for path in (ROOT / "examples").glob("plot_*.py")
    if "SKSCALE_CALIFORNIA_CSV" in path.read_text() and "sys.exit(" in path.read_text()
)
if CALIFORNIA_CSV.exists() or not NEEDS_CSV:
    executed = r"/plot_"
else:
    executed = r"/plot_(?!(" + "|".join(map(re.escape, NEEDS_CSV)) + r")$)"
os.environ.setdefault("MPLBACKEND", "Agg")

sphinx_gallery_conf = {
    "examples_dirs": str(ROOT / "examples"),
    "gallery_dirs": "auto_examples",
    "filename_pattern": executed,
    "doc_module": ("skscale",),
    "backreferences_dir": "generated/backreferences",
    "download_all_examples": False,
    "remove_config_comments": True,
    "abort_on_example_error": True,
    "show_memory": False,
}

html_theme = "pydata_sphinx_theme"
html_title = f"skscale {release}"
html_theme_options = {
    "navbar_align": "left",
    "show_toc_level": 2,
    "secondary_sidebar_items": ["page-toc"],
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
}
# No primary sidebar: the guide's pages have no sub-pages, so it would show
# an empty "Section Navigation"; the navbar lists the pages.
html_sidebars = {"**": []}
html_static_path = []
