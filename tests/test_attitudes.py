"""Which attitudes are certain (the executive summary may state them) and which stay in the
table with their rule, on written sentences and on the seed."""

import pandas as pd
import pytest

from newslens import attitudes, context, pipeline, quotes, sentiment
from newslens.config import GAZETTEER

FAST = context.make(sentiment="fast")


def held(*texts: str, ctx=FAST) -> pd.DataFrame:
    articles = pd.DataFrame(
        {"doc_id": [f"d{i}" for i in range(len(texts))], "title": "", "text": list(texts),
         "date": pd.NaT}
    )  # fmt: skip
    found = pipeline.extract(articles, ctx.but(mode=None))
    scored = sentiment.mention_sentiment(found.mentions, found.sentences, ctx)
    frame = attitudes.attitudes(scored, found.sentences, ctx.gazetteer)
    return frame[frame.holder != "author"]


def test_the_subject_of_a_judging_verb_holds_a_certain_view_of_its_object():
    frame = held(
        "Великобритания обвиняет Россию в использовании химического оружия.",
        "Анна Политковская нередко критиковала президента Владимира Путина.",
    )
    certain = frame[frame.certain]
    assert certain[["holder", "target", "polarity"]].values.tolist() == [
        ["Великобритания", "Россия", -1],
        ["Анна Политковская", "Владимир Путин", -1],
    ]


def test_no_certainty_after_a_preposition_another_verb_or_for_a_province():
    frame = held(
        "США обвинили Иран в тайных поставках оружия в Йемен.",
        "Мэр Бостона Томас Менино обвинил журнал в придании Царнаеву статуса знаменитости.",
        "Брижит Бардо пригрозила последовать примеру Жерара Депардьё.",
        "Китай осудил Синьцзян.",
    )
    certain = frame[frame.certain]
    assert certain[["holder", "target"]].values.tolist() == [["США", "Иран"]]


def test_a_sentence_repeated_in_an_article_is_one_attitude():
    sentence = "Великобритания обвиняет Россию в использовании химического оружия."
    frame = held(f"{sentence}\n\n{sentence}")
    assert len(frame[frame.target == "Россия"]) == 1


def test_the_run_s_gazetteer_decides_which_places_hold_and_speak(tmp_path):
    """``--gazetteer``: a region the default gazetteer does not know as a state holds no
    certain view and is no speaker; in a gazetteer that names it with its adjective, it is."""
    judged = "Калифорния осудила Техас за нарушение закона."
    said = "Калифорния заявила, что Техас нарушил закон."

    def certain_and_speaker(ctx) -> tuple[list, list]:
        frame = held(judged, ctx=ctx)
        articles = pd.DataFrame({"doc_id": ["q"], "title": [""], "text": [said], "date": [pd.NaT]})
        found = pipeline.extract(articles, ctx.but(mode=None))
        spoken = quotes.extract(articles, found.mentions, found.sentences, ctx.gazetteer)
        return frame[frame.target == "Техас"].certain.tolist(), spoken.speaker.tolist()

    assert certain_and_speaker(FAST) == ([False], [""])
    edited = tmp_path / "gazetteer.csv"
    edited.write_text(GAZETTEER.read_text("utf-8") + "Калифорния,LOC,,калифорнийский,,"
                      "California,,\nТехас,LOC,,техасский,,Texas,,\n", "utf-8")  # fmt: skip
    assert certain_and_speaker(context.make(edited, "fast")) == ([True], ["Калифорния"])


@pytest.fixture(scope="module")
def seed(seed_fast):
    return seed_fast


def test_seed_summary_states_only_certain_attitudes(seed):
    frame = seed["attitudes"]
    by_actors = frame[frame.holder != "author"]
    assert by_actors[["holder", "target", "rule", "certain"]].values.tolist() == [
        ["Ильхам Алиев", "Украина", "verb", True],
        ["Министерство иностранных дел Азербайджана", "Россия", "verb", True],
        ["Азербайджан", "Владимир Путин", "addressed", False],
    ]
    text = " ".join(seed.narrative("en"))
    assert "Ilham Aliyev) supports Украина" in text
    # stated with the sentence that says it, not only the target's words
    assert (
        "criticises Россия (Russia): «Министерство иностранных дел Азербайджана решительно "
        "осудило действия российских силовиков, требуя официального объяснения"
    ) in text
    assert "Azerbaijan) criticises Владимир Путин" not in text
    assert "Azerbaijan) supports Владимир Путин" not in text
