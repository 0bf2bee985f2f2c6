"""The analysis as one table of steps: what each makes, what it reads, how it runs.

Every step is a function of the run's context and of the tables it reads; :data:`STEPS` is
the only place that says in what order the analysis goes. ``pipeline.Analysis`` computes a
table when it is first asked for, after the ones it reads; ``save`` persists every table
marked ``keep``, the report exports those with an ``export`` name, and ``stream`` walks the
same steps a chunk of articles at a time. A new table is one step here (and a chapter that
reads it, one notebook).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from newslens import (
    attitudes,
    copies,
    engine,
    keysentences,
    quotes,
    resolver,
    sentiment,
    sources,
    stories,
    tally,
    timeline,
)  # fmt: skip
from newslens.context import Context


@dataclass(frozen=True)
class Step:
    """``makes`` ← ``function(ctx, *reads)``. With ``per_article`` the function reads each
    article apart: its table inputs (those with a ``doc_id``) are cut into runs of articles
    for the context's worker processes, and the parts joined in order."""

    makes: tuple[str, ...]
    function: Callable
    reads: tuple[str, ...] = ()
    per_article: bool = False
    keep: bool = True  # persisted for the chapters (tables only)
    export: str = ""  # the CSV beside the PDF that holds the whole table ("": none)


# ------------------------------------------------------------------ the steps' functions


def _results(ctx: Context, articles: pd.DataFrame) -> list:
    """The per-article stage (parse, mentions): cached, on the context's engine."""
    rows = articles[["doc_id", "title", "text"]].itertuples(index=False, name=None)
    return list(engine.run(rows, ctx, total=len(articles)))


def _resolver(ctx: Context, results: list) -> resolver.Resolver:
    names = resolver.Resolver(ctx.gazetteer)
    for result in results:
        names.add(result.entities)
    return names.finish()


def _entities(ctx: Context, results: list, names: resolver.Resolver, articles: pd.DataFrame):
    """The resolved mentions and the sentences; a mention of an outlet in its own posts («По
    данным SHOT» in SHOT's) is its byline, not news: set apart, counted per outlet."""
    found = resolver.entities_table([r.entities for r in results], names)
    own = sources.own_mentions(found.mentions, articles, ctx.gazetteer)
    by_outlet = (
        found.mentions[own]
        .assign(source=lambda m: m.doc_id.map(articles.set_index("doc_id")["source"]))
        .groupby(["source", "actor"])
        .size()
        .rename("mentions")
        .reset_index()
    )
    return found.mentions[~own].reset_index(drop=True), found.sentences, by_outlet


def _mention_counts(ctx: Context, mentions: pd.DataFrame, articles: pd.DataFrame):
    return tally.actor_counts(mentions, articles)


def _leading(ctx: Context, counts: pd.DataFrame) -> list[str] | None:
    """The actors whose mentions the dense view reads (None: the mode does not embed)."""
    if ctx.mode is None or not ctx.mode.embeds:
        return None
    return sentiment.dense_scope(tally.actor_table(counts, ctx.gazetteer, sentiment=False))


def _vectors(ctx, results, mentions, sentences, leading) -> dict:
    """The sentence embeddings the dense view reads (none unless the mode embeds)."""
    if leading is None:
        return {}
    wanted = engine.by_article(sentiment.dense_texts, [mentions, sentences, ctx, leading],
                               ctx.workers)  # fmt: skip
    return engine.add_vectors(results, wanted, ctx)


def _polar(ctx, mentions, sentences, vectors, leading) -> pd.DataFrame:
    """The mentions with their polarity (the mentions as they are without sentiment)."""
    if ctx.mode is None:
        return mentions
    return sentiment.mention_sentiment(mentions, sentences, ctx, vectors, leading)


def _first_seen(ctx: Context, sentences: pd.DataFrame, articles: pd.DataFrame) -> dict:
    """Each sentence's first article, in the corpus's order (the article table's)."""
    order = {doc: k for k, doc in enumerate(articles["doc_id"])}
    first: dict[str, str] = {}
    ranked = sorted(zip(sentences["doc_id"], sentences["text"], strict=True),
                    key=lambda pair: order.get(pair[0], len(order)))  # fmt: skip
    for doc, text in ranked:
        first.setdefault(sentiment.sentence_key(text), doc)
    return first


def _scored(ctx: Context, polar: pd.DataFrame, first_seen: dict, copied) -> pd.DataFrame:
    """The scored mentions, each marked ``repeat`` when another article said it first: its
    sentence was first published there, or its article is a copy (``copies``) of one that
    names the same actor. Polarity counts it once, where it first appeared, so copies do not
    narrow an actor's interval."""
    if "sentence" not in polar:
        return polar
    keys = [sentiment.sentence_key(s) for s in polar["sentence"]]
    first = [first_seen.get(key, doc) for key, doc in zip(keys, polar["doc_id"], strict=True)]
    repeat = np.asarray(first, dtype=object) != polar["doc_id"].to_numpy()
    if copied is not None and len(copied):
        original = polar["doc_id"].map(copied.set_index("doc_id")["copy_of"])
        named = set(zip(polar["doc_id"], polar["actor"], strict=True))
        retold = [o == o and (o, a) in named for o, a in zip(original, polar["actor"],
                                                               strict=True)]  # fmt: skip
        repeat |= np.asarray(retold, dtype=bool)
    return polar.assign(repeat=repeat)


