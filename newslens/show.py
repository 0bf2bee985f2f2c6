"""HTML snippets for notebooks and the PDF. Everything from the corpus is escaped here."""

from __future__ import annotations

import html

import pandas as pd


class Html:
    """A piece of escaped HTML that Jupyter displays (and nbconvert copies) as ``text/html``."""

    def __init__(self, markup: str):
        self.markup = markup

    def _repr_html_(self) -> str:
        return self.markup

    def __repr__(self) -> str:
        return f"Html({len(self.markup)} chars)"


def table(frame: pd.DataFrame, max_rows: int = 60) -> Html:
    """A plain escaped HTML table (pandas escapes cell text; no index column)."""
    shown = frame.head(max_rows)
    markup = shown.to_html(index=False, escape=True, border=0, na_rep="—")
    if len(frame) > max_rows:
        markup += f"<p><em>… {len(frame) - max_rows} more rows not shown</em></p>"
    return Html(markup)


def paragraphs(texts: list[str], css_class: str = "") -> Html:
    """Untrusted text shown as literal paragraphs."""
    cls = f' class="{html.escape(css_class)}"' if css_class else ""
    return Html("".join(f"<p{cls}>{html.escape(t)}</p>" for t in texts))
