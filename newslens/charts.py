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


def _nothing(fig: Figure, ax, message: str) -> Figure:
    """A figure that says there is nothing to draw, rather than an empty frame."""
    ax.set_axis_off()
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes)
    return fig


FORM_COLORS = {
    "name": "#2f5d8a",
    "surname": "#5b8fc0",
    "abbreviation": "#9cc3e4",
    "role": "#c7793a",
    "metonym": "#8a5a9e",
    "adjective": "#9aa66b",
}
TYPE_TITLES = {"PER": "People", "ORG": "Organisations", "LOC": "Countries and places"}


def top_actors(actor_table: pd.DataFrame, n: int = 10) -> Figure:
    """For each type, the most mentioned actors, bars split by how they are referred to."""
    from newslens.entities import FORMS

    fig = Figure(figsize=(7.5, 8.2), layout="constrained")
    axes = fig.subplots(3, 1)
    for ax, kind in zip(axes, ["PER", "ORG", "LOC"], strict=True):
        rows = actor_table[actor_table["type"] == kind].head(n).iloc[::-1]
        left = None
        for form in FORMS:
            values = rows[form].to_numpy()
            ax.barh(rows["actor"], values, left=left, color=FORM_COLORS[form], label=form)
            left = values if left is None else left + values
        ax.set_title(TYPE_TITLES[kind], loc="left", fontsize=10)
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.spines[["top", "right"]].set_visible(False)
        ax.tick_params(axis="y", labelsize=8)
        if rows.empty:
            ax.text(0.5, 0.5, "none found", ha="center", va="center", transform=ax.transAxes)
    axes[0].legend(ncols=3, fontsize=7, frameon=False, loc="lower right")
    axes[-1].set_xlabel("mentions")
    return fig


def network(pairs: pd.DataFrame, actor_table: pd.DataFrame, top: int = 20) -> Figure:
    """Actors as nodes (size: mentions, colour: type), edges weighted by shared sentences."""
    import networkx as nx

    colors = {"PER": "#e8914a", "ORG": "#4a8fd0", "LOC": "#5aa65a"}
    keep = set(actor_table.head(top)["actor"])
    graph = nx.Graph()
    info = actor_table.set_index("actor")
    for row in pairs.itertuples():
        if row.actor_a in keep and row.actor_b in keep:
            graph.add_edge(row.actor_a, row.actor_b, weight=row.count)
    fig = Figure(figsize=(7.5, 6.0), layout="constrained")
    ax = fig.add_subplot()
    ax.set_axis_off()
    if graph.number_of_nodes() == 0:
        return _nothing(fig, ax, "no actors")
    main = max(nx.connected_components(graph), key=len)
    left_out = graph.number_of_nodes() - len(main)
    graph = graph.subgraph(main).copy()
    nodes = sorted(graph.nodes)
    position = nx.kamada_kawai_layout(graph)
    weights = [graph[a][b]["weight"] for a, b in graph.edges]
    nx.draw_networkx_edges(
        graph, position, ax=ax, width=[0.6 + w for w in weights], alpha=0.35, edge_color="#777"
    )
    nx.draw_networkx_nodes(
        graph,
        position,
        ax=ax,
        nodelist=nodes,
        node_size=[80 + 60 * int(info.loc[a, "mentions"]) for a in nodes],
        node_color=[colors.get(info.loc[a, "type"], "#999") for a in nodes],
        alpha=0.9,
    )
    labels = {a: a.replace(" ", "\n", 1) if len(a) > 16 else a for a in nodes}
    nx.draw_networkx_labels(graph, position, labels=labels, ax=ax, font_size=7)
    ax.margins(0.12)
    note = f"; {left_out} actors outside the main cluster not drawn" if left_out else ""
    ax.set_title(f"Who appears with whom (shared sentences{note})", loc="left", fontsize=10)
    return fig


POSITIVE, NEGATIVE, NEUTRAL = "#1a7f37", "#b3261e", "#9a9a9a"