def _actor_counts(ctx: Context, scored: pd.DataFrame, articles: pd.DataFrame):
    return tally.actor_counts(scored, articles)


def _actors(ctx: Context, counts: pd.DataFrame, mentions: pd.DataFrame, story_of) -> pd.DataFrame:
    """The actor table, with the distinct stories each actor is in (none when streaming:
    stories need the whole corpus)."""
    table = tally.actor_table(counts, ctx.gazetteer, sentiment=ctx.mode is not None)
    if story_of is None:
        return table
    return tally.with_stories(table, mentions, story_of)


def _attitudes(ctx: Context, scored: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    if "polarity" not in scored:
        return pd.DataFrame(columns=attitudes.COLUMNS)
    return attitudes.attitudes(scored, sentences, ctx.gazetteer)


def _quotes(ctx, articles, mentions, sentences) -> pd.DataFrame:
    return quotes.extract(articles, mentions, sentences, ctx.gazetteer)


def _leaders(ctx: Context, actors: pd.DataFrame) -> list[str]:
    """The most mentioned people and organisations: the actors followed in time and by
    outlet."""
    return list(actors[actors.type.isin(["PER", "ORG"])].head(LEADERS)["actor"])


LEADERS = 5


def _unit(ctx: Context, articles: pd.DataFrame) -> str:
    return timeline.period_unit(articles["date"])


STEPS: tuple[Step, ...] = (
    Step(("results",), _results, ("articles",), keep=False),
    Step(("resolver",), _resolver, ("results",), keep=False),
    Step(("mentions", "sentences", "own_mentions"), _entities,
         ("results", "resolver", "articles")),
    Step(("mention_counts",), _mention_counts, ("mentions", "articles"), keep=False),
    Step(("leading",), _leading, ("mention_counts",), keep=False),
    Step(("vectors",), _vectors, ("results", "mentions", "sentences", "leading"), keep=False),
    Step(("polar",), _polar, ("mentions", "sentences", "vectors", "leading"),
         per_article=True, keep=False),
    Step(("first_seen",), _first_seen, ("sentences", "articles"), keep=False),
    Step(("word_vectors",), lambda ctx, articles: stories.word_vectors(articles),
         ("articles",), keep=False),
    Step(("copies",), lambda ctx, articles, vectors: copies.find(articles, vectors),
         ("articles", "word_vectors")),
    Step(("scored",), _scored, ("polar", "first_seen", "copies"), export="mentions"),
    Step(("story_of",), lambda ctx, articles, vectors: stories.story_of(articles, vectors),
         ("articles", "word_vectors")),
    Step(("actor_counts",), _actor_counts, ("scored", "articles"), keep=False),
    Step(("actors",), _actors, ("actor_counts", "mentions", "story_of"), export="actors"),
    Step(("attitudes",), _attitudes, ("scored", "sentences"), export="attitudes"),
    Step(("quotes",), _quotes, ("articles", "mentions", "sentences"), per_article=True,
         export="quotes"),
    Step(("timeline",), lambda ctx, articles: timeline.timeline(articles), ("articles",),
         export="dates"),
    Step(("key_sentences",), lambda ctx, s: keysentences.corpus_key_sentences(s),
         ("sentences",), export="key_sentences"),
    Step(("cooccurrence",), lambda ctx, m: tally.cooccurrence(m), ("mentions",),
         export="cooccurrence"),
    Step(("leaders",), _leaders, ("actors",), keep=False),
    Step(("unit",), _unit, ("articles",), keep=False),
    Step(("per_period",), lambda ctx, scored, articles, leaders, unit:
         timeline.actors_per_period(scored, articles, leaders, unit),
         ("scored", "articles", "leaders", "unit")),
    Step(("by_source",), lambda ctx, scored, articles, leaders:
         sources.sentiment_by_source(scored, articles, leaders),
         ("scored", "articles", "leaders")),
    Step(("speakers",), lambda ctx, said: quotes.speakers(said), ("quotes",)),
    Step(("speakers_by_source",), lambda ctx, said, articles:
         sources.speakers_by_source(said, articles), ("quotes", "articles")),
    Step(("attitude_pairs",), lambda ctx, held: tally.attitude_pairs(held), ("attitudes",)),
    Step(("stories",), lambda ctx, articles, vectors, story, scored, said:
         stories.describe(articles, vectors, story, scored, said),
         ("articles", "word_vectors", "story_of", "scored", "quotes"), export="stories"),
)  # fmt: skip

# The tables the corpus brings (``load``): the first inputs of the steps, persisted and
# exported (under their own names) like the tables the steps make.
INPUTS = ("articles", "rejected", "warnings", "boilerplate")

MAKER: dict[str, Step] = {name: step for step in STEPS for name in step.makes}


def kept() -> list[str]:
    """Every table a saved analysis holds: the inputs, then each step's, in step order."""
    return [*INPUTS, *(name for step in STEPS if step.keep for name in step.makes)]


def exported() -> dict[str, str]:
    """Table → the CSV file it is exported as: the inputs, then the steps', in step order."""
    made = {name: step.export for step in STEPS if step.export for name in step.makes}
    return {**{name: name for name in INPUTS}, **made}
