"""The analysis of a corpus, its tables computed on first use and persisted once.

:class:`Analysis` holds a run's context and its tables; asking for a table (``analysis[
"quotes"]``) computes it, after the tables it reads, by walking ``newslens.steps.STEPS``.
:meth:`Analysis.save` writes every table as Parquet to a folder; :func:`open_analysis` reads
it back, so the report analyses a corpus once and each chapter notebook only reads
(cookiecutter-data-science: cache long-running steps).
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pandas as pd

from newslens import config, context, engine, entities, narrative, tally
from newslens.context import Context
from newslens.load import ARTICLE_COLUMNS, Corpus, load
from newslens.steps import MAKER, kept


class Analysis:
    """A corpus analysed: its context and its tables, each made when first asked for."""

    def __init__(self, ctx: Context, tables: dict):
        self.ctx, self.tables = ctx, dict(tables)
        self.seconds: dict[str, float] = {}  # what each step took, by its first table
        if "articles" in self.tables:
            self.tables["articles"] = _complete(self.tables["articles"])

    def __getitem__(self, name: str):
        if name not in self.tables:
            self._make(name)
        return self.tables[name]

    def __contains__(self, name: str) -> bool:
        return name in self.tables

    def _make(self, name: str) -> None:
        step = MAKER.get(name)
        if step is None:
            raise KeyError(f"no table {name!r} in the analysis (see newslens.steps.STEPS)")
        inputs = [self[read] for read in step.reads]
        start = time.perf_counter()
        if step.per_article:
            made = engine.by_article(step.function, [self.ctx, *inputs], self.ctx.workers)
        else:
            made = step.function(self.ctx, *inputs)
        self.tables.update(zip(step.makes, made if len(step.makes) > 1 else (made,),
                               strict=True))  # fmt: skip
        self.seconds[step.makes[0]] = round(time.perf_counter() - start, 2)

    @property
    def corpus(self) -> Corpus:
        return Corpus(self["articles"], self["rejected"], self["warnings"], self["boilerplate"])

    @property
    def sentiment(self) -> str | None:
        """The name of the sentiment mode, None when sentiment does not run."""
        return self.ctx.mode.name if self.ctx.mode else None

    def central_articles(self, top: int = 3) -> list[str]:
        return tally.central_articles(self["mentions"], top)

    def narrative(self, lang: str = "en") -> list[str]:
        facts = narrative.Facts(
            self["articles"], self["actors"], self["attitudes"], self["quotes"],
            self["timeline"], self["per_period"], self["unit"], self["stories"],
        )  # fmt: skip
        return narrative.write(facts, lang, self.ctx.gazetteer)

    def save(self, folder: str | Path) -> Path:
        """Write every kept table (``steps.kept``) as Parquet, and what produced them as
        JSON."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        names = kept()
        for name in names:
            self[name].to_parquet(folder / f"{name}.parquet", index=False)
        meta = {"sentiment": self.sentiment, "gazetteer": self.ctx.gazetteer.path,
                "tables": names}  # fmt: skip
        (folder / "analysis.json").write_text(json.dumps(meta, indent=1), "utf-8")
        return folder


def _complete(articles: pd.DataFrame) -> pd.DataFrame:
    """An articles table with every column of ``load.ARTICLE_COLUMNS`` (one built by hand may
    lack the outlet or the time): no source, no path, published on its date."""
    missing = [c for c in ARTICLE_COLUMNS if c not in articles]
    if not missing:
        return articles
    dates = pd.to_datetime(articles["date"]) if "date" in articles else pd.NaT
    filled = {"date": dates, "title": "", "source": "", "path": "", "published": dates}
    return articles.assign(**{c: filled[c] for c in missing if c in filled})


def open_analysis(folder: str | Path) -> Analysis:
    """An analysis saved by :meth:`Analysis.save`: every table read back, nothing recomputed."""
    folder = Path(folder)
    meta_path = folder / "analysis.json"
    if not meta_path.exists():
        raise FileNotFoundError(f"{folder}: not a saved analysis (no analysis.json)")
    meta = json.loads(meta_path.read_text("utf-8"))
    tables = {name: pd.read_parquet(folder / f"{name}.parquet") for name in meta["tables"]}
    ctx = context.make(meta["gazetteer"] or config.GAZETTEER, meta["sentiment"])
    return Analysis(ctx, tables)


def analyse(corpus, ctx: Context | None = None, **options) -> Analysis:
    """The analysis of ``corpus`` (paths, or a loaded :class:`Corpus`) in ``ctx`` (else a
    context made of ``options``: gazetteer, sentiment, workers, engine, scheduler, cache,
    progress). Nothing is computed until a table is asked for."""
    ctx = ctx or context.make(**options)
    if not isinstance(corpus, Corpus):
        corpus = load(corpus, max_chars=ctx.max_chars)
    given = {"articles": corpus.articles, "rejected": corpus.rejected,
             "warnings": corpus.warnings, "boilerplate": corpus.boilerplate}  # fmt: skip
    return Analysis(ctx, given)


def open_or_analyse(tables: str | Path | None, corpus, **options) -> Analysis:
    """What a chapter notebook calls: the report's saved tables when it hands them over
    (``tables``), else the analysis of ``corpus`` run here (a notebook opened on its own)."""
    if tables:
        return open_analysis(tables)
    return analyse(corpus, **options)


def extract(articles: pd.DataFrame, ctx: Context | None = None) -> entities.Entities:
    """Mentions of every article in the table, resolved to actors across the corpus: the
    entity half of the analysis (by default in this process, without cache or sentiment)."""
    ctx = ctx or context.make(sentiment=None)
    analysis = Analysis(ctx, {"articles": articles})
    return entities.Entities(analysis["mentions"], analysis["sentences"])
