"""Figures for the notebooks and the PDF, for one article or ten thousand.

Each function returns a :class:`matplotlib.figure.Figure` built without pyplot, so a notebook
cell that ends with it shows it exactly once and nothing leaks between cells. Text from the
corpus (actor names) is drawn literally: no mathtext, no TeX. Graphs draw a bounded number of
nodes with bounded sizes, and labels are pushed apart until they do not overlap. Words come
from ``newslens.i18n`` (``lang``).
"""

from __future__ import annotations

import functools
import math

import matplotlib
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from newslens import timeline
from newslens.i18n import t

ACCENT = "#2f5d8a"
POSITIVE, NEGATIVE, NEUTRAL = "#1a7f37", "#b3261e", "#9a9a9a"
TYPE_COLORS = {"PER": "#e8914a", "ORG": "#4a8fd0", "LOC": "#5aa65a"}
FORM_COLORS = {
    "name": "#2f5d8a",
    "surname": "#5b8fc0",
    "abbreviation": "#9cc3e4",
    "role": "#c7793a",
    "metonym": "#8a5a9e",
    "adjective": "#9aa66b",
}
SERIES = ["#2f5d8a", "#c7793a", "#1a7f37", "#8a5a9e", "#b3261e", "#6b6b6b"]


def plain_text(chart):
    """Draw the chart's text literally: «$…$» in an actor's name is not mathtext."""

    @functools.wraps(chart)
    def wrapper(*args, **kwargs):
        with matplotlib.rc_context({"text.parse_math": False, "text.usetex": False}):
            return chart(*args, **kwargs)

    return wrapper


def _figure(width: float = 7.5, height: float = 2.6) -> tuple[Figure, object]:
    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)  # a renderer, to measure labels
    return fig, fig.add_subplot()


def _nothing(fig: Figure, ax, message: str) -> Figure:
    """A figure that says there is nothing to draw, rather than an empty frame."""
    ax.set_axis_off()
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes)
    return fig


def _tidy(ax) -> None:
    ax.spines[["top", "right"]].set_visible(False)


def _thin_ticks(ax, labels: list[str], most: int = 24) -> None:
    """At most ``most`` tick labels along x, evenly spaced, the rest left blank."""
    step = max(1, math.ceil(len(labels) / most))
    ax.set_xticks(range(len(labels)), [lab if i % step == 0 else "" for i, lab in
                                       enumerate(labels)])  # fmt: skip
    if len(labels) > 8:
        ax.tick_params(axis="x", labelrotation=90, labelsize=7)


def _short(name: str, limit: int = 28) -> str:
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


# ------------------------------------------------------------------ the corpus


@plain_text
def articles_per_period(articles: pd.DataFrame, lang: str = "en") -> Figure:
    """Bars: dated articles per day, week, month or year (chosen from the span)."""
    fig, ax = _figure()
    unit = timeline.period_unit(articles["date"])
    counts = timeline.articles_per_period(articles, unit)
    undated = int(articles["date"].isna().sum())
    title = t("articles_per", lang, unit=t(f"unit_{unit}", lang))
    if undated:
        title += f" ({t('n_undated', lang, n=undated)})"
    ax.set_title(title, loc="left", fontsize=10)
    if counts.empty:
        return _nothing(fig, ax, t("no_dated_article", lang))
    ax.bar(range(len(counts)), counts["articles"].to_numpy(), color=ACCENT)
    _thin_ticks(ax, counts["period"].tolist())
    ax.set_ylabel(t("articles", lang))
    ax.yaxis.get_major_locator().set_params(integer=True)
    _tidy(ax)
    return fig


@plain_text
def article_lengths(articles: pd.DataFrame, lang: str = "en") -> Figure:
    """Histogram of article length in words."""
    fig, ax = _figure(height=2.4)
    words = articles["text"].str.split().str.len()
    top = max(10, int(words.max()) if len(words) else 10)
    ax.hist(words, bins=min(30, max(5, len(words))), range=(0, top * 1.05), color=ACCENT)
    ax.set_title(t("article_length", lang), loc="left", fontsize=10)
    ax.set_xlabel(t("words", lang))
    ax.set_ylabel(t("articles", lang))
    ax.yaxis.get_major_locator().set_params(integer=True)
    _tidy(ax)
    return fig


# ------------------------------------------------------------------ actors


