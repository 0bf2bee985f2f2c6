"""What the chapters are made of, for one article or thousands: periods, sources, central
articles, speakers, caps that name their CSV, literal chart text, both languages."""

import pandas as pd
import pytest

from newslens import account, charts, i18n, quotes, show, sources, tally, timeline
from newslens.exporter import in_language


def articles_on(dates: list[str | None], sources_: list[str] | None = None) -> pd.DataFrame:
    n = len(dates)
    return pd.DataFrame(
        {"doc_id": [f"a{i}" for i in range(n)], "date": pd.to_datetime(dates),
         "title": "", "text": "", "source": sources_ or [""] * n, "path": ""}
    )  # fmt: skip


@pytest.mark.parametrize(
    ("first", "last", "unit"),
    [("2025-09-01", "2025-09-20", "D"), ("2025-01-01", "2025-06-30", "W"),
     ("2021-01-01", "2025-06-30", "M"), ("1999-01-01", "2025-06-30", "Y")],
)  # fmt: skip
def test_the_period_follows_the_span(first, last, unit):
    assert timeline.period_unit(pd.Series(pd.to_datetime([first, last]))) == unit


def test_articles_per_period_shows_empty_periods_and_leaves_undated_out():
    counts = timeline.articles_per_period(
        articles_on(["2024-01-15", "2024-01-20", "2024-04-02", None]), "M"
    )
    assert counts.values.tolist() == [["2024-01", 2], ["2024-02", 0], ["2024-03", 0],
                                      ["2024-04", 1]]  # fmt: skip


def test_actors_per_period_counts_polarity_with_an_interval():
    articles = articles_on(["2024-01-15", "2024-02-03"])
    scored = pd.DataFrame({"doc_id": ["a0", "a0", "a1", "a1"], "actor": ["X", "X", "X", "Y"],
                           "polarity": [-1, -1, 1, 0]})  # fmt: skip
    table = timeline.actors_per_period(scored, articles, ["X"], "M")
    assert table[["period", "mentions", "positive", "negative", "net_sentiment"]].values.tolist() \
        == [["2024-01", 2, 0, 2, -1.0], ["2024-02", 1, 1, 0, 1.0]]  # fmt: skip
    assert (table.net_high - table.net_low > 1).all()  # one or two mentions: a wide interval


def test_outlets_by_host_and_sentiment_side_by_side():
    assert sources.outlet("https://www.kommersant.ru/doc/123") == "kommersant.ru"
    assert sources.outlet("  ТАСС ") == "ТАСС"
    articles = articles_on([None] * 3, ["https://ria.ru/a", "ria.ru", "tass.ru"])
    scored = pd.DataFrame({"doc_id": ["a0", "a1", "a2"], "actor": ["X", "X", "X"],
                           "polarity": [1, 1, -1]})  # fmt: skip
    table = sources.sentiment_by_source(scored, articles, ["X"])
    assert table[["source", "mentions", "net_sentiment"]].values.tolist() == [
        ["ria.ru", 2, 1.0], ["tass.ru", 1, -1.0]]  # fmt: skip
    assert account.per_source(articles).values.tolist() == [["ria.ru", 2], ["tass.ru", 1]]


def test_the_central_article_shares_the_corpus_actors():
    mentions = pd.DataFrame({
        "doc_id": ["a", "a", "b", "b", "c"],
        "actor": ["Путин", "Алиев", "Путин", "Алиев", "Погода"],
    })  # fmt: skip
    mentions = pd.concat([mentions, mentions[mentions.doc_id == "a"]])
    assert tally.central_articles(mentions, 2) == ["a", "b"]


def test_attitudes_add_up_per_pair_and_leave_the_author_out():
    held = pd.DataFrame({"holder": ["МИД", "МИД", "author", "Кремль"],
                         "target": ["Россия", "Россия", "Россия", "МИД"],
                         "polarity": [-1, 1, -1, -1]})  # fmt: skip
    pairs = tally.attitude_pairs(held)
    assert pairs.values.tolist() == [["МИД", "Россия", 2, 1, 1], ["Кремль", "МИД", 1, 1, 0]]


def test_a_speaker_is_shown_with_the_quote_closest_to_the_others():
    said = pd.DataFrame({
        "speaker": ["Песков"] * 3 + ["Алиев", ""],
        "kind": ["indirect", "direct", "indirect", "direct", "direct"],
        "quote": ["встреча президентов не состоялась в Китае",
                  "встреча президентов не состоялась, контакты были",
                  "погода в Пекине была хорошей",
                  "никогда не соглашайтесь на оккупацию", "без автора"],
    })  # fmt: skip
    table = quotes.speakers(said)
    assert table[["speaker", "direct", "indirect", "quotes"]].values.tolist() == [
        ["Песков", 1, 2, 3], ["Алиев", 1, 0, 1]]  # fmt: skip
    assert table.quote.iloc[0].startswith("встреча президентов")


