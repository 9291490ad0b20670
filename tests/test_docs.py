"""The documentation covers every public name, and its internal links resolve.

The source checks read docs/ without building it. The checks of the built
site read the HTML that ``sphinx-build -b html docs docs/_build/html`` wrote
(as .ci/run does before the tests); they run when the environment variable
``SKSCALE_DOCS_HTML`` names that folder, so that an old build lying in a
checkout cannot fail them.
"""

import importlib.util
import os
import re
import shutil
import subprocess
import textwrap
import types
import warnings
import zlib
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

import skscale

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
EXAMPLES = ROOT / "examples"
# Pages the build writes: the API page and the gallery (from examples/).
GENERATED = {"api", "auto_examples/index"}


def load_api_reference():
    spec = importlib.util.spec_from_file_location(
        "api_reference", DOCS / "api_reference.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def reference_entries(page):
    """Names documented by an autosummary table or a py:data directive."""
    entries = set(re.findall(r"^\.\. py:data:: (\S+)$", page, re.M))
    for block in re.findall(r"^\.\. autosummary::\n((?:   .*\n|\n)+)", page, re.M):
        assert "   :toctree: generated/" in block  # one page per entry
        for line in block.splitlines():
            if line.strip() and not line.strip().startswith(":"):
                entries.add(line.strip())
    return entries


def test_every_public_name_has_a_reference_entry():
    page = load_api_reference().api_page()
    assert reference_entries(page) == set(skscale.__all__)


def test_a_name_added_to_all_gets_an_entry(monkeypatch):
    # What happens when a new encoder is exported: no one edits the docs.
    new_class = types.new_class("FreshEncoder")
    new_class.__module__ = "skscale.preprocessing._fresh"
    monkeypatch.setattr(skscale, "FreshEncoder", new_class, raising=False)
    names = [*skscale.__all__, "FreshEncoder"]
    page = load_api_reference().api_page(names)
    assert reference_entries(page) == set(names)
    transformers = re.search(
        r"^Transformers\n-+\n(.*?)(?=^\S[^\n]*\n-+\n|\Z)", page, re.M | re.S
    ).group(1)
    assert "   FreshEncoder\n" in transformers


def test_autosummary_templates_exist():
    for kind in ("class", "function"):
        assert (DOCS / "_templates" / "autosummary" / f"{kind}.rst").is_file()


def source_pages():
    pages = [
        path
        for path in sorted(DOCS.rglob("*"))
        if path.suffix in {".rst", ".md"}
        and not {"_build", "_templates", "generated", "_generated", "auto_examples"}
        & set(path.parts)
        and path.name not in {"api.rst", "sg_execution_times.rst"}
    ]
    assert len(pages) >= 8  # index and the guide's seven pages
    return pages


def doc_exists(target, page):
    name = target.lstrip("/") if target.startswith("/") else None
    if name is None:
        name = (page.parent / target).resolve().relative_to(DOCS).as_posix()
    if name in GENERATED:
        return True
    if name.startswith("auto_examples/"):
        return (EXAMPLES / (name.split("/", 1)[1] + ".py")).is_file()
    return any((DOCS / (name + suffix)).is_file() for suffix in (".rst", ".md"))


def defined_labels():
    labels = {"api", "genindex", "search"}
    for page in source_pages():
        text = page.read_text()
        labels |= set(re.findall(r"^\.\. _([\w.-]+):$", text, re.M))
        labels |= set(re.findall(r"^\(([\w.-]+)\)=$", text, re.M))
    # sphinx-gallery labels every example's page sphx_glr_<gallery>_<file>
    for example in EXAMPLES.glob("*.py"):
        labels.add(f"sphx_glr_auto_examples_{example.name}")
    return labels


ROLE = re.compile(r":(doc|ref):`(?:[^`<]*<)?([^`>]+)>?`")
TOCTREE = re.compile(r"^\.\. toctree::\n((?:   .*\n|\n)+)", re.M)


def test_doc_and_ref_targets_resolve():
    labels = defined_labels()
    missing = []
    for page in source_pages():
        text = page.read_text()
        for role, target in ROLE.findall(text):
            if role == "doc" and not doc_exists(target, page):
                missing.append(f"{page.name}: :doc:`{target}`")
            if role == "ref" and target not in labels:
                missing.append(f"{page.name}: :ref:`{target}`")
        for block in TOCTREE.findall(text):
            for line in block.splitlines():
                entry = line.strip()
                if entry and not entry.startswith(":") and not doc_exists(entry, page):
                    missing.append(f"{page.name}: toctree entry {entry}")
    assert not missing


def test_every_page_is_in_the_table_of_contents():
    index = (DOCS / "index.rst").read_text()
    (block,) = TOCTREE.findall(index)
    listed = {line.strip() for line in block.splitlines() if line.strip()}
    pages = {p.relative_to(DOCS).with_suffix("").as_posix() for p in source_pages()}
    assert pages - {"index"} <= listed


MARKDOWN_LINK = re.compile(r"\]\(([^)\s]+)\)")


@pytest.mark.parametrize(
    "name",
    [
        "README.md",
        "CHANGELOG.md",
        "CONTRIBUTING.md",
        "benchmarks/README.md",
        "benchmarks/results.md",
        *(p.relative_to(ROOT).as_posix() for p in sorted(DOCS.glob("*.md"))),
    ],
)
def test_relative_markdown_links_resolve(name):
    path = ROOT / name
    text = path.read_text()
    links = [
        link
        for link in MARKDOWN_LINK.findall(text)
        if not urlsplit(link).scheme and not link.startswith("#")
    ]
    for link in links:
        target = (path.parent / unquote(urlsplit(link).path)).resolve()
        assert target.exists(), f"{name} links to {link}, which does not exist"


def test_performance_page_includes_the_benchmark_results():
    page = (DOCS / "performance.md").read_text()
    for included in re.findall(r"```\{include\} (\S+)", page):
        assert (DOCS / included).resolve().is_file()
    assert "../benchmarks/results.md" in page


def python_blocks(page):
    text = (DOCS / page).read_text()
    blocks = re.findall(r"^\.\. code-block:: python\n\n((?:   .*\n|\n)+)", text, re.M)
    return [textwrap.dedent(block) for block in blocks]


def test_getting_started_shows_the_readme_quick_start():
    readme = (ROOT / "README.md").read_text()
    quick_start = re.search(r"```python\n(.+?)```", readme, re.S).group(1)
    assert quick_start.strip() == python_blocks("getting_started.rst")[0].strip()


@pytest.mark.parametrize(
    "page", ["getting_started.rst", "scaling_out.rst", "networks.rst"]
)
def test_the_guide_code_runs(page, capsys):
    # A page's blocks run in order in one namespace, as a reader would paste
    # them; what they print is shown on the page, what they warn is checked.
    if page == "scaling_out.rst":
        pytest.importorskip("dask.array")  # the dask extra
    namespace = {}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for block in python_blocks(page):
            exec(compile(block, page, "exec"), namespace)
    capsys.readouterr()
    categories = {type(w.message) for w in caught}
    assert not categories & {FutureWarning, DeprecationWarning}
    if page == "networks.rst":  # the page shows the dead-unit warning
        assert any(str(w.message).startswith("Dead ReLU units") for w in caught)


# --- the built site -------------------------------------------------------


@pytest.fixture(scope="module")
def site():
    html = os.environ.get("SKSCALE_DOCS_HTML")
    if not html:
        pytest.skip(
            "the built site is checked when SKSCALE_DOCS_HTML names it "
            "(.ci/run builds it and sets it)"
        )
    html = Path(html)
    assert (html / "index.html").is_file(), f"no built site in {html}"
    return html


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs, self.ids = [], set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])
        if tag in {"img", "script"} and attrs.get("src"):
            self.hrefs.append(attrs["src"])


