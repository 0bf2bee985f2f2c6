"""Quotes, timeline, key sentences and the narrative: on the seed and on written sentences."""

from datetime import date

import pandas as pd
import pytest

from newslens import keysentences, narrative, pipeline, quotes, timeline
from newslens.gazetteer import load as load_gazetteer

GAZETTEER = load_gazetteer()


@pytest.fixture(scope="module")
def seed(seed_analysis):
    return seed_analysis, seed_analysis["quotes"]


def quotes_of(*texts: str) -> pd.DataFrame:
    articles = pd.DataFrame(
        {"doc_id": [f"d{i}" for i in range(len(texts))], "title": "", "text": list(texts),
         "date": pd.NaT}
    )  # fmt: skip
    found = pipeline.extract(articles)
    return quotes.extract(articles, found.mentions, found.sentences, GAZETTEER)


# ------------------------------------------------------------- quotes on the seed


def test_seed_aliyev_direct_quote_by_role(seed):
    _, said = seed
    direct = said[said.kind == "direct"]
    assert direct[["speaker", "speaker_text"]].values.tolist() == [
        ["Ильхам Алиев", "президент Азербайджана"]
    ]
    assert direct.quote.iloc[0].startswith("Никогда не соглашайтесь на оккупацию!")
    result, _ = seed
    text = result.corpus.articles.text.iloc[0]
    row = direct.iloc[0]
    assert text[row.start : row.end] == row.quote


def test_seed_peskov_speaks_the_first_two_paragraphs(seed):
    _, said = seed
    first_two = said[said.start < 360]
    assert first_two[["speaker", "kind"]].values.tolist() == [
        ["Дмитрий Песков", "indirect"],
        ["Дмитрий Песков", "indirect"],
    ]
    assert "не провели двустороннюю встречу" in first_two.quote.iloc[0]
    assert first_two.speaker_text.iloc[1] == "По его словам (Дмитрий Песков)"
    assert first_two.quote.iloc[1].startswith("во время встречи они поздоровались")


def test_seed_ushakov_contacts_indirect(seed):
    _, said = seed
    row = said[said.speaker == "Юрий Ушаков"]
    assert row.kind.tolist() == ["indirect"]
    assert row.quote.iloc[0].startswith("Контакты между делегациями")
    assert "имели место" in row.quote.iloc[0]
    assert row.actors.iloc[0] == ""  # «помощника Путина» names the speaker, it is not said


def test_seed_scare_quotes_are_not_quotes(seed):
    _, said = seed
    assert not said.quote.isin(["возможна", "ожидаема", "показал свое настоящее лицо"]).any()


# ------------------------------------------------------------- one pattern each


def test_colon_before_direct_quote():
    said = quotes_of("Сергей Лавров заявил: «Мы не примем никаких ультиматумов от Запада».")
    assert said[["speaker", "kind", "quote"]].values.tolist() == [
        ["Сергей Лавров", "direct", "Мы не примем никаких ультиматумов от Запада"]
    ]


def test_dash_after_direct_quote_with_straight_quotes():
    said = quotes_of('"Переговоры будут продолжены на следующей неделе", — сообщил Дмитрий Песков.')
    assert said[["speaker", "kind"]].values.tolist() == [["Дмитрий Песков", "direct"]]


def test_according_to_and_that_clause_are_indirect():
    said = quotes_of(
        "По словам Марии Захаровой, Москва ответит на санкции.",
        "Эммануэль Макрон заявил, что Франция продолжит поддержку, но детали не раскрыл.",
    )
    assert said[["speaker", "kind", "quote"]].values.tolist() == [
        ["Мария Захарова", "indirect", "Москва ответит на санкции."],
        ["Эммануэль Макрон", "indirect", "Франция продолжит поддержку"],
    ]
    assert said.actors.tolist() == ["Россия", "Франция"]


def test_titles_and_single_words_in_quotes_are_not_quotes():
    said = quotes_of(
        "Газета «Коммерсант» вышла утром. Министр назвал решение «ошибочным» и ушел.",
        'Фильм "Брат" показали в Москве.',
    )
    assert said.empty


def test_quoted_text_without_attribution_is_not_a_quote():
    said = quotes_of("На плакатах было написано «Нет войне и нет насилию» крупными буквами.")
    assert said.empty


def test_editorial_phrases_and_impersonal_reports_are_not_quotes():
    said = quotes_of(
        "Напомним, что Сергей Лавров прибыл в Анкару. Стоит отметить, что визит был коротким.",
        "Сообщается, что Мария Захарова уехала. Отметим, что министр вернется завтра.",
    )
    assert said.empty