def test_rejections_are_counted_by_their_general_reason():
    rejected = pd.DataFrame({"reason": ["duplicate text of t10", "duplicate text of t4",
                                        "invalid JSON: Expecting value (column 1)"]})  # fmt: skip
    assert account.reasons(rejected).values.tolist() == [["duplicate text of …", 2],
                                                       ["invalid JSON", 1]]  # fmt: skip


def test_a_capped_table_names_its_csv_and_prints_no_backslash_n():
    frame = pd.DataFrame({"sentence": [f"строка\nномер {i}" for i in range(30)]})
    markup = show.table(frame, max_rows=5, name="quotes.csv")._repr_html_()
    assert "\\n" not in markup and "строка номер 0" in markup
    assert "… 25 more rows: the whole table is quotes.csv" in markup
    russian = show.table(pd.DataFrame({"type": ["PER"], "mentions": [3]}), lang="ru")
    assert "упоминания" in russian.markup and "человек" in russian.markup


def test_a_long_word_gets_break_points_and_keeps_its_letters():
    link = "https://example.org/" + "а" * 90
    markup = show.table(pd.DataFrame({"sentence": [f"См. {link} здесь"]})).markup
    cell = markup.split("<td>")[1].split("</td>")[0]
    assert cell.replace("\u200b", "") == f"См. {link} здесь"
    assert max(len(w) for w in cell.replace("\u200b", " ").split()) <= show.WORD


def test_a_marked_article_shows_its_title_once():
    title = "Путин прибыл в Анкару."
    found = pd.DataFrame({"section": ["title", "text", "text"], "start": [0, 0, 23],
                          "end": [5, 5, 28], "text": ["Путин"] * 3, "actor": ["Владимир Путин"] * 3,
                          "type": ["PER"] * 3, "form": ["surname"] * 3})  # fmt: skip
    # a .txt without header: the title is the body's first line, analysed once, shown once
    plain = show.article("a", title, f"{title}\nПутин встретился с Эрдоганом.", pd.NaT,
                         found[found.section == "text"]).markup  # fmt: skip
    assert plain.count("прибыл в Анкару") == 1 and plain.count("<mark") == 2
    assert plain.startswith("<h4>a</h4>")
    # a title of its own (JSONL, a header line): shown, then the body
    apart = show.article("b", title, "Путин встретился с Эрдоганом.", pd.Timestamp("2025-09-03"),
                         found.iloc[:2]).markup  # fmt: skip
    assert apart.startswith("<h4>2025-09-03 · b</h4>") and apart.count("<mark") == 2
    assert apart.index("прибыл") < apart.index("встретился")


def test_chart_text_from_the_corpus_is_drawn_literally():
    table = pd.DataFrame({
        "actor": ["$\\frac{1}{0}$ Фонд", "Путин"], "type": ["ORG", "PER"], "mentions": [3, 2],
        "named_mentions": [3, 2], "net_sentiment": [0.5, -0.5], "net_low": [0.0, -0.9],
        "net_high": [0.9, 0.1], **{form: [0, 0] for form in charts.FORM_COLORS},
    })  # fmt: skip
    table["name"] = table["mentions"]
    for fig in (charts.top_actors(table), charts.net_sentiment(table)):
        fig.savefig(__import__("io").BytesIO(), format="png")  # mathtext would raise here
        texts = [t.get_text() for ax in fig.axes for t in ax.get_yticklabels()]
        assert any("$\\frac{1}{0}$" in t for t in texts)


def test_every_word_of_the_report_exists_in_both_languages():
    for key, (en, ru) in i18n.WORDS.items():
        assert en and ru and en != ru or key == "corpus", key
    assert i18n.t("articles_per", "ru", unit=i18n.t("unit_M", "ru")) == "Статьи по месяцам"
    with pytest.raises(ValueError, match="'en' or 'ru'"):
        i18n.t("period", "de")


def test_a_report_keeps_the_prose_of_its_language():
    from nbformat.v4 import new_code_cell, new_markdown_cell

    en = new_markdown_cell("Who", metadata={"tags": ["lang-en"]})
    ru = new_markdown_cell("Кто", metadata={"tags": ["lang-ru"]})
    code = new_code_cell("1")
    assert [c.source for c in (en, ru, code) if in_language(c, "ru")] == ["Кто", "1"]