def parse(path, cache={}):  # noqa: B006 (a per-run cache of parsed pages)
    if path not in cache:
        parser = _Links()
        parser.feed(path.read_text(encoding="utf-8"))
        cache[path] = parser
    return cache[path]


def test_every_public_name_has_a_built_reference_page(site):
    api = parse(site / "api.html")
    for name in skscale.__all__:
        if callable(getattr(skscale, name)):
            page = site / "generated" / f"skscale.{name}.html"
            assert page.is_file(), name
            link = f"generated/skscale.{name}.html"
            assert any(href.split("#")[0] == link for href in api.hrefs), name
            assert f"skscale.{name}" in parse(page).ids, name
        else:
            assert f"skscale.{name}" in api.ids, name


def test_every_page_of_the_guide_is_built(site):
    for page in source_pages():
        name = page.relative_to(DOCS).with_suffix(".html")
        assert (site / name).is_file(), name
    for example in EXAMPLES.glob("*.py"):
        assert (site / "auto_examples" / example.with_suffix(".html").name).is_file()


def test_internal_links_of_the_built_site_resolve(site):
    broken = []
    # _static holds the theme's templates, not pages
    pages = sorted(p for p in site.rglob("*.html") if "_static" not in p.parts)
    assert len(pages) > len(skscale.__all__)
    for page in pages:
        for href in parse(page).hrefs:
            parts = urlsplit(href)
            if parts.scheme or href.startswith("//") or href.startswith("mailto:"):
                continue
            target = page
            if parts.path:
                target = (page.parent / unquote(parts.path)).resolve()
            if not target.exists():
                broken.append(f"{page.relative_to(site)} -> {href}")
            elif (
                parts.fragment
                and target.suffix == ".html"
                and unquote(parts.fragment) not in parse(target).ids
            ):
                broken.append(f"{page.relative_to(site)} -> {href} (no anchor)")
    assert not broken, "\n".join(broken[:20])


