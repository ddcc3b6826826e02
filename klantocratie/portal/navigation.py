"""The sections of the personal page, in the order residents see them."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    url_name: str
    title: str
    summary: str
    for_persons: bool = True
    for_businesses: bool = True


SECTIONS = (
    Section(
        "portal:data",
        "Mijn gegevens",
        "Wat de overheid over u weet, per organisatie, en wie het mag zien.",
    ),
    Section(
        "portal:cases",
        "Mijn zaken",
        "Uw aanvragen en meldingen bij alle organisaties, met de volgende stap.",
    ),
    Section(
        "portal:contacts",
        "Mijn contacten",
        "Al uw contact met de overheid, met de antwoorden die u kreeg.",
    ),
    Section(
        "portal:signals",
        "Aanbod en signalen",
        "Wat wij u uit onszelf aanbieden, en waarom.",
        for_businesses=False,
    ),
    Section(
        "portal:requests", "Iets aanvragen", "Formulieren die al zijn ingevuld met wat wij weten."
    ),
    Section(
        "portal:choices",
        "Mijn privacykeuzes",
        "Toestemming geven of intrekken, en bezwaar maken.",
        for_businesses=False,
    ),
    Section(
        "portal:log",
        "Wie keek in mijn gegevens",
        "Elke inzage: wanneer, door welke organisatie en waarom.",
    ),
    Section(
        "feedback:mine",
        "Feedback",
        "Zeg wat u van onze dienstverlening vindt, of kies een andere aanbieder.",
    ),
    Section(
        "participation:mine",
        "Meedenken",
        "Peilingen over uw buurt en thema's, en de uitkomsten.",
        for_businesses=False,
    ),
)


def sections_for(is_business: bool) -> list[Section]:
    return [s for s in SECTIONS if (s.for_businesses if is_business else s.for_persons)]
