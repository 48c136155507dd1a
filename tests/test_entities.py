"""The guided pipeline's entities: the model's list cleaned, and the names rules find
(places, abbreviations, agencies), each mistake a small model makes caught by a rule."""

from __future__ import annotations

from summarizer.datamodel.request import ArticleRequest
from summarizer.datamodel.schemas import Entity, EntityType, Quote, Source, SourceType
from summarizer.pipeline.entities import article_entities, names_same
from summarizer.text.named import abbreviations_named, group_cued, places_named

GERMAN = (
    "Seoul/Moskau – Machthaber Kim Jong Un hat Russland Hilfe zugesichert, berichtete die "
    "Nachrichtenagentur KCNA. Kim habe in Pjöngjang mit Wladimir Putin gesprochen. Die "
    "Ukraine meldete einen Angriff in der Region Poltawa. Der Sicherheitsrat Russlands tagt "
    "Mitte Dezember. Der Zug hielt an. Das Landgericht in Kassel und der Bundesgerichtshof "
    "(BGH) befassten sich damit. Finanzministerin Katrin Albers (SPD) sagte, die Ermittler "
    "des Landeskriminalamts prüften den Fall. Eine Hackergruppe namens „Black Lantern“ "
    "reklamierte den Angriff. US-Präsident Donald Trump äußerte sich nicht. Der SC Freiburg "
    "spielte im Verfahren VIII ZR 12/24 keine Rolle."
)
ENGLISH = (
    "COLUMBUS - A criminal group calling itself NightShade attacked a hospital in Columbus, "
    "Ohio, the FBI said. Senator Maria Delgado, a Democrat from New Mexico, said parents "
    "would pay less. Environmental group River Trust welcomed the ruling on the Halvern mine "
    "in Cumbria. Fighting between the army and the paramilitary Rapid Support Forces (RSF) "
    "went on in Sudan. Astronomers used an AI assistant."
)


def german(text: str = GERMAN) -> ArticleRequest:
    return ArticleRequest(text=text, language="de", output_language="de")


def english(text: str = ENGLISH) -> ArticleRequest:
    return ArticleRequest(text=text, language="en", output_language="en")


def entity(name: str, kind: EntityType) -> Entity:
    return Entity(name=name, type=kind, description="")


def kinds(
    request: ArticleRequest,
    listed: list[Entity],
    quotes: list[Quote] | None = None,
    sources: list[Source] | None = None,
) -> dict[str, EntityType]:
    """Name -> type of the entities the guided pipeline delivers for the model's ``listed``."""
    found = article_entities(request, listed, quotes or [], sources or [])
    return {e.name: e.type for e in found}


def test_places_are_countries_divisions_and_towns_not_words_or_parts_of_names() -> None:
    found = places_named(GERMAN, "de", people=["Kim Jong Un"])
    assert found == ["Russland", "Pjöngjang", "Ukraine", "Poltawa", "Kassel"]
    # "Seoul" and "Moskau" stand only in the dateline; "Kim" is a person's name; "Wladimir"
    # (a Russian town) is Putin's first name; "Mitte Dezember" is a date; "Der Zug" a train;
    # "Freiburg" part of "SC Freiburg"; "Russlands" a genitive of Russland.


def test_english_places_not_inside_longer_names_or_the_dateline() -> None:
    found = places_named(ENGLISH, "en")
    assert "Mexico" not in found  # "New Mexico"
    assert found == ["Columbus", "Ohio", "Cumbria", "Sudan"]


def test_abbreviations_with_what_they_stand_for() -> None:
    found = dict(abbreviations_named(GERMAN))
    assert found == {"KCNA": None, "BGH": "Bundesgerichtshof", "SPD": None}
    # not "US" of "US-Präsident", not "SC" of "SC Freiburg", not "VIII"/"ZR" of a file sign
    assert dict(abbreviations_named(ENGLISH)) == {"FBI": None, "RSF": "Rapid Support Forces"}


def test_groups_are_armed_or_criminal_not_every_group() -> None:
    assert group_cued("NightShade", ENGLISH)
    assert group_cued("Rapid Support Forces", ENGLISH)
    assert group_cued("Black Lantern", GERMAN)
    assert not group_cued("River Trust", ENGLISH)  # an environmental group: an organization


def test_common_nouns_roles_and_genitives_are_cleaned_from_the_models_list() -> None:
    listed = [
        entity("Ermittler", EntityType.person),  # a role, not a name
        entity("Landeskriminalamts", EntityType.organization),
        entity("Machthaber Kim Jong Un", EntityType.person),
        entity("Black Lantern", EntityType.organization),
        entity("Deutsche Bank", EntityType.person),
    ]
    found = kinds(german(), listed)
    assert "Ermittler" not in found
    assert found["Landeskriminalamt"] is EntityType.organization
    assert found["Kim Jong Un"] is EntityType.person
    assert found["Black Lantern"] is EntityType.group
    assert found["Deutsche Bank"] is EntityType.organization


def test_english_names_without_a_capitalized_word_are_no_entities() -> None:
    listed = [
        entity("parents", EntityType.group),
        entity("Astronomers", EntityType.organization),  # capitalized only as a first word
        entity("AI assistant", EntityType.person),
        entity("Halvern mine", EntityType.location),
        entity("RSF", EntityType.organization),
        entity("River Trust", EntityType.organization),
    ]
    found = kinds(english(), listed)
    assert "parents" not in found and "Astronomers" not in found and "AI" not in found
    assert found["Halvern"] is EntityType.location
    assert found["Rapid Support Forces"] is EntityType.group  # spelled out, and "paramilitary"
    assert found["River Trust"] is EntityType.organization
    assert "RSF" not in found


def test_speakers_sources_abbreviations_and_places_are_added_once() -> None:
    quotes = [Quote(text="Wir prüfen den Fall", speaker="Deutsche Bahn", evidence=None)]
    sources = [
        Source(name="KCNA", type=SourceType.news_agency),
        Source(name="Deutsche Bahn", type=SourceType.organization),
        Source(name="Behörden", type=SourceType.government),  # a plural common noun
        Source(name="Katrin Albers", type=SourceType.official),
    ]
    listed = [entity("Russland", EntityType.location), entity("Albers", EntityType.person)]
    found = article_entities(german(), listed, quotes, sources)
    types = {e.name: e.type for e in found}  # the list too: a name listed twice is a mistake
    assert types["Deutsche Bahn"] is EntityType.organization  # a quoted company, not a person
    assert types["KCNA"] is EntityType.organization
    assert types["Bundesgerichtshof"] is EntityType.organization  # for "(BGH)"
    assert "BGH" not in types and "Behörden" not in types
    assert types["Pjöngjang"] is EntityType.location
    assert [e.name for e in found].count("Russland") == 1


def test_names_are_the_same_up_to_inflection_only() -> None:
    assert names_same("Landeskriminalamt", "landeskriminalamt")
    assert names_same("Putins", "Putin")
    assert not names_same("Passau", "Landratsamt Passau")
    assert not names_same("Scholz", "Schulz")