def net_sentiment(actor_table: pd.DataFrame, n: int = 15) -> Figure:
    """Diverging bars: net sentiment per actor (most mentioned first) with its interval."""
    rows = actor_table.head(n).iloc[::-1]
    fig = Figure(figsize=(7.5, 0.32 * len(rows) + 1.2), layout="constrained")
    ax = fig.add_subplot()
    colors = [POSITIVE if v > 0 else NEGATIVE if v < 0 else NEUTRAL for v in rows["net_sentiment"]]
    labels = [f"{a} ({m})" for a, m in zip(rows["actor"], rows["mentions"], strict=True)]
    ax.barh(labels, rows["net_sentiment"], color=colors, alpha=0.85)
    ax.hlines(labels, rows["net_low"], rows["net_high"], color="#333", linewidth=1)
    ax.axvline(0, color="#333", linewidth=0.8)
    ax.set_xlim(-1.05, 1.05)
    ax.set_xlabel("net sentiment: (positive − negative) / mentions; line: uncertainty interval")
    ax.set_title("In what light each actor appears (mentions in brackets)", loc="left", fontsize=10)
    ax.tick_params(axis="y", labelsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def attitude_graph(attitude_table: pd.DataFrame) -> Figure:
    """Holder → target arrows, green for positive and red for negative (author left out)."""
    import networkx as nx

    held = attitude_table[attitude_table["holder"] != "author"]
    fig = Figure(figsize=(7.5, 4.6), layout="constrained")
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.set_title("Who judges whom (attitudes held by actors, not the author)", loc="left",
                 fontsize=10)  # fmt: skip
    if held.empty:
        return _nothing(fig, ax, "no attitude held by an actor was found")
    edges = held.groupby(["holder", "target"])["polarity"].sum().reset_index()
    graph = nx.DiGraph()
    for row in edges.itertuples():
        graph.add_edge(row.holder, row.target, polarity=row.polarity)
    position = nx.circular_layout(graph) if len(graph) <= 3 else nx.kamada_kawai_layout(graph)
    colors = [
        POSITIVE if d["polarity"] > 0 else NEGATIVE if d["polarity"] < 0 else NEUTRAL
        for _, _, d in graph.edges(data=True)
    ]
    nx.draw_networkx_nodes(graph, position, ax=ax, node_color="#dde6ef", node_size=500)
    nx.draw_networkx_edges(graph, position, ax=ax, edge_color=colors, width=2, arrowsize=16,
                           node_size=500, connectionstyle="arc3,rad=0.08")  # fmt: skip
    labels = {a: a.replace(" ", "\n", 1) if len(a) > 16 else a for a in graph.nodes}
    nx.draw_networkx_labels(graph, position, labels=labels, ax=ax, font_size=7)
    ax.margins(0.2)
    return fig


def dates_referred(timeline_table: pd.DataFrame) -> Figure:
    """The years the coverage refers to, publication dates marked apart."""
    fig = Figure(figsize=(7.5, 2.2), layout="constrained")
    ax = fig.add_subplot()
    if timeline_table.empty:
        return _nothing(fig, ax, "no date found")
    years = timeline_table["date"].str[:4].astype(int)
    published = timeline_table["kind"] == "publication"
    referred = years[~published].value_counts().sort_index()
    ax.bar(referred.index, referred.to_numpy(), color=ACCENT, width=0.8, label="referred to")
    for year in sorted(set(years[published])):
        ax.axvline(year, color="#b03a2e", linewidth=2, label="published")
    handles, labels = ax.get_legend_handles_labels()
    ax.legend(dict(zip(labels, handles, strict=True)).values(), dict.fromkeys(labels),
              fontsize=7, frameon=False, loc="upper left")  # fmt: skip
    ax.set_title("Years the articles refer to", loc="left", fontsize=10)
    ax.set_ylabel("references")
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def mentions_per_day(per_day: pd.DataFrame) -> Figure:
    """Mentions of the leading actors per publication day (bars when there are few days)."""
    fig = Figure(figsize=(7.5, 2.8), layout="constrained")
    ax = fig.add_subplot()
    if per_day.empty:
        return _nothing(fig, ax, "no dated article")
    labels = [d.strftime("%Y-%m-%d") for d in per_day.index]
    if len(per_day) <= 3:
        width = 0.8 / len(per_day.columns)
        for i, actor in enumerate(per_day.columns):
            ax.bar([x + i * width for x in range(len(labels))], per_day[actor], width=width,
                   label=actor)  # fmt: skip
        ax.set_xticks([x + 0.4 - width / 2 for x in range(len(labels))], labels)
    else:
        for actor in per_day.columns:
            ax.plot(labels, per_day[actor], marker="o", markersize=3, label=actor)
        ax.tick_params(axis="x", labelrotation=90, labelsize=7)
    ax.legend(fontsize=7, frameon=False)
    ax.set_title("Mentions of the leading actors per day", loc="left", fontsize=10)
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.spines[["top", "right"]].set_visible(False)
    return fig