def test_the_speaker_is_the_subject_not_the_next_name_nor_a_ministry():
    said = quotes_of(
        "«Мы продолжим переговоры с партнерами», — сказал он в интервью, которое взял Андрей "
        "Колесников.",
        "Представитель МИД России заявил, что Москва ответит на санкции.",
        "Адвокат Караджича заявил, что его подзащитный подаст апелляцию.",
        "По словам адвоката Караджича, его подзащитный подаст апелляцию.",
    )
    # the unresolved office speaks as itself; the others are unattributed, kept with who said it
    assert said.speaker.tolist() == ["", "представитель МИД России", "", ""]
    assert said.speaker_text.tolist() == [
        "он", "Представитель МИД России", "Адвокат Караджича", "адвоката Караджича",
    ]  # fmt: skip


def test_a_pronoun_or_a_description_speaks_for_the_person_named_before():
    said = quotes_of(
        "Глава МИД России Сергей Лавров прибыл в Анкару. Он заявил, что переговоры будут "
        "трудными. «Мы готовы к диалогу с партнерами», — добавил министр.",
        "Певица Мария Иванова вернулась в Москву. Она рассказала, что гастроли прошли хорошо.",
    )
    assert said.speaker.tolist() == ["Сергей Лавров", "Сергей Лавров", "Мария Иванова"]
    assert said.speaker_text.tolist() == [
        "Он (Сергей Лавров)", "министр (Сергей Лавров)", "Она (Мария Иванова)",
    ]  # fmt: skip


def test_the_subject_is_that_of_the_verbs_own_clause():
    said = quotes_of(
        "Когда журналисты спросили его о сделке, министр финансов Антон Силуанов заявил, что "
        "сделки не будет.",
        "Аленка Братушек, сменившая на посту лидера партии Зорана Янковича, который также был "
        "заподозрен в коррупции, заявила, что намерена сформировать правительство.",
        "Родители назвали дочь Рэддикс и подчеркнули, что будут защищать частную жизнь малышки.",
        "По словам самой матери Майкла Джексона, доктор рекомендует ей покой.",
        "Виталий Маркив осужден. Адвокат Маркива заявил, что его подзащитный никем не командовал.",
        "Эксгумировано тело Пабло Неруды по информации от его шофёра, который заявил, что поэта "
        "отравили.",
    )
    assert said.speaker.tolist() == ["Антон Силуанов", "Аленка Братушек", "", "", "", ""]


def test_the_place_after_a_plural_verb_speaks_not_the_agency_told():
    said = quotes_of(
        '"Всеми вопросами занимается посольство США", - сообщили РИА Новости в пресс-службе базы.',
        "В пресс-службе ГИМ журналистам ИА Красная Весна сообщили, что номер отозван.",
        "Как сообщило агентство Reuters, певица утонула, однако патологоанатом добавил, что "
        "болезнь сердца стала фактором.",
        "По словам врачей Ричард Бах находился в тяжёлом состоянии, которое улучшается.",
    )
    assert said.speaker.tolist() == ["", "ГИМ", "", ""]
    assert said.speaker_text.tolist()[0] == "в пресс-службе базы"


def test_an_outlet_is_the_one_named_as_an_outlet():
    said = quotes_of(
        "USADA объявило об этом, после того как Армстронг заявил, что не будет спорить.",
        "Компания IKEA объявила об отставке основателя. Издание отмечает, что решение принято "
        "из-за возраста.",
        'Сообщение опровергла "Российская газета". Издание сообщило, что генерал на работе.',
    )
    assert said.speaker.tolist() == ["Армстронг", "", "Российская газета"]


def test_a_pronoun_takes_the_subject_of_the_previous_sentence_of_its_gender():
    said = quotes_of(
        "Теннисистку поздравили её сестра Винус Уильямс и тренер Патрик Муратоглу. Он пожелал "
        "ей набрать форму, добавив, что «впереди много работы».",
        "Глава республики Радий Хабиров ввел режим самоизоляции. 33-летний мужчина вышел во "
        "двор. Хотя он сообщил, что ничего не знал об указе, на него составили протокол.",
    )
    assert said.speaker.tolist() == ["Патрик Муратоглу", ""]


def test_an_organisation_speaks_through_its_press_service_or_in_its_premises():
    said = quotes_of(
        "В пресс-службе Кремля сообщили, что встреча состоится в пятницу.",
        "В Кремле заявили, что встреча состоится в пятницу.",
        "Житель Сан-Хосе, Калифорния, заявил, что стимулом для него был престиж.",
    )
    assert said.speaker.tolist() == ["Кремль", "Кремль", ""]


def test_an_agency_confirming_a_quoted_sentence_does_not_take_it_over():
    said = quotes_of(
        "Дмитрий Песков заявил, что встреча возможна. Об этом сообщает агентство Reuters."
    )
    assert said.speaker.tolist() == ["Дмитрий Песков"]


# ------------------------------------------------------------- timeline


def test_seed_timeline_has_the_years_and_the_article_date(seed):
    result, _ = seed
    dates = result["timeline"]
    assert {"2001", "2010", "2011"} <= set(dates.date)
    published = dates[dates.kind == "publication"]
    assert published.date.tolist() == ["2025-09-03"]
    assert dates[dates.date == "2010"].sentence.iloc[0].startswith("Московские силовики")


