"""Property-based tests: sentences built from the shapes the rules read (attribution phrases,
«в адрес», quotes, nested mentions, none, one or two actors) never break the analysis, and
every table it writes points back into the text.

Once, one-line articles of these shapes crashed chapter 3 (issue #10): «Как сообщили в
полиции, Петров совершил жестокое убийство.»"""

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newslens import pipeline
from newslens.load import REJECTED_COLUMNS, Corpus

PEOPLE = ["Петров", "Владимир Путин", "Ильхам Алиев", "Анна Смирнова", "Дмитрий Песков"]
HOLDERS = ["МИД России", "президент Азербайджана", "Министерство иностранных дел Франции",
           "правительство Германии", "полиция", "Кремль"]  # fmt: skip
PLACES = ["Москве", "Баку", "Пекине", ""]
ATTRIBUTIONS = ["По словам {h}", "Как сообщили в {p}", "По данным {h}", "По мнению {h}",
                "Как заявил {h}", "По его словам"]  # fmt: skip
CLAUSES = ["{x} совершил жестокое убийство", "{x} встретился с {y}", "{h} осудило действия {y}",
           "{x} поддержал {y}", "прозвучали угрозы в адрес {y}", "ничего не произошло",
           "{x} заявил: «Мы не согласимся на это никогда»", "«Это большая ошибка», — сказал {x}",
           "{h} раскритиковало {y} за задержку"]  # fmt: skip


@st.composite
def sentences(draw) -> str:
    fill = {
        "x": draw(st.sampled_from(PEOPLE)),
        "y": draw(st.sampled_from(PEOPLE + HOLDERS)),
        "h": draw(st.sampled_from(HOLDERS)),
        "p": draw(st.sampled_from(["полиции", "МВД", "Кремле"])),
    }
    clause = draw(st.sampled_from(CLAUSES)).format(**fill)
    if draw(st.booleans()):
        clause = draw(st.sampled_from(ATTRIBUTIONS)).format(**fill) + ", " + clause
    place = draw(st.sampled_from(PLACES))
    text = clause[0].upper() + clause[1:] + (f" в {place}" if place else "") + "."
    return text


def corpus_of(texts: list[str]) -> Corpus:
    articles = pd.DataFrame(
        {"doc_id": [f"a{i}" for i in range(len(texts))], "date": pd.NaT, "title": "",
         "text": texts, "source": "", "path": ""}
    )  # fmt: skip
    articles["date"] = pd.to_datetime(articles["date"])
    return Corpus(articles, pd.DataFrame(columns=REJECTED_COLUMNS))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(sentences(), min_size=1, max_size=3))
def test_any_article_of_these_shapes_is_analysed_and_its_tables_point_into_it(texts):
    text = " ".join(texts)
    result = pipeline.analyse(corpus_of([text]), sentiment="fast")
    for m in result["mentions"].itertuples():
        assert text[m.start : m.end] == m.text
    assert set(result["scored"].polarity) <= {-1, 0, 1}
    actors = set(result["actors"].actor)
    held = result["attitudes"]
    assert set(held.holder) <= actors | {"author"}
    assert set(held.target) <= actors
    for q in result["quotes"].itertuples():
        assert q.speaker in actors | {""}
        assert 0 <= q.start <= q.end <= len(text)
    assert result.narrative("en") and result.narrative("ru")
