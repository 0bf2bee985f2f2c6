"""nbconvert exporter: notebook → HTML (no code) → PDF with weasyprint.

Registered as ``newslens_pdf``: ``jupyter nbconvert --to newslens_pdf notebook.ipynb``.
Article text is untrusted, so the renderer fetches nothing: only ``data:`` URLs (the
notebook's own embedded figures) are loaded; ``file://``, ``http(s)://`` and the rest are
refused. LaTeX is avoided on purpose: its default template silently drops Cyrillic.
"""

from __future__ import annotations

from nbconvert.exporters import HTMLExporter
from nbconvert.preprocessors import Preprocessor, TagRemovePreprocessor
from traitlets import default

from newslens import config

TEMPLATES = config.TEMPLATES
HIDDEN_TAGS = {"parameters", "injected-parameters", "remove_cell", "hide"}


def safe_url_fetcher():
    """A weasyprint fetcher for embedded ``data:`` URLs only; files and network are refused."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols={"data"}, allow_redirects=False)


def in_language(cell, lang: str) -> bool:
    """Whether a cell belongs in a ``lang`` report: prose cells are tagged ``lang-en`` or
    ``lang-ru``; untagged cells belong in every language."""
    tags = [tag for tag in cell.metadata.get("tags", []) if tag.startswith("lang-")]
    return not tags or f"lang-{lang}" in tags


class LanguagePreprocessor(Preprocessor):
    """Keeps the prose of the notebook's language (``metadata.newslens.lang``, else English)."""

    def preprocess(self, nb, resources):
        lang = nb.metadata.get("newslens", {}).get("lang", "en")
        nb.cells = [cell for cell in nb.cells if in_language(cell, lang)]
        return nb, resources


class NewslensPDFExporter(HTMLExporter):
    """HTML exporter whose output is an A4 PDF rendered by weasyprint."""

    export_from_notebook = "PDF via HTML (newslens)"
    output_mimetype = "application/pdf"

    @default("file_extension")
    def _file_extension_default(self):
        return ".pdf"

    @default("template_extension")
    def _template_extension_default(self):
        return ".html.j2"

    @default("template_name")
    def _template_name_default(self):
        return "newslens"

    @default("extra_template_basedirs")
    def _extra_template_basedirs_default(self):
        return [str(TEMPLATES)]

    @default("exclude_input")
    def _exclude_input_default(self):
        return True

    @default("exclude_input_prompt")
    def _exclude_input_prompt_default(self):
        return True

    @default("exclude_output_prompt")
    def _exclude_output_prompt_default(self):
        return True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.register_preprocessor(
            TagRemovePreprocessor(remove_cell_tags=HIDDEN_TAGS, enabled=True), enabled=True
        )
        self.register_preprocessor(LanguagePreprocessor(enabled=True), enabled=True)

    def to_html(self, nb, resources=None, **kw):
        """The intermediate HTML, useful for checking what reaches the PDF."""
        resources = dict(resources or {})
        resources["newslens_css"] = (TEMPLATES / "newslens" / "report.css").read_text("utf-8")
        return super().from_notebook_node(nb, resources=resources, **kw)

    def from_notebook_node(self, nb, resources=None, **kw):
        from weasyprint import HTML

        html, resources = self.to_html(nb, resources, **kw)
        pdf = HTML(string=html, base_url=None, url_fetcher=safe_url_fetcher()).write_pdf()
        resources["output_extension"] = ".pdf"
        return pdf, resources
