"""Figures for the notebooks and the PDF.

Each function returns a :class:`matplotlib.figure.Figure` built without pyplot, so a notebook
cell that ends with it shows it exactly once and nothing leaks between cells.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

ACCENT = "#2f5d8a"


def articles_per_day(articles: pd.DataFrame) -> Figure:
    """Bar chart of how many articles each day holds (undated articles are counted aside)."""
    fig = Figure(figsize=(7.5, 2.6), layout="constrained")
    ax = fig.add_subplot()
    dated = articles["date"].dropna()
    counts = dated.dt.date.value_counts().sort_index()
    labels = [d.isoformat() for d in counts.index]
    ax.bar(labels, counts.to_numpy(), color=ACCENT)
    undated = int(articles["date"].isna().sum())
    title = "Articles per day" + (f" ({undated} undated)" if undated else "")
    ax.set_title(title, loc="left", fontsize=10)
    ax.set_ylabel("articles")
    ax.yaxis.get_major_locator().set_params(integer=True)
    if len(labels) > 12:
        ax.tick_params(axis="x", labelrotation=90, labelsize=7)
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def article_lengths(articles: pd.DataFrame) -> Figure:
    """Histogram of article length in words."""
    fig = Figure(figsize=(7.5, 2.4), layout="constrained")
    ax = fig.add_subplot()
    words = articles["text"].str.split().str.len()
    ax.hist(words, bins=min(30, max(5, len(words))), color=ACCENT)
    ax.set_title("Article length", loc="left", fontsize=10)
    ax.set_xlabel("words")
    ax.set_ylabel("articles")
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.spines[["top", "right"]].set_visible(False)
    return fig