@plain_text
def top_actors(actor_table: pd.DataFrame, n: int = 10, lang: str = "en") -> Figure:
    """For each type, the most mentioned actors, bars split by how they are referred to."""
    from newslens.entities import FORMS

    fig = Figure(figsize=(7.5, 8.2), layout="constrained")
    axes = fig.subplots(3, 1)
    for ax, kind in zip(axes, ["PER", "ORG", "LOC"], strict=True):
        rows = actor_table[actor_table["type"] == kind].head(n).iloc[::-1]
        left = None
        names = [_short(a, 34) for a in rows["actor"]]
        for form in FORMS:
            values = rows[form].to_numpy()
            ax.barh(names, values, left=left, color=FORM_COLORS[form],
                    label=t(f"form_{form}", lang))  # fmt: skip
            left = values if left is None else left + values
        ax.set_title(t(f"type_{kind}", lang), loc="left", fontsize=10)
        ax.xaxis.get_major_locator().set_params(integer=True)
        _tidy(ax)
        ax.tick_params(axis="y", labelsize=8)
        if rows.empty:
            ax.text(0.5, 0.5, t("none_found", lang), ha="center", va="center",
                    transform=ax.transAxes)  # fmt: skip
    # above the people panel, right of its title: inside, it covered bars when counts are even
    axes[0].legend(ncols=3, fontsize=7, frameon=False, loc="lower right", bbox_to_anchor=(1, 1))
    axes[-1].set_xlabel(t("mentions", lang))
    return fig


def _node_sizes(values: list[float], smallest: float = 60, largest: float = 900) -> list[float]:
    """Node areas between ``smallest`` and ``largest``, by the square root of the value."""
    top = max(values) if values else 1
    return [smallest + (largest - smallest) * math.sqrt(v / top) for v in values]


def _ring(nodes: list[str]) -> dict[str, tuple[float, float]]:
    """Nodes evenly on a circle, the first at the top, going clockwise."""
    n = max(1, len(nodes))
    return {node: (math.sin(2 * math.pi * i / n), math.cos(2 * math.pi * i / n))
            for i, node in enumerate(nodes)}  # fmt: skip


def _ring_labels(ax, position: dict, labels: dict, radius: float = 1.09) -> None:
    """Labels outside the circle, each on the ray of its node, so no two overlap."""
    for node, (x, y) in position.items():
        angle = math.degrees(math.atan2(y, x))
        right = x >= -1e-9
        ax.text(x * radius, y * radius, labels[node], fontsize=7, va="center",
                ha="left" if right else "right", rotation=angle if right else angle - 180,
                rotation_mode="anchor")  # fmt: skip
    ax.set_xlim(-1.9, 1.9)
    ax.set_ylim(-1.9, 1.9)  # room above and below for the labels of the top and bottom nodes
    ax.set_aspect("equal")


@plain_text
def network(
    pairs: pd.DataFrame, actor_table: pd.DataFrame, top: int = 25, edges: int = 60,
    lang: str = "en",
) -> Figure:  # fmt: skip
    """The ``top`` most mentioned actors on a ring, grouped by type (colour) with size by
    mentions (bounded), linked by the ``edges`` strongest co-occurrences (width and darkness:
    shared sentences). Labels sit outside the ring, one per ray: they never overlap."""
    fig, ax = _figure(height=7.0)
    ax.set_axis_off()
    order = {"PER": 0, "ORG": 1, "LOC": 2}
    leaders = actor_table.head(top)
    leaders = leaders.assign(group=leaders["type"].map(order).fillna(3))
    leaders = leaders.sort_values(["group", "mentions"], ascending=[True, False], kind="stable")
    nodes = list(leaders["actor"])
    strong = pairs[pairs.actor_a.isin(nodes) & pairs.actor_b.isin(nodes)].head(edges)
    linked = set(strong.actor_a) | set(strong.actor_b)
    title = t("network_title", lang, n=len(nodes))
    lonely = len(nodes) - len(linked)
    if strong.empty:
        ax.set_title(title, loc="left", fontsize=9)
        return _nothing(fig, ax, t("no_actors", lang))
    if lonely:
        title += "\n" + t("network_left_out", lang, n=lonely)
    ax.set_title(title, loc="left", fontsize=9, pad=14)
    position = _ring(nodes)
    strongest = strong["count"].max()
    for row in strong.iloc[::-1].itertuples():  # strongest drawn last, on top
        (x0, y0), (x1, y1) = position[row.actor_a], position[row.actor_b]
        share = row.count / strongest
        ax.plot([x0, x1], [y0, y1], color="#555", linewidth=0.4 + 3.2 * share,
                alpha=0.15 + 0.55 * share, solid_capstyle="round", zorder=1)  # fmt: skip
    info = leaders.set_index("actor")
    xs, ys = zip(*(position[a] for a in nodes), strict=True)
    ax.scatter(xs, ys, s=_node_sizes([float(info.loc[a, "mentions"]) for a in nodes]),
               c=[TYPE_COLORS.get(info.loc[a, "type"], "#999") for a in nodes], alpha=0.9,
               zorder=2, edgecolors="white", linewidths=0.5)  # fmt: skip
    _ring_labels(ax, position, {a: f"{_short(a, 26)} ({info.loc[a, 'mentions']})"
                                for a in nodes})  # fmt: skip
    return fig


