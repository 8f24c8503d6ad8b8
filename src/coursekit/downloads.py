"""The executed notebook of every notebook page, for download beside its source.

The theme's download menu offers a page's notebook as it is committed: outputs stripped
(``docs/style.md``: committed outputs go stale). A reader who wants the figures and tables
with the code, without running it (on a phone, or before installing anything), needs the
notebook as the build ran it. The build has it: MyST-NB executes each notebook once into
jupyter-cache (``execute.cache`` in ``book/_config.yml``). For every page that MyST-NB
executed (``.ipynb`` notebooks and MyST Markdown notebooks alike), this extension merges the
page's source with its cached outputs, writes it to ``_downloads/executed/<page>.ipynb`` in
the site and adds an "executed .ipynb" entry to the page's download menu. Every page's menu
also offers the whole book as one PDF (:data:`BOOK_PDF`, which ``make book`` prints after
the build: :mod:`coursekit.book_pdf`).

Exercise notebooks are not executed by the build (they are shown as the student receives
them), so they have no executed copy. Set up by :mod:`coursekit.offline_site`.
"""

from __future__ import annotations

from pathlib import Path

#: Where the executed notebooks go, relative to the root of the built site.
EXECUTED_DIR = "_downloads/executed"

ENTRY_LABEL = "download-executed-notebook-button"

#: The whole book as one PDF, relative to the root of the built site.
BOOK_PDF = "download/data-driven-migration.pdf"
BOOK_PDF_LABEL = "download-book-pdf-button"


def read_source(path: Path):
    """The notebook of a page as MyST-NB reads it for the cache: ``.ipynb`` or MyST Markdown."""
    import nbformat

    path = Path(path)
    if path.suffix == ".ipynb":
        return nbformat.read(path, as_version=4)
    if path.suffix == ".md":
        from myst_nb.core.read import is_myst_markdown_notebook, read_myst_markdown_notebook

        text = path.read_text(encoding="utf-8")
        if is_myst_markdown_notebook(text):
            return read_myst_markdown_notebook(text, add_source_map=True, path=str(path))
    raise ValueError(
        f"{path}: not a notebook (an .ipynb file, or a .md file whose front matter names a "
        "kernel, as book/01_data_landscape.md does)"
    )


def executed_notebook(source: Path, cache_dir: Path):
    """The notebook ``source`` with the outputs of its run in the jupyter-cache ``cache_dir``.

    Raises :class:`LookupError` when the cache holds no run of the notebook as it is now
    (the cache matches on the code of every cell): the build did not execute it, or it
    failed.
    """
    from jupyter_cache import get_cache

    notebook = read_source(source)
    if not Path(cache_dir).is_dir():
        raise LookupError(
            f"{source}: no execution cache at {cache_dir} (execute.cache in book/_config.yml); "
            "build the book with execute_notebooks: cache"
        )
    try:
        _, executed = get_cache(str(cache_dir)).merge_match_into_notebook(notebook)
    except KeyError:
        raise LookupError(
            f"{source}: the execution cache {cache_dir} holds no run of this notebook as it "
            "is now; build the book again (it executes the notebook into the cache)"
        ) from None
    executed.metadata.pop("source_map", None)  # MyST-NB's line map of a Markdown notebook
    return executed


def _executed_pages(app) -> bool:
    """Whether this build takes the notebooks' outputs from jupyter-cache."""
    return getattr(app.config, "nb_execution_mode", None) == "cache"


def _add_executed_download(app, pagename, templatename, context, doctree) -> None:
    from myst_nb.sphinx_ import NbMetadataCollector
    from sphinx.util import logging

    if app.builder.format != "html":
        return
    add_book_pdf_entry(context, context["pathto"](BOOK_PDF, 1))
    if not _executed_pages(app):
        return
    run = NbMetadataCollector.get_exec_data(app.env, pagename)
    if not run or not run.get("succeeded"):
        return
    source = Path(app.env.doc2path(pagename))
    cache_dir = Path(app.config.nb_execution_cache_path)  # relative to the build's cwd
    try:
        executed = executed_notebook(source, cache_dir)
    except LookupError as error:
        logging.getLogger(__name__).warning(f"no executed notebook to download: {error}")
        return
    import nbformat

    target = Path(app.outdir) / EXECUTED_DIR / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(executed, target)
    add_menu_entry(context, context["pathto"](f"{EXECUTED_DIR}/{pagename}.ipynb", 1))


def add_menu_entry(context: dict, url: str) -> bool:
    """Add the executed notebook to the page's download menu, after the source notebook.

    ``context["header_buttons"]`` is the book theme's list of header buttons; its download
    menu is the group labelled ``download-buttons``. Returns whether there was a menu.
    """
    for group in context.get("header_buttons", []):
        if group.get("label") != "download-buttons":
            continue
        buttons = group["buttons"]
        if any(button.get("label") == ENTRY_LABEL for button in buttons):
            return True
        entry = {
            "type": "link",
            "url": url,
            "text": "executed .ipynb",
            "tooltip": "Download the notebook with its outputs",
            "icon": "fas fa-file-code",
            "label": ENTRY_LABEL,
        }
        # After the notebook as committed: the theme's .ipynb entry of a Markdown notebook,
        # or the source entry of an .ipynb page.
        labels = [button.get("label") for button in buttons]
        source = next(
            (
                labels.index(x)
                for x in ("download-notebook-button", "download-source-button")
                if x in labels
            ),
            -1,
        )
        buttons.insert(source + 1, entry)
        return True
    return False


def add_book_pdf_entry(context: dict, url: str) -> bool:
    """Add the whole book's PDF at the end of the page's download menu; whether there was one."""
    for group in context.get("header_buttons", []):
        if group.get("label") != "download-buttons":
            continue
        if not any(b.get("label") == BOOK_PDF_LABEL for b in group["buttons"]):
            group["buttons"].append(
                {
                    "type": "link",
                    "url": url,
                    "text": "whole book (.pdf)",
                    "tooltip": "Download the whole book as one PDF, for paper or a tablet",
                    "icon": "fas fa-book",
                    "label": BOOK_PDF_LABEL,
                }
            )
        return True
    return False


def setup(app):
    # After the book theme has built its header buttons (its handlers run at 501).
    app.connect("html-page-context", _add_executed_download, priority=600)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