def test_dates_absolute_and_relative_to_publication():
    found = timeline.dates_in(
        "Вчера, 3 сентября 2025 года, в понедельник и в июне 2024 года, а также 28 июня. "
        "Погибли 2000 человек, номер 12345.",
        date(2025, 9, 5),
    )
    assert [row[:3] for row in found] == [
        ("2025-09-04", "day", "relative"),
        ("2025-09-03", "day", "absolute"),
        ("2025-09-01", "day", "relative"),
        ("2024-06", "month", "absolute"),
        ("2025-06-28", "day", "relative"),
    ]


# ------------------------------------------------------------- key sentences and narrative


def test_key_sentences_rank_and_drop_repeats():
    sentences = [
        "Президент встретился с министрами и обсудил бюджет страны на следующий год.",
        "Президент встретился с министрами и обсудил бюджет страны на следующий год снова.",
        "Министры обсудили бюджет и налоги на встрече с президентом страны.",
        "Погода была солнечной, а на улицах играли дети.",
    ]
    chosen = keysentences.rank(sentences, top=2)
    assert len(chosen) == 2
    assert not {0, 1} <= set(chosen)  # near-repeats never both
    assert 3 not in chosen


def test_seed_narrative_names_the_main_actors_with_computed_counts(seed):
    result, _ = seed
    text = " ".join(result.narrative("en"))
    actors = result["actors"].set_index("actor")
    putin, aliyev = actors.loc["Владимир Путин"], actors.loc["Ильхам Алиев"]
    assert (
        f"Владимир Путин (Vladimir Putin) — {putin.mentions} times "
        f"({putin.named_mentions} by name)" in text
    )
    assert (
        f"Ильхам Алиев (Ilham Aliyev) — {aliyev.mentions} times ({aliyev.named_mentions} by "
        f"name, {aliyev.role} by role)" in text
    )
    assert "«Никогда не соглашайтесь на оккупацию!" in text
    assert "The years the articles refer to most: 2001 (1), 2010 (1), 2011 (1)." in text


def test_seed_narrative_in_russian_states_the_same_facts(seed):
    result, _ = seed
    text = " ".join(result.narrative("ru"))
    assert "Владимир Путин — 5 раз (5 по имени)" in text
    assert "Ильхам Алиев — 5 раз (3 по имени, 2 по должности)" in text
    assert "(Vladimir Putin)" not in text


def test_transliteration_for_names_outside_the_gazetteer():
    assert narrative.transliterate("Юнис Пашаев") == "Yunis Pashaev"
    assert narrative.transliterate("Щёкино") == "Shchyokino"


def test_portrayal_is_hedged_while_the_interval_spans_zero():
    from newslens.narrative import Writer

    en, ru = Writer("en", None), Writer("ru", None)
    assert en.portrayal_phrase(0.2, -0.4, 0.7) == "leans positive"
    assert en.portrayal_phrase(-0.8, -0.95, -0.3) == "is portrayed negatively"
    assert en.portrayal_phrase(0.05, -0.5, 0.6) == "is portrayed neutrally or in a mixed light"
    assert ru.portrayal_phrase(-0.5, -0.9, 0.2) == "скорее в негативном свете"


def test_a_latin_name_is_not_transliterated_beside_itself():
    """NEREL and factRuEval name «Facebook» and «Google»: the summary printed «Facebook
    (Facebook)»."""
    writer = narrative.Writer("en", GAZETTEER)
    assert writer.name("Facebook") == "Facebook"
    assert writer.name("Google Inc.") == "Google Inc."
    assert writer.name("Сколково") == "Сколково (Skolkovo)"


def test_a_stated_attitude_quotes_the_part_of_a_long_sentence_that_judges():
    """A post that is one long sentence: the summary cuts it around the judged words."""
    lead = "После долгих консультаций, которые прошли в нескольких столицах региона за неделю, "
    text = lead * 3 + "МИД решительно осудило действия российских силовиков, требуя объяснений."
    said = narrative._around(text, "российских силовиков")
    assert len(said) <= 162 and said.startswith("… ")
    assert "осудило действия российских силовиков" in said
    short = "МИД осудило действия российских силовиков."
    assert narrative._around(short, "российских силовиков") == short


def test_a_quote_run_on_after_according_to_keeps_the_capital_of_a_name():
    assert narrative._lower_first("Анна и Янис расписывались в ЗАГСе") == (
        "Анна и Янис расписывались в ЗАГСе"
    )
    assert narrative._lower_first("Песков отказался от комментариев").startswith("Песков")
    assert narrative._lower_first("ЕС ввёл пошлины").startswith("ЕС")
    assert narrative._lower_first("Организация попросила правительство").startswith("организация")
    assert narrative._lower_first("В России ввели мораторий").startswith("в России")
    assert narrative._lower_first("По его словам, всё идёт").startswith("по его")
    assert narrative._lower_first("Из-за санкций цены выросли").startswith("из-за")
    assert narrative._lower_first("«Мы готовы», — сказал он").startswith("«мы")