# ------------------------------------------------------------------ sentiment


@plain_text
def net_sentiment(actor_table: pd.DataFrame, n: int = 15, lang: str = "en") -> Figure:
    """Diverging bars: net sentiment per actor (most mentioned first) with its interval."""
    rows = actor_table.head(n).iloc[::-1]
    fig, ax = _figure(height=0.32 * len(rows) + 1.2)
    colors = [POSITIVE if v > 0 else NEGATIVE if v < 0 else NEUTRAL for v in rows["net_sentiment"]]
    labels = [f"{_short(a, 30)} ({m})" for a, m in zip(rows["actor"], rows["mentions"],
                                                         strict=True)]  # fmt: skip
    ax.barh(labels, rows["net_sentiment"], color=colors, alpha=0.85)
    ax.hlines(labels, rows["net_low"], rows["net_high"], color="#333", linewidth=1)
    ax.axvline(0, color="#333", linewidth=0.8)
    ax.set_xlim(-1.05, 1.05)
    ax.set_xlabel(t("net_axis", lang), fontsize=8)
    ax.set_title(t("net_title", lang), loc="left", fontsize=10)
    ax.tick_params(axis="y", labelsize=8)
    _tidy(ax)
    return fig


@plain_text
def attitude_graph(pairs: pd.DataFrame, top: int = 15, lang: str = "en") -> Figure:
    """Holder → target arrows for the ``top`` most frequent pairs of ``tally.attitude_pairs``
    (attitudes held by actors): holders in the left column, targets in the right, width and
    the number at the arrow's head by count; green where positive attitudes outnumber
    negative ones, red where the reverse, grey when even."""
    pairs = pairs.head(top)
    holders = list(dict.fromkeys(pairs["holder"]))
    targets = list(dict.fromkeys(pairs["target"]))
    rows = max(len(holders), len(targets), 1)
    fig, ax = _figure(height=min(9.0, 1.0 + 0.32 * rows))
    ax.set_axis_off()
    ax.set_title(t("attitude_title", lang), loc="left", fontsize=9)
    if pairs.empty:
        return _nothing(fig, ax, t("no_attitude", lang))

    def heights(names: list[str]) -> dict[str, float]:
        gap = rows / max(1, len(names))
        return {name: -(i + 0.5) * gap for i, name in enumerate(names)}

    left, right = heights(holders), heights(targets)
    most = pairs["attitudes"].max()
    for row in pairs.itertuples():
        net = row.positive - row.negative
        color = POSITIVE if net > 0 else NEGATIVE if net < 0 else NEUTRAL
        ax.annotate("", xy=(0.97, right[row.target]), xytext=(0.03, left[row.holder]),
                    arrowprops={"arrowstyle": "-|>", "color": color, "alpha": 0.75,
                                "lw": 0.8 + 2.4 * row.attitudes / most, "shrinkA": 2,
                                "shrinkB": 2})  # fmt: skip
        ax.text(0.93, right[row.target] + 0.04 * (left[row.holder] - right[row.target]),
                str(row.attitudes), fontsize=6, color=color, ha="center", va="center",
                bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none"})  # fmt: skip
    for name, y in left.items():
        ax.text(0.0, y, _short(name, 32), ha="right", va="center", fontsize=7)
    for name, y in right.items():
        ax.text(1.0, y, _short(name, 32), ha="left", va="center", fontsize=7)
    ax.set_xlim(-0.75, 1.75)
    ax.set_ylim(-rows - 0.2, 0.2)
    return fig


# ------------------------------------------------------------------ time and sources


@plain_text
def dates_referred(timeline_table: pd.DataFrame, lang: str = "en") -> Figure:
    """The years the coverage refers to (a histogram), publication years marked apart."""
    fig, ax = _figure(height=2.2)
    ax.set_title(t("years_title", lang), loc="left", fontsize=10)
    if timeline_table.empty:
        return _nothing(fig, ax, t("no_date_found", lang))
    years = timeline_table["date"].str[:4].astype(int)
    published = timeline_table["kind"] == "publication"
    referred = years[~published]
    if len(referred) >= 20:  # a few distant years would squeeze the rest into a corner
        low, high = referred.quantile(0.02), referred.quantile(0.98)
        outside = int(((referred < low) | (referred > high)).sum())
        referred = referred[(referred >= low) & (referred <= high)]
        if outside:
            ax.set_title(f"{t('years_title', lang)} ({t('years_outside', lang, n=outside)})",
                         loc="left", fontsize=10)  # fmt: skip
    referred = referred.value_counts().sort_index()
    ax.bar(referred.index, referred.to_numpy(), color=ACCENT, width=0.8,
           label=t("referred_to", lang))  # fmt: skip
    for year in sorted(set(years[published])):
        ax.axvline(year, color="#b03a2e", linewidth=1.2, alpha=0.6, label=t("published", lang))
    handles, labels = ax.get_legend_handles_labels()
    ax.legend(dict(zip(labels, handles, strict=True)).values(), dict.fromkeys(labels),
              fontsize=7, frameon=False, loc="upper left")  # fmt: skip
    ax.set_ylabel(t("references", lang))
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.xaxis.get_major_locator().set_params(integer=True)
    _tidy(ax)
    return fig


@plain_text
def actors_over_time(
    per_period: pd.DataFrame, unit: str, value: str = "mentions", lang: str = "en"
) -> Figure:
    """The leading actors period by period: ``mentions``, or ``net_sentiment`` with its
    interval as a band. ``per_period`` comes from ``timeline.actors_per_period``."""
    key = "leaders_per" if value == "mentions" else "net_per"
    fig, ax = _figure(height=2.8)
    ax.set_title(t(key, lang, unit=t(f"unit_{unit}", lang)), loc="left", fontsize=10)
    if per_period.empty:
        return _nothing(fig, ax, t("no_dated_article", lang))
    periods = sorted(set(per_period["period"]))
    if len(periods) < 2:
        return _nothing(fig, ax, t("one_period", lang))
    x = {p: i for i, p in enumerate(periods)}
    actors = list(dict.fromkeys(per_period["actor"]))
    for color, actor in zip(SERIES, actors, strict=False):
        rows = per_period[per_period.actor == actor]
        xs = [x[p] for p in rows["period"]]
        ax.plot(xs, rows[value], marker="o", markersize=3, color=color, label=_short(actor, 26),
                linewidth=1.2)  # fmt: skip
        if value == "net_sentiment":
            ax.fill_between(xs, rows["net_low"], rows["net_high"], color=color, alpha=0.12)
    if value == "net_sentiment":
        ax.axhline(0, color="#333", linewidth=0.6)
        ax.set_ylim(-1.05, 1.05)
    else:
        ax.yaxis.get_major_locator().set_params(integer=True)
        ax.set_ylabel(t("mentions", lang))
    _thin_ticks(ax, periods)
    ax.legend(fontsize=7, frameon=False, ncols=3, loc="upper left", bbox_to_anchor=(0, -0.25)
              if len(periods) > 8 else None)  # fmt: skip
    _tidy(ax)
    return fig


@plain_text
def sentiment_by_source(by_source: pd.DataFrame, lang: str = "en") -> Figure:
    """Per leading actor, one dot per source: net sentiment with its interval, side by side."""
    actors = list(dict.fromkeys(by_source["actor"]))
    sources = list(dict.fromkeys(by_source["source"]))
    fig, ax = _figure(height=0.45 * max(1, len(actors)) + 1.3)
    ax.set_title(t("by_source_title", lang), loc="left", fontsize=10)
    if by_source.empty:
        return _nothing(fig, ax, t("none_found", lang))
    step = 0.7 / max(1, len(sources))
    for i, (source, color) in enumerate(zip(sources, SERIES * 4, strict=False)):
        rows = by_source[by_source.source == source]
        ys = [actors.index(a) + (i - (len(sources) - 1) / 2) * step for a in rows["actor"]]
        ax.hlines(ys, rows["net_low"], rows["net_high"], color=color, linewidth=1)
        ax.plot(rows["net_sentiment"], ys, "o", color=color, markersize=4,
                label=_short(source, 30))  # fmt: skip
    ax.set_yticks(range(len(actors)), [_short(a, 30) for a in actors], fontsize=8)
    ax.invert_yaxis()
    ax.axvline(0, color="#333", linewidth=0.6)
    ax.set_xlim(-1.05, 1.05)
    ax.set_xlabel(t("net_axis", lang), fontsize=8)
    ax.legend(fontsize=7, frameon=False, loc="lower right")
    _tidy(ax)
    return fig


# ------------------------------------------------------------------ stories


@plain_text
def stories_on_a_timeline(stories: pd.DataFrame, articles: pd.DataFrame, story_of: pd.DataFrame,
                          top: int = 12, lang: str = "en") -> Figure:  # fmt: skip
    """The leading stories, one row each (the largest on top), a dot per period sized by the
    articles the story had in it, on the corpus's periods (day, week, month, year)."""
    shared = stories[stories["articles"] >= 2].head(top)
    fig, ax = _figure(height=max(2.0, 0.34 * len(shared) + 1.0))
    ax.set_title(t("stories_timeline", lang), loc="left", fontsize=10)
    dated = articles.dropna(subset=["date"])
    if shared.empty or dated.empty:
        return _nothing(fig, ax, t("no_shared_story", lang))
    unit = timeline.period_unit(dated["date"])
    per = story_of.merge(dated[["doc_id", "date"]], on="doc_id")
    per = per[per.story_id.isin(shared.story_id)]
    per = per.assign(period=[timeline.period_label(p, unit)
                             for p in timeline.period_start(per["date"], unit)])  # fmt: skip
    periods = timeline.articles_per_period(dated, unit)["period"].tolist()
    x = {p: i for i, p in enumerate(periods)}
    counts = per.groupby(["story_id", "period"]).size()
    rows = {story: k for k, story in enumerate(shared.story_id)}
    largest = max(1, int(counts.max()))
    for (story, period), n in counts.items():
        ax.scatter(x[period], rows[story], s=12 + 220 * n / largest, color=ACCENT, alpha=0.75,
                   linewidths=0)  # fmt: skip
    labels = [f"{_short(h, 46)} ({n})" for h, n in zip(shared.headline, shared.articles,
                                                      strict=True)]  # fmt: skip
    ax.set_yticks(range(len(shared)), labels, fontsize=7)
    ax.set_ylim(len(shared) - 0.5, -0.5)
    ax.set_xlim(-0.7, len(periods) - 0.3)
    _thin_ticks(ax, periods)
    ax.grid(axis="y", color="#eee", linewidth=0.6)
    _tidy(ax)
    return fig


@plain_text
def outlets_by_story(stories: pd.DataFrame, articles: pd.DataFrame, story_of: pd.DataFrame,
                     top: int = 10, outlets: int = 12, lang: str = "en") -> Figure:  # fmt: skip
    """Who covered which story: the largest outlets (rows) by the leading stories (columns),
    each cell the articles the outlet gave the story."""
    from newslens.sources import outlets as outlet_of

    shared = stories[stories["articles"] >= 2].head(top)
    named = outlet_of(articles)
    fig, ax = _figure(height=3.6)
    ax.set_title(t("outlets_by_story", lang), loc="left", fontsize=10)
    if shared.empty or named.empty:
        return _nothing(fig, ax, t("no_shared_story" if shared.empty else "no_sources", lang))
    frame = story_of.assign(outlet=story_of.doc_id.map(named)).dropna(subset=["outlet"])
    frame = frame[frame.story_id.isin(shared.story_id)]
    biggest = list(frame["outlet"].value_counts().head(outlets).index)
    grid = pd.crosstab(frame["outlet"], frame["story_id"]).reindex(
        index=biggest, columns=list(shared.story_id), fill_value=0
    )
    ax.imshow(grid.to_numpy(), cmap="Blues", aspect="auto", vmin=0)
    for (r, c), n in pd.DataFrame(grid.to_numpy()).stack().items():
        if n:
            ax.text(c, r, str(n), ha="center", va="center", fontsize=6,
                    color="white" if n > grid.to_numpy().max() / 2 else "#222")  # fmt: skip
    ax.set_yticks(range(len(biggest)), [_short(o, 30) for o in biggest], fontsize=7)
    ax.set_xticks(range(len(grid.columns)), [str(k) for k in grid.columns], fontsize=7)
    ax.set_xlabel(t("story_numbers", lang), fontsize=8)
    for side in ("top", "right", "left", "bottom"):
        ax.spines[side].set_visible(False)
    return fig