def visible_text(path):
    """The text a reader sees on a page: no scripts, styles or tags."""
    html = path.read_text(encoding="utf-8")
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S | re.I)
    return re.sub(r"<[^>]+>", " ", html)


def user_pages(site):
    # _static: the theme's files; _modules: the source code (viewcode)
    return sorted(
        p
        for p in site.rglob("*.html")
        if not {"_static", "_modules", "_sources"} & set(p.parts)
    )


# Wording of the team's work plan, which means nothing to a reader.
INTERNAL_WORDING = re.compile(r"\b[Ii]ssues? \d+\b|\bthe issue\b")
# Absolute paths of a build machine: its home, scratch and install folders.
MACHINE_PATH = re.compile(
    r"(?<![\w.~/-])/(?:home|root|tmp|work|usr|opt|var|srv|mnt|Users)/[\w.-]+"
    r"|site-packages"
)


def test_built_pages_hold_no_internal_wording_or_machine_paths(site):
    found = []
    for page in user_pages(site):
        text = visible_text(page)
        for pattern in (INTERNAL_WORDING, MACHINE_PATH):
            found += [f"{page.relative_to(site)}: {m}" for m in pattern.findall(text)]
        if str(ROOT) in text:
            found.append(f"{page.relative_to(site)}: {ROOT}")
    assert not found, "\n".join(found[:20])


# Measures every table of a page as a browser lays it out at a given width:
# the table's full width against the width its container shows.
TABLE_PROBE = """
<script>
window.addEventListener("load", () => {
  const rows = [];
  document.querySelectorAll("article table").forEach((table) => {
    const box = table.parentElement;
    const first = (table.rows[0] ? table.rows[0].innerText : "").slice(0, 60);
    const cells = [table.scrollWidth, box.clientWidth, first.replace(/\\s+/g, " ")];
    rows.push(cells.join("\\t"));
  });
  const out = document.createElement("pre");
  out.id = "table-widths";
  out.textContent = rows.join("\\n");
  document.body.appendChild(out);
});
</script>
"""


def table_widths(page, width, browser):
    """[(table width, visible width, first row)] of each table on ``page``."""
    probe = page.with_name(f"_probe_{page.name}")
    probe.write_text(
        page.read_text(encoding="utf-8").replace("</body>", TABLE_PROBE + "</body>"),
        encoding="utf-8",
    )
    try:
        dom = subprocess.run(
            [browser, "--headless", "--no-sandbox", "--disable-gpu",
             f"--window-size={width},1000", "--dump-dom", probe.as_uri()],
            capture_output=True, text=True, timeout=120,
        ).stdout  # fmt: skip
    finally:
        probe.unlink()
    found = re.search(r'<pre id="table-widths"[^>]*>(.*?)</pre>', dom, re.S)
    assert found, f"the browser did not lay out {page.name}"
    rows = [line.split("\t") for line in found.group(1).splitlines() if line]
    return [(int(full), int(shown), first) for full, shown, first in rows]


def test_every_table_fits_a_1280_px_page(site):
    # A headless Chromium lays out each page with a table at 1,280 px; no
    # table may be wider than the column that shows it (no sideways scroll).
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.skip("no chromium to lay out the pages (apt-get install chromium)")
    too_wide = []
    for page in user_pages(site):
        if "<table" not in page.read_text(encoding="utf-8"):
            continue
        for full, shown, first in table_widths(page, 1280, browser):
            if full > shown + 1:
                too_wide.append(
                    f"{page.relative_to(site)}: {full} > {shown} px: {first}"
                )
    assert not too_wide, "\n".join(too_wide)


def load_benchmark_pages():
    spec = importlib.util.spec_from_file_location(
        "benchmark_pages", DOCS / "benchmark_pages.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_readme_quotes_the_benchmark_results():
    # README.md's speed figures are benchmarks/results.md's (the performance
    # page draws its table and figure from that file at build time): when
    # `python benchmarks/run_all.py --large` rewrites it, README follows.
    pages = load_benchmark_pages()
    headline = {
        label: (ours, theirs) for label, ours, _, theirs in pages.headline_rows()
    }
    zscore, zscore_nan = (
        headline["``ZScoreScaler().fit(X)``"],
        headline["``ZScoreScaler().fit(X)``, 1% NaN"],
    )
    transforms = [v for k, v in headline.items() if ".transform(X)" in k]
    readme = " ".join((ROOT / "README.md").read_text().split())
    quoted = [
        f"`ZScoreScaler().fit` takes {zscore[0]:.1f} times a bare copy",
        f"`StandardScaler().fit` takes {zscore[1]:.1f} "
        f"({zscore_nan[1]:.1f} with 1% NaN, against skscale's {zscore_nan[0]:.1f})",
        f"the transforms take {min(t[0] for t in transforms):.1f}-"
        f"{max(t[0] for t in transforms):.1f} copies where scikit-learn's take "
        f"{min(t[1] for t in transforms):.1f}-{max(t[1] for t in transforms):.1f}",
    ]
    for sentence in quoted:
        assert sentence in readme
    epoch = re.search(
        r"time_fit_epoch skscale \(dropout 0\.2\)\s+([\d.]+).*?"
        r"time_fit_epoch sklearn MLPRegressor\s+([\d.]+)",
        pages.RESULTS.read_text(),
        re.S,
    )
    ours, theirs = (round(float(ms)) for ms in epoch.groups())
    assert f"takes {ours} ms against {theirs} ms" in readme


def test_performance_headline_table_is_drawn_from_the_results():
    pages = load_benchmark_pages()
    table = pages.headline_table()
    assert table.count("\n") == 2 + len(pages.HEADLINE)
    assert "_generated/headline.md" in (DOCS / "performance.md").read_text()


def inventory_names(name):
    """The object names of a vendored objects.inv (docs/_intersphinx/)."""
    data = (DOCS / "_intersphinx" / f"{name}.inv").read_bytes()
    body = zlib.decompress(data.split(b"\n", 4)[4]).decode()
    return {line.split(" ", 1)[0] for line in body.splitlines()}


@pytest.mark.parametrize(
    "name, objects",
    [
        (
            "sklearn",
            {"sklearn.pipeline.Pipeline", "sklearn.preprocessing.MinMaxScaler"},
        ),
        ("numpy", {"numpy.ndarray", "numpy.log1p"}),
        ("pandas", {"pandas.DataFrame", "pandas.Series"}),
        ("scipy", {"scipy.sparse.csr_matrix"}),
        ("python", {"float", "None"}),
    ],
)
def test_vendored_inventories_hold_what_the_pages_link(name, objects):
    # intersphinx reads these offline (conf.py); make_inventories.py writes them
    assert objects <= inventory_names(name)


def test_the_built_site_links_into_scikit_learn(site):
    page = parse(site / "choosing.html")
    pipeline = "https://scikit-learn.org/stable/modules/generated/sklearn.pipeline."
    assert any(href.startswith(pipeline) for href in page.hrefs)


def test_gallery_output_holds_no_warning(site):
    # What an example prints on its page is what it means to show: a warning
    # there ("path:line: SomeWarning: ...") is noise a reader would not see
    # the same way; examples record or filter them, and say so.
    warned = []
    for page in sorted((site / "auto_examples").glob("plot_*.html")):
        html = page.read_text(encoding="utf-8")
        for output in re.findall(r'class="sphx-glr-script-out.*?</pre>', html, re.S):
            text = re.sub(r"<[^>]+>", "", output)
            warned += [f"{page.name}: {m}" for m in re.findall(r"\w+Warning: ", text)]
    assert not warned, "\n".join(warned)


def test_the_configuration_section_does_not_depend_on_private_modules(monkeypatch):
    # The functions that set the kernels' threads keep their section when the
    # private module that defines them moves (as skscale._config did).
    for name in ("config_context", "get_config", "set_config"):

        def moved():
            """A public function whose private module moved."""

        moved.__name__ = name
        moved.__module__ = "skscale._somewhere._else"
        monkeypatch.setattr(skscale, name, moved)
    page = load_api_reference().api_page()
    configuration = re.search(
        r"^Configuration\n-+\n(.*?)(?=^\S[^\n]*\n-+\n|\Z)", page, re.M | re.S
    ).group(1)
    for name in ("config_context", "get_config", "set_config"):
        assert f"   {name}\n" in configuration
