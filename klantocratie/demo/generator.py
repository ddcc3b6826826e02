"""A deterministic demo municipality: Almelo's residents and what every source knows.

generate_municipality() fills the nine local source registries and registers every
person and business as a party. Everything comes from one random.Random(seed) and a fixed
REFERENCE_DATE, so a seed always yields the same municipality, on any day. Rows are
streamed to the database in batches, household by household, so a million residents
never sit in memory at once.

Street names are plausible, not an authoritative address register; buurt and wijk codes
are CBS's real codes for Almelo (data/almelo-cbs.json).
"""

from __future__ import annotations

import json
import random
import unicodedata
import uuid
from bisect import bisect
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from itertools import accumulate
from pathlib import Path
from typing import Any

from django.db import models, transaction
from tqdm import tqdm

from klantocratie.parties.models import IdentifierType, Party, PartyIdentifier
from klantocratie.parties.validators import passes_eleven_test
from klantocratie.registry.models import PartyType
from klantocratie.sources.arrears.models import ArrearsKind, ArrearsReport
from klantocratie.sources.benefits.models import Benefit, Scheme
from klantocratie.sources.casestatus.models import CaseStatus
from klantocratie.sources.common import format_address
from klantocratie.sources.contactdetails.models import ContactDetails, CorrespondencePreference
from klantocratie.sources.housing.models import Complaint, ComplaintStatus, RentArrears, Tenancy
from klantocratie.sources.mailreturns.models import ReturnedMail
from klantocratie.sources.municipaltax.models import TaxpayerAccount
from klantocratie.sources.police.models import Report
from klantocratie.sources.population.models import (
    FamilyRelation,
    Gender,
    Person,
    RelationKind,
    Residence,
)
from klantocratie.sources.tax.models import AnnualIncome, Assessment, AssessmentStatus
from klantocratie.sources.traderegister.models import (
    Business,
    BusinessRole,
    Establishment,
    LegalForm,
    Role,
)
from klantocratie.sources.waste.models import Fraction, Weighing

REFERENCE_DATE = date(2026, 11, 1)
DEFAULT_SEED = 20261122
BATCH_SIZE = 5000
DATA_DIR = Path(__file__).resolve().parent / "data"
BRP_TEST_PERSONS_FILE = DATA_DIR / "brp-testpersonen.json"

# Generated numbers live in ranges of their own: BSNs 9000…, RSINs 8000…, so they never
# meet each other; BSNs that the BRP test set already uses are skipped.
BSN_BASE = 90_000_000
RSIN_BASE = 80_000_000
KVK_BASE = 90_000_000
ESTABLISHMENT_BASE = 900_000_000_000

# The first number of the BSN sequence; generate_municipality() gives this resident data
# in every source (tests assert it is the sequence's first number).
DEMO_RESIDENT_BSN = "900000004"

DEMO_FAMILY_SIZE = 4

INCOME_YEARS = (2023, 2024, 2025)  # years with a final verzamelinkomen on REFERENCE_DATE
MAIN_CITY = "Almelo"


class GeneratorError(Exception):
    """The demo municipality cannot be generated (e.g. it is already loaded)."""


def eleven_test_sequence(start: int) -> Iterator[str]:
    """Nine-digit numbers passing the 11-test, counting up from an 8-digit base.

    The check digit makes the weighted sum divisible by 11; bases whose check digit
    would be 10 have no valid number and are skipped.
    """
    if not 1 <= start < 100_000_000:
        raise ValueError("start must be an 8-digit base between 1 and 99,999,999")
    for base in range(start, 100_000_000):
        digits = f"{base:08d}"
        check = sum(int(d) * w for d, w in zip(digits, range(9, 1, -1), strict=True)) % 11
        if check != 10:
            yield f"{digits}{check}"


# --- Reference data --------------------------------------------------------------------

# Approximate four-digit postcode area per wijk (all within 7600-7609).
_WIJK_POSTCODE = {
    "WK014110": 7607,
    "WK014111": 7602,
    "WK014112": 7601,
    "WK014113": 7603,
    "WK014114": 7604,
    "WK014115": 7605,
    "WK014116": 7606,
    "WK014117": 7608,
    "WK014118": 7609,
    "WK014119": 7600,
    "WK014120": 7603,
    "WK014121": 7604,
}
_WIJK_CITY = {"WK014120": "Aadorp", "WK014121": "Bornerbroek"}

# Streets per buurt with the number of dwellings per house number: 1 a house, 2 an
# upstairs/downstairs pair (12, 12A), more a block of flats (12-1 … 12-24).
_RESIDENTIAL_STREETS: dict[str, tuple[tuple[str, int], ...]] = {
    "BU01411000": (("Grotestraat", 2), ("Koornmarkt", 2), ("Marktstraat", 2)),
    "BU01411001": (("Molenstraat", 2), ("Hofstraat", 8), ("Oranjestraat", 1)),
    "BU01411002": (("Ulkstraat", 1), ("Schoolstraat", 1), ("Noorderstraat", 8)),
    "BU01411003": (("Javastraat", 1), ("Sumatrastraat", 1), ("Borneostraat", 1)),
    "BU01411100": (("Bornsestraat", 2), ("Rembrandtlaan", 1)),
    "BU01411101": (("Rietstraat", 1), ("Egelantierstraat", 1), ("Seringenstraat", 1)),
    "BU01411102": (("Arendsboerweg", 1), ("Sperwerstraat", 1)),
    "BU01411103": (("Nieuwlandsingel", 8), ("Kievitstraat", 1)),
    "BU01411104": (("Havikstraat", 1), ("Valkstraat", 1)),
    "BU01411105": (("Karekietstraat", 1), ("Fuutstraat", 1)),
    "BU01411106": (("Kolthofsingel", 8), ("Vermeerstraat", 1)),
    "BU01411109": (("Rietweg", 1),),
    "BU01411200": (("Vriezenveenseweg", 1), ("Haghoekweg", 1)),
    "BU01411201": (("Parkweg", 1), ("Lindelaan", 1), ("Beukenlaan", 1)),
    "BU01411202": (("Iepenstraat", 1), ("Eikenstraat", 1)),
    "BU01411209": (("Noordikslaan", 1),),
    "BU01411300": (("Ootmarsumsestraat", 2), ("Tuinstraat", 1)),
    "BU01411301": (("Markgravenweg", 1), ("Gravenhof", 8)),
    "BU01411302": (("Rumerslandenweg", 1), ("Lijsterstraat", 1)),
    "BU01411303": (("Sluitersveldssingel", 24), ("Westerlandenweg", 1)),
    "BU01411309": (("Sluitersweg", 1),),
    "BU01411400": (("Dijkstraat", 1), ("Wierdensestraat", 2)),
    "BU01411401": (("Rohofstraat", 1), ("Rohofhof", 8)),
    "BU01411402": (("Kerkelandenweg", 1), ("Pastoriestraat", 1)),
    "BU01411403": (("Aalderinksweg", 1), ("Merelstraat", 1)),
    "BU01411404": (("Spreeuwstraat", 1), ("Mereltuin", 8)),
    "BU01411405": (("Vinkenstraat", 1), ("Zwaluwstraat", 1)),
    "BU01411406": (("Meeuwenstraat", 1), ("Reigerstraat", 1)),
    "BU01411409": (("Wierdenseweg", 1),),
    "BU01411500": (("Nieuwstraat", 2), ("Violierstraat", 1)),
    "BU01411501": (("Wondestraat", 1), ("Tulpstraat", 1)),
    "BU01411502": (("Witvoetstraat", 1), ("Narcisstraat", 1)),
    "BU01411503": (("Achterlandenweg", 1), ("Irisstraat", 1)),
    "BU01411600": (("Boomplaats", 8), ("Esdoornstraat", 1)),
    "BU01411601": (("Ossenkoppelerweg", 1), ("Roerdompstraat", 1)),
    "BU01411602": (("Beeklustweg", 1), ("Beekstraat", 1)),
    "BU01411603": (("Schuttersveld", 1), ("Kampstraat", 8)),
    "BU01411604": (("Westerweg", 1), ("Hazelaarstraat", 1)),
    "BU01411605": (("Wilgenstraat", 1), ("Populierenstraat", 1)),
    "BU01411700": (("Hofkampstraat", 2), ("Boddenkampstraat", 1)),
    "BU01411701": (("Oosterstraat", 1), ("Kamperstraat", 8)),
    "BU01411702": (("Paradijsweg", 1), ("Paradijshof", 24)),
    "BU01411703": (("Kollenveldweg", 1), ("Bolkshoekstraat", 1)),
    "BU01411709": (("Hofkampweg", 1),),
    "BU01411800": (("Schelfhorstweg", 1), ("Componistenlaan", 1)),
    "BU01411801": (("Drakensteynlaan", 1), ("Kasteelhof", 8)),
    "BU01411802": (("Mozartstraat", 1), ("Bachstraat", 1)),
    "BU01411803": (("Havezathelaan", 1), ("Erve Havezathe", 1)),
    "BU01411804": (("Chopinstraat", 1), ("Haydnstraat", 1)),
    "BU01411805": (("Brahmsstraat", 1), ("Verdistraat", 1)),
    "BU01411806": (("Veenelandenweg", 1), ("Turfstekerstraat", 1)),
    "BU01411900": (("Groeneveldweg", 1), ("Klaverstraat", 1)),
    "BU01411901": (("Kanaalweg", 1), ("Sluisstraat", 8)),
    "BU01411902": (("Leemslagenweg", 1), ("Pottenbakkerstraat", 1)),
    "BU01411903": (("Kleistraat", 1), ("Steenbakkersplein", 24)),
    "BU01411904": (("Zevenbosjesweg", 1), ("Berkenhof", 1)),
    "BU01411905": (("Vlasstraat", 1), ("Hennepstraat", 1)),
    "BU01411906": (("Huttenveldweg", 1), ("Heidestraat", 1)),
    "BU01411907": (("Maardijk", 1), ("Dijkgraafstraat", 1)),
    "BU01411908": (("Grensweg", 1), ("Grenslaan", 1)),
    "BU01411909": (("Nijreesweg", 1), ("Eschlaan", 1)),
    "BU01411910": (("Windmolenbroeksweg", 1),),
    "BU01412000": (("Aadorpweg", 1), ("Kerkweg", 1)),
    "BU01412001": (("Dorpsstraat", 1), ("Esweg", 1)),
    "BU01412009": (("Weitemanslanden", 1),),
    "BU01412100": (("Oude Almeloseweg", 1), ("Kerkstraat", 1)),
    "BU01412109": (("Bornerbroeksestraat", 1),),
}
# Where businesses that are not based at home have their premises.
_BUSINESS_STREETS: tuple[tuple[str, str], ...] = (
    ("Bedrijvenpark Twente", "BU01412002"),
    ("Twentepoort", "BU01412002"),
    ("Industriestraat", "BU01411901"),
    ("Havenkade", "BU01411000"),
)

# Name stems and endings for the newer streets a large generated town needs once its
# named streets are full.
_STREET_STEMS = (
    "Berken", "Beuken", "Eiken", "Essen", "Linden", "Wilgen", "Elzen", "Platanen",
    "Kastanje", "Hulst", "Meidoorn", "Vlier", "Jasmijn", "Lavendel", "Klaproos",
    "Korenbloem", "Madelief", "Zonnebloem", "Goudsbloem", "Anjer", "Dahlia", "Krokus",
    "Hyacint", "Lelie", "Papaver", "Roodborst", "Koolmees", "Winterkoning", "Ekster",
    "Specht", "Zwanen", "Ganzen", "Kraanvogel", "Ooievaar", "Wielewaal", "Nachtegaal",
    "Leeuwerik", "Kwartel", "Patrijs", "Fazant", "Frans Hals", "Jan Steen", "Van Gogh",
    "Mondriaan", "Escher", "Breitner", "Mesdag", "Jongkind", "Toorop", "Beethoven",
    "Schubert", "Vivaldi", "Ravel", "Sweelinck", "Grieg", "Sibelius", "Puccini", "Rossini",
    "Bizet", "Vondel", "Bilderdijk", "Multatuli", "Hooft", "Huygens", "Bredero",
    "Potgieter", "Staring", "Gezelle", "Enter", "Delden", "Goor", "Tubbergen", "Ootmarsum",
    "Denekamp", "Losser", "Haaksbergen", "Hellendoorn", "Twickel", "Weleveld", "Saasveld",
    "Deurningen", "Markelo", "Lemele", "Hoge Hexel", "Geesteren", "Reutum", "Vasse",
    "Mander", "Azelo", "Zenderen", "Hertme", "Wiene", "Elsen", "Notter", "Zuna",
    "Ypelo", "Bruinehaar", "Langeveen", "Fleringen", "Albergen", "Harbrinkhoek",
    "Mariaparochie", "Tusveld", "Brink", "Marke", "Kotten", "Esch", "Molen", "Weverij",
    "Spinnerij", "Blekerij", "Ververij",
)  # fmt: skip
_STREET_SUFFIXES = (
    "straat", "laan", "weg", "hof", "pad", "erf", "plein", "singel", "dreef", "kamp",
    "horst", "veld",
)  # fmt: skip

_MALE_NAMES = (
    "Jan", "Gerrit", "Hendrik", "Bernard", "Johannes", "Willem", "Daan", "Sem", "Lucas",
    "Thijs", "Bram", "Ruben", "Jeroen", "Mark", "Erik", "Bas", "Tim", "Niels", "Martijn",
    "Stefan", "Henk", "Kees", "Mehmet", "Emre", "Yusuf", "Mohamed", "Ahmed", "Burak",
    "Ali", "Rik", "Joost", "Gijs", "Teun", "Jesse", "Levi", "Finn", "Noah", "Milan",
    "Koen", "Harm", "Wouter", "Sander", "Dennis", "Arjen", "Tomasz",
)  # fmt: skip
_FEMALE_NAMES = (
    "Anna", "Maria", "Johanna", "Hendrika", "Geertruida", "Wilhelmina", "Emma", "Julia",
    "Sophie", "Lotte", "Fleur", "Sanne", "Lisa", "Anouk", "Eva", "Femke", "Ingrid",
    "Marieke", "Annemiek", "Linda", "Monique", "Petra", "Ayşe", "Fatma", "Elif",
    "Zeynep", "Fatima", "Khadija", "Noor", "Sara", "Tess", "Mila", "Saar", "Isa", "Roos",
    "Ilse", "Carla", "Gerda", "Dinie", "Marloes", "Esther", "Agnieszka",
)  # fmt: skip
_SURNAMES: tuple[tuple[str, str], ...] = (
    ("", "Nijhuis"), ("", "Wolters"), ("", "Kamphuis"), ("", "Brinkhuis"), ("", "Morsink"),
    ("", "Grootenhuis"), ("", "Wessels"), ("", "Kuipers"), ("", "Scholten"), ("", "Pierik"),
    ("", "Lammertink"), ("", "Olthof"), ("", "Haverkate"), ("", "Oude Luttikhuis"),
    ("", "Oude Elferink"), ("", "Jansen"), ("", "Smit"), ("", "Bakker"), ("", "Visser"),
    ("", "Mulder"), ("", "Bos"), ("", "Meijer"), ("", "Hendriks"), ("", "Dekker"),
    ("", "Peters"), ("", "Vos"), ("", "Brouwer"), ("", "Koster"), ("", "Prins"),
    ("", "Huisman"), ("de", "Vries"), ("de", "Jong"), ("de", "Boer"), ("de", "Groot"),
    ("de", "Wit"), ("de", "Graaf"), ("van", "Dijk"), ("van", "Leeuwen"), ("van", "Beek"),
    ("van", "Wijk"), ("van", "Vliet"), ("van der", "Berg"), ("van der", "Meer"),
    ("van der", "Linden"), ("van der", "Heijden"), ("van der", "Veen"),
    ("van den", "Bosch"), ("van den", "Heuvel"), ("van de", "Kamp"), ("ter", "Horst"),
    ("ter", "Haar"), ("ten", "Brinke"), ("ten", "Hove"), ("te", "Lintelo"),
    ("in 't", "Veld"), ("", "Yılmaz"), ("", "Kaya"), ("", "Demir"), ("", "Şahin"),  # noqa: RUF001
    ("", "Çelik"), ("", "Öztürk"), ("", "Aydın"), ("", "Arslan"), ("el", "Amrani"),  # noqa: RUF001
    ("", "Bouzid"), ("", "Haddou"), ("", "Nguyen"), ("", "Kowalski"), ("", "Nowak"),
    ("", "Haddad"), ("", "Tesfay"),
)  # fmt: skip
_BIRTH_PLACES = (
    ("Almelo", 55), ("Enschede", 6), ("Hengelo", 5), ("Wierden", 4), ("Vriezenveen", 3),
    ("Borne", 3), ("Rijssen", 2), ("Deventer", 2), ("Zwolle", 2), ("Amsterdam", 2),
    ("Rotterdam", 2), ("Utrecht", 1), ("Istanbul", 3), ("Ankara", 1), ("Nador", 2),
    ("Paramaribo", 1), ("Warschau", 1), ("Damascus", 1), ("Asmara", 1),
)  # fmt: skip
_EMAIL_DOMAINS = ("example.com", "example.net", "example.org")  # reserved for examples

# (SBI code, description, may be run from home, trade-name patterns)
_SBI: tuple[tuple[str, str, bool, tuple[str, ...]], ...] = (
    ("6201", "Ontwikkelen, produceren en uitgeven van software", True,
     ("{surname} Software", "{first} Webdevelopment")),
    ("7022", "Organisatieadviesbureaus", True, ("Adviesbureau {surname}", "{first} Advies")),
    ("7420", "Fotografie", True, ("{first} Fotografie", "Fotostudio {surname}")),
    ("9602", "Kappers en schoonheidsverzorging", True,
     ("Kapsalon {first}", "Schoonheidssalon {first}")),
    ("4334", "Schilderen en glaszetten", True, ("Schildersbedrijf {surname}",)),
    ("4322", "Loodgieters- en installatiewerk", True, ("{surname} Installatietechniek",)),
    ("7311", "Reclamebureaus", True, ("{first} Creatief", "Reclamebureau {surname}")),
    ("8559", "Overig onderwijs", True, ("Bijles {first}", "Taaltraining {surname}")),
    ("4791", "Detailhandel via internet", True, ("{first}'s Webwinkel", "Shop {surname}")),
    ("1413", "Vervaardiging van bovenkleding", True, ("Naaiatelier {first}",)),
    ("4120", "Algemene burgerlijke en utiliteitsbouw", False, ("Bouwbedrijf {surname}",)),
    ("4941", "Goederenvervoer over de weg", False, ("Transportbedrijf {surname}",)),
    ("5610", "Restaurants en eetgelegenheden", False,
     ("Eetcafé {surname}", "Restaurant De {noun}")),
    ("9313", "Fitnesscentra", False, ("Sportschool {noun}",)),
    ("8121", "Schoonmaak van gebouwen", False, ("Schoonmaakbedrijf {surname}",)),
)  # fmt: skip
_LEGAL_FORMS = (
    LegalForm.SOLE_PROPRIETORSHIP,
    LegalForm.GENERAL_PARTNERSHIP,
    LegalForm.PRIVATE_COMPANY,
    LegalForm.FOUNDATION,
)
_NAME_NOUNS = ("Molen", "Linde", "Haven", "Es", "Brug", "Kroon", "Zwaan", "Eik")

_COMPLAINTS = {
    "onderhoud": ("Lekkage in de badkamer.", "Kapotte cv-ketel.", "Raam sluit niet goed."),
    "vocht en schimmel": ("Schimmel op de slaapkamermuur.", "Vochtplekken in de kelder."),
    "geluidsoverlast": ("Harde muziek bij de buren, 's avonds laat.", "Blaffende hond."),
    "burenoverlast": ("Afval van de buren in het portiek.", "Ruzie met de bovenburen."),
    "tocht en isolatie": ("Tocht langs de kozijnen.", "Koude woning ondanks verwarming."),
}
_POLICE_REPORTS = {
    "geluidsoverlast": "Melding van geluidsoverlast in de buurt.",
    "burenruzie": "Conflict met buren, verzoek om bemiddeling.",
    "vandalisme": "Vernieling aan auto of fiets.",
    "fietsdiefstal": "Aangifte van diefstal van een fiets.",
    "inbraak": "Aangifte van woninginbraak.",
    "verdachte situatie": "Verdachte personen rond de woning gezien.",
    "jongerenoverlast": "Overlast door groepen jongeren op straat.",
}
# Case types per organisation that reports case statuses: (organisation, case-number
# prefix, case type, usual handling time in days).
_CASE_TYPES: tuple[tuple[str, str, str, int], ...] = (
    ("Gemeente Almelo", "ALM", "Aanvraag parkeervergunning", 28),
    ("Gemeente Almelo", "ALM", "Melding openbare ruimte", 14),
    ("Gemeente Almelo", "ALM", "Aanvraag omgevingsvergunning", 56),
    ("Gemeente Almelo", "ALM", "Aanvraag Wmo-voorziening", 42),
    ("Gemeente Almelo", "ALM", "Aanvraag bijzondere bijstand", 56),
    ("UWV", "UWV", "Aanvraag WW-uitkering", 28),
    ("UWV", "UWV", "Herbeoordeling WIA-uitkering", 90),
    ("Belastingdienst", "BD", "Aanvraag zorgtoeslag", 56),
    ("Belastingdienst", "BD", "Bezwaar aanslag inkomstenbelasting", 84),
    ("Woonstichting Twentehuis", "WST", "Reparatieverzoek", 21),
    ("GBTwente", "GBT", "Bezwaar WOZ-beschikking", 84),
    ("GBTwente", "GBT", "Verzoek kwijtschelding gemeentelijke belastingen", 56),
)
_CASE_STATUSES = (
    "Ontvangen",
    "In behandeling",
    "Aanvullende informatie gevraagd",
    "Besluit in voorbereiding",
)
# Fictitious bank codes for demo account numbers; the check digits are real.
_BANK_CODES = ("ABNA", "INGB", "RABO", "SNSB", "TRIO", "ASNB")

# Chance that a child of an age (below the first number) has left home.
_LEAVING_HOME = ((20, 0.1), (22, 0.35), (25, 0.6), (30, 0.85))
_MAIL_SENDERS = (
    "Belastingdienst",
    "Gemeente Almelo",
    "UWV",
    "CJIB",
    "Woonstichting Twentehuis",
)


# --- Small helpers ---------------------------------------------------------------------


def _years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, day=28)


def _age(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _ascii(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in plain.lower() if c.isalnum())


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _iban(bank: str, account: int) -> str:
    """A Dutch IBAN with valid ISO 13616 check digits."""
    bban = f"{bank}{account:010d}"
    numeric = "".join(str(int(char, 36)) for char in f"{bban}NL00")
    return f"NL{98 - int(numeric) % 97:02d}{bban}"


def _money(value: float) -> Decimal:
    return Decimal(f"{value:.2f}")


def _postcode_letters() -> list[str]:
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    # PostNL never issues SA, SD and SS.
    return [a + b for a in letters for b in letters if a + b not in {"SA", "SD", "SS"}]


def _brp_iso(value: str | None) -> str:
    """A BRP date (YYYYMMDD, 00 for unknown parts) as ISO 8601 with reduced precision."""
    if not value or len(value) != 8 or value[:4] == "0000":
        return ""
    if value[4:6] == "00":
        return value[:4]
    if value[6:] == "00":
        return f"{value[:4]}-{value[4:6]}"
    return f"{value[:4]}-{value[4:6]}-{value[6:]}"


def _brp_date(value: str | None) -> date | None:
    """A BRP date as a date; unknown month or day count from the start of the period."""
    iso = _brp_iso(value)
    if not iso:
        return None
    parts = [int(p) for p in iso.split("-")] + [1, 1]
    return date(parts[0], parts[1], parts[2])


@dataclass(frozen=True)
class _Address:
    street: str
    house_number: int
    house_letter: str
    addition: str
    postcode: str
    city: str
    buurt_code: str

    @property
    def key(self) -> str | None:
        return Residence.make_address_key(
            self.postcode, self.house_number, self.house_letter, self.addition
        )

    def one_line(self) -> str:
        return format_address(
            self.street,
            self.house_number,
            self.house_letter,
            self.addition,
            self.postcode,
            self.city,
        )


@dataclass
class _Street:
    name: str
    buurt_code: str
    units: int
    used: int = 0


class _AddressBook:
    """Hands out dwellings that nobody has used yet, street by street.

    House numbers grow along a street up to MAX_HOUSE_NUMBER; a full street is continued
    by a new street in the same buurt, so a town of a million stays plausible. Each
    street is split into postcodes of about DWELLINGS_PER_POSTCODE dwellings, taken from
    the wijk's postcode area.
    """

    MAX_HOUSE_NUMBER = 400
    DWELLINGS_PER_POSTCODE = 150

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._streets: dict[str, _Street] = {}
        for buurt, streets in _RESIDENTIAL_STREETS.items():
            for name, units in streets:
                self._streets[name] = _Street(name, buurt, units)
        self._residential = list(self._streets.values())
        # Streets with more dwellings per number take proportionally more households, so
        # house numbers grow at the same pace everywhere.
        self._cumulative = list(accumulate(s.units for s in self._residential))
        self._business = [_Street(name, buurt, 1) for name, buurt in _BUSINESS_STREETS]
        self._streets.update((s.name, s) for s in self._business)
        self._spare_names = (
            f"{stem}{suffix}"
            for suffix in _STREET_SUFFIXES
            for stem in _STREET_STEMS
            if f"{stem}{suffix}" not in self._streets
        )
        self._letters = _postcode_letters()
        self._next_letters: Counter[int] = Counter()
        self._postcodes: dict[tuple[str, int], str] = {}

    def new_home(self) -> _Address:
        index = bisect(self._cumulative, self._rng.randrange(self._cumulative[-1]))
        return self._take(self._residential, index)

    def new_premises(self) -> _Address:
        return self._take(self._business, self._rng.randrange(len(self._business)))

    def on_street(self, name: str) -> _Address:
        return self._address(self._streets[name])

    def _take(self, streets: list[_Street], index: int) -> _Address:
        street = streets[index]
        if street.used >= self.MAX_HOUSE_NUMBER * street.units:
            name = next(self._spare_names, None)
            if name is None:
                raise GeneratorError(
                    "The demo town ran out of street names; generate fewer persons."
                )
            street = streets[index] = self._streets[name] = _Street(
                name, street.buurt_code, street.units
            )
        return self._address(street)

    def _address(self, street: _Street) -> _Address:
        slot = street.used
        street.used += 1
        number, unit = divmod(slot, street.units)
        number += 1
        letter = addition = ""
        if street.units == 2:
            letter = "A" if unit else ""
        elif street.units > 2:
            addition = str(unit + 1)
        wijk = "WK" + street.buurt_code[2:8]
        return _Address(
            street=street.name,
            house_number=number,
            house_letter=letter,
            addition=addition,
            postcode=self._postcode(street, number, _WIJK_POSTCODE[wijk]),
            city=_WIJK_CITY.get(wijk, MAIN_CITY),
            buurt_code=street.buurt_code,
        )

    def _postcode(self, street: _Street, number: int, area: int) -> str:
        numbers_per_postcode = max(1, self.DWELLINGS_PER_POSTCODE // street.units)
        block = (street.name, (number - 1) // numbers_per_postcode)
        if block not in self._postcodes:
            # A full area borrows from the next one rather than stopping the generator.
            for offset in range(10):
                digits = 7600 + (area - 7600 + offset) % 10
                if self._next_letters[digits] < len(self._letters):
                    letters = self._letters[self._next_letters[digits]]
                    self._next_letters[digits] += 1
                    self._postcodes[block] = f"{digits}{letters}"
                    break
            else:
                raise GeneratorError("All postcodes 7600-7609 are in use; generate fewer persons.")
        return self._postcodes[block]


class _Sink:
    """Buffers rows per model and writes them with bulk_create in batches."""

    def __init__(self, rng: random.Random, batch_size: int) -> None:
        self._rng = rng
        self._batch_size = batch_size
        self._rows: dict[type[models.Model], list[models.Model]] = defaultdict(list)
        self._parties: list[tuple[Party, list[PartyIdentifier]]] = []
        self.counts: Counter[str] = Counter()

    def add(self, row: models.Model) -> None:
        rows = self._rows[type(row)]
        rows.append(row)
        if len(rows) >= self._batch_size:
            self._flush(type(row))

    def party(self, party_type: str, identifiers: Sequence[tuple[str, str]]) -> None:
        # The uuid comes from the seeded generator too, so parties are reproducible.
        party = Party(
            uuid=uuid.UUID(int=self._rng.getrandbits(128), version=4), party_type=party_type
        )
        rows = [PartyIdentifier(party=party, identifier_type=t, value=v) for t, v in identifiers]
        self._parties.append((party, rows))
        if len(self._parties) >= self._batch_size:
            self._flush_parties()

    def flush(self) -> None:
        for model in list(self._rows):
            self._flush(model)
        self._flush_parties()

    def _flush(self, model: type[models.Model]) -> None:
        # Rows referring to another table wait for that table's buffer to be written.
        for model_field in model._meta.concrete_fields:
            target = model_field.related_model
            if isinstance(target, type) and target in self._rows and target is not model:
                self._flush(target)
        rows = self._rows.pop(model, [])
        if rows:
            model._default_manager.bulk_create(rows, batch_size=self._batch_size)
            self.counts[model._meta.label] += len(rows)

    def _flush_parties(self) -> None:
        if not self._parties:
            return
        Party.objects.bulk_create(
            [party for party, _ in self._parties], batch_size=self._batch_size
        )
        identifiers = [row for _, rows in self._parties for row in rows]
        PartyIdentifier.objects.bulk_create(identifiers, batch_size=self._batch_size)
        self.counts[Party._meta.label] += len(self._parties)
        self.counts[PartyIdentifier._meta.label] += len(identifiers)
        self._parties = []


@dataclass
class _Member:
    """A generated person and the period they live in the household being built."""

    bsn: str
    given_names: str
    surname_prefix: str
    surname: str
    gender: str
    birth: date
    birth_place: str
    arrive: date = field(default=REFERENCE_DATE)
    leave: date | None = None

    @property
    def first_name(self) -> str:
        return self.given_names.split()[0]

    @property
    def age(self) -> int:
        return _age(self.birth, REFERENCE_DATE)


@dataclass
class _Home:
    """One household's dwelling, as seen by the services that deliver to it."""

    head: _Member
    address: _Address
    since: date
    size: int
    children_under_18: int = 0
    children_since: date | None = None  # birth of the eldest child under 18 at home
    couple: tuple[_Member, ...] = ()  # both partners, when a couple lives here
    tenant: bool = False
    previous: _Address | None = None


# --- The generator ---------------------------------------------------------------------


class _Municipality:
    def __init__(self, seed: int, batch_size: int) -> None:
        self.rng = random.Random(seed)
        self.sink = _Sink(self.rng, batch_size)
        self.addresses = _AddressBook(self.rng)
        self._bsns: Iterator[str] = iter(())
        self._rsins = eleven_test_sequence(RSIN_BASE)
        self._kvk_numbers = (f"{n:08d}" for n in range(KVK_BASE, 100_000_000))
        self._establishments = (f"{n:012d}" for n in range(ESTABLISHMENT_BASE, 10**12))
        places, weights = zip(*_BIRTH_PLACES, strict=True)
        self._places: tuple[str, ...] = places
        # Cases and taxpayer accounts draw from a random stream of their own, so adding
        # them left every other registry's demo data exactly as it was.
        self.case_rng = random.Random(f"{seed}-zaken")
        self._case_numbers: Counter[tuple[str, int]] = Counter()
        self._place_weights = list(accumulate(weights))

    # BRP test persons ----------------------------------------------------------------

    def load_brp_test_persons(self) -> set[str]:
        records = json.loads(BRP_TEST_PERSONS_FILE.read_text(encoding="utf-8"))
        bsns: set[str] = set()
        for record in records:
            bsn = record["burgerservicenummer"]
            bsns.add(bsn)
            self._brp_person(bsn, record)
            # The platform validates every BSN it is given, so a test person whose number
            # fails the 11-test could never be looked up as a party.
            if passes_eleven_test(bsn):
                self.sink.party(PartyType.PERSON, [(IdentifierType.BSN, bsn)])
        self._bsns = (bsn for bsn in eleven_test_sequence(BSN_BASE) if bsn not in bsns)
        return bsns

    def _brp_person(self, bsn: str, record: dict[str, Any]) -> None:
        name = record.get("naam", {})
        birth = record.get("geboorte", {})
        self.sink.add(
            Person(
                bsn=bsn,
                given_names=name.get("voornamen", "").strip(),
                surname_prefix=name.get("voorvoegsel", ""),
                surname=name.get("geslachtsnaam", ""),
                birth_date=_brp_iso(birth.get("datum")),
                birth_place=birth.get("plaats", {}).get("omschrijving", ""),
                gender=record.get("geslacht", {}).get("code", Gender.UNKNOWN),
            )
        )
        self._brp_residence(bsn, record)
        relations = (
            ("partners", RelationKind.PARTNER),
            ("kinderen", RelationKind.CHILD),
            ("ouders", RelationKind.PARENT),
        )
        for key, kind in relations:
            for related in record.get(key, []):
                if "burgerservicenummer" not in related:
                    continue
                if kind == RelationKind.PARTNER:
                    since = related.get("aangaanHuwelijkPartnerschap", {}).get("datum")
                    until = (related.get("ontbindingHuwelijkPartnerschap") or {}).get("datum")
                elif kind == RelationKind.CHILD:
                    since, until = related.get("geboorte", {}).get("datum"), None
                else:
                    since, until = related.get("datumIngangFamilierechtelijkeBetrekking"), None
                self.sink.add(
                    FamilyRelation(
                        bsn=bsn,
                        related_bsn=related["burgerservicenummer"],
                        kind=kind,
                        valid_from=_brp_date(since),
                        valid_to=_brp_date(until),
                    )
                )

    def _brp_residence(self, bsn: str, record: dict[str, Any]) -> None:
        place = record.get("verblijfplaats", {})
        municipality = record.get("gemeenteVanInschrijving", {}).get("omschrijving", "")
        number = int(place["huisnummer"]) if place.get("huisnummer") else None
        if place.get("straat") or place.get("locatiebeschrijving"):
            street = place.get("straat") or place["locatiebeschrijving"]
            city = place.get("woonplaats") or municipality
            since = place.get("datumAanvangAdreshouding") or place.get("datumIngangGeldigheid")
        elif place.get("land"):
            # Abroad: the BRP keeps free address lines and a country, either may be unknown.
            street = place.get("regel1", "")
            lines = (place.get("regel2"), place.get("regel3"), place["land"].get("omschrijving"))
            city = ", ".join(line.strip() for line in lines if line) or "buitenland"
            since = place.get("datumAanvangAdresBuitenland") or place.get("datumIngangGeldigheid")
        else:
            return
        postcode = place.get("postcode", "").replace(" ", "").upper()
        letter = place.get("huisletter", "")
        addition = place.get("huisnummertoevoeging", "")
        # The BRP no longer counts a deceased person as living at the address.
        died = _brp_date(record.get("overlijden", {}).get("datum"))
        self.sink.add(
            Residence(
                bsn=bsn,
                street=street,
                house_number=number,
                house_letter=letter,
                house_number_addition=addition,
                postcode=postcode,
                city=city,
                address_key=Residence.make_address_key(postcode, number, letter, addition),
                valid_from=_brp_date(since),
                valid_to=died,
            )
        )

    # People ----------------------------------------------------------------------------

    def _between(self, start: date, end: date) -> date:
        if end <= start:
            return start
        return start + timedelta(days=self.rng.randrange((end - start).days + 1))

    def _person(
        self,
        gender: str,
        birth: date,
        surname: tuple[str, str] | None = None,
    ) -> _Member:
        rng = self.rng
        names = _MALE_NAMES if gender == Gender.MALE else _FEMALE_NAMES
        given = " ".join(rng.sample(names, rng.choice((1, 1, 2, 2, 3))))
        prefix, family_name = surname or rng.choice(_SURNAMES)
        place = self._places[bisect(self._place_weights, rng.randrange(self._place_weights[-1]))]
        return _Member(next(self._bsns), given, prefix, family_name, gender, birth, place)

    def _adult_birth(self) -> date:
        # Heads of household by age band, roughly Almelo's spread.
        bands = (
            (18, 24, 8),
            (25, 34, 18),
            (35, 44, 17),
            (45, 54, 18),
            (55, 64, 17),
            (65, 74, 13),
            (75, 84, 7),
            (85, 95, 2),
        )
        low, high, _ = self.rng.choices(bands, weights=[b[2] for b in bands])[0]
        age = self.rng.randint(low, high)
        return REFERENCE_DATE - timedelta(days=age * 365 + self.rng.randrange(365))

    def _write_person(self, member: _Member) -> None:
        self.sink.add(
            Person(
                bsn=member.bsn,
                given_names=member.given_names,
                surname_prefix=member.surname_prefix,
                surname=member.surname,
                birth_date=member.birth.isoformat(),
                birth_place=member.birth_place,
                gender=member.gender,
            )
        )
        self.sink.party(PartyType.PERSON, [(IdentifierType.BSN, member.bsn)])

    def _live(self, member: _Member, address: _Address, start: date, end: date | None) -> None:
        self.sink.add(
            Residence(
                bsn=member.bsn,
                street=address.street,
                house_number=address.house_number,
                house_letter=address.house_letter,
                house_number_addition=address.addition,
                postcode=address.postcode,
                city=address.city,
                buurt_code=address.buurt_code,
                address_key=address.key,
                valid_from=start,
                valid_to=end,
            )
        )

    def _relate(
        self, a: _Member, b: _Member, kind: str, since: date, until: date | None = None
    ) -> None:
        """Record b as a's partner or child, and the reverse relation."""
        reverse = {
            RelationKind.PARTNER: RelationKind.PARTNER,
            RelationKind.CHILD: RelationKind.PARENT,
        }
        for x, y, k in ((a, b, kind), (b, a, reverse[RelationKind(kind)])):
            self.sink.add(
                FamilyRelation(
                    bsn=x.bsn, related_bsn=y.bsn, kind=k, valid_from=since, valid_to=until
                )
            )

    # Households ------------------------------------------------------------------------

    def random_household(self, max_persons: int) -> int:
        """Generate one household with its history; return how many persons it made."""
        rng = self.rng
        ref = REFERENCE_DATE
        head = self._person(rng.choice((Gender.MALE, Gender.FEMALE)), self._adult_birth())
        partner_chance = 0.25 if head.age < 25 else 0.4 if head.age >= 80 else 0.63
        partner = None
        if max_persons > 1 and rng.random() < partner_chance:
            other = Gender.FEMALE if head.gender == Gender.MALE else Gender.MALE
            gender = head.gender if rng.random() < 0.04 else other
            partner_birth = _years_later(head.birth, round(rng.gauss(0, 3)))
            partner_birth = min(partner_birth, _years_later(ref, -18))
            partner = self._person(gender, partner_birth)

        adults = [head] if partner is None else [head, partner]
        earliest = max(_years_later(m.birth, 18 if partner is None else 20) for m in adults)
        start = min(_years_later(earliest, rng.randint(0, 10)), ref - timedelta(days=30))
        start = self._between(start, min(_years_later(start, 1), ref - timedelta(days=30)))
        for member in adults:
            member.arrive = start

        children = self._children(head, partner, start, max_persons - len(adults))
        separated: date | None = None
        if partner is not None and rng.random() < 0.08:
            after = _years_later(max([start] + [c.birth for c in children]), 2)
            if after < ref - timedelta(days=60):
                separated = self._between(after, ref - timedelta(days=30))
                partner.leave = separated
        if partner is not None:
            self._relate(head, partner, RelationKind.PARTNER, start, separated)
        for child in children:
            child.arrive = child.birth
            self._leave_home(child)
            for parent in adults:
                self._relate(parent, child, RelationKind.CHILD, child.birth)

        moved_in = start
        previous: _Address | None = None
        if ref - start > timedelta(days=2 * 365) and rng.random() < 0.5:
            moved_in = self._between(_years_later(start, 1), ref - timedelta(days=30))
            previous = self.addresses.new_home()
        home = self.addresses.new_home()
        everyone = adults + children
        for member in everyone:
            self._write_person(member)
            if previous is not None:
                self._segment(member, previous, start, moved_in)
            self._segment(member, home, moved_in, None)

        staying = [m for m in everyone if m.leave is None]
        under_18 = [c for c in children if c.leave is None and c.age < 18]
        main_home = _Home(
            head=head,
            address=home,
            since=moved_in,
            size=len(staying),
            children_under_18=len(under_18),
            children_since=under_18[0].birth if under_18 else None,
            couple=(head, partner) if partner is not None and separated is None else (),
            previous=previous,
        )
        self._services(main_home)
        for member in staying:
            self._life(member, main_home)
        for member in everyone:
            if member.leave is not None:
                left = previous if previous is not None and member.leave < moved_in else home
                own = _Home(member, self.addresses.new_home(), member.leave, 1, previous=left)
                self._live(member, own.address, member.leave, None)
                self._services(own)
                self._life(member, own)
        return len(everyone)

    def _children(
        self, head: _Member, partner: _Member | None, start: date, room: int
    ) -> list[_Member]:
        rng = self.rng
        parents = [head] if partner is None else [head, partner]
        mothers = [p for p in parents if p.gender == Gender.FEMALE]
        if room < 1 or not mothers:
            return []
        chance = 0.7 if partner is not None else 0.2
        if rng.random() >= chance:
            return []
        mother = mothers[0]
        # Children carry the father's surname when there is one in the household.
        fathers = [p for p in parents if p.gender == Gender.MALE]
        name_giver = fathers[0] if fathers else head
        surname = (name_giver.surname_prefix, name_giver.surname)
        birth = max(
            start + timedelta(days=rng.randint(180, 5 * 365)),
            _years_later(mother.birth, 22),
        )
        children: list[_Member] = []
        for _ in range(min(room, rng.choice((1, 2, 2, 2, 3, 3, 4)))):
            if birth >= REFERENCE_DATE or _age(mother.birth, birth) > 43:
                break
            gender = rng.choice((Gender.MALE, Gender.FEMALE))
            child = self._person(gender, birth, surname)
            child.birth_place = MAIN_CITY
            children.append(child)
            birth += timedelta(days=rng.randint(540, 1640))
        return children

    def _leave_home(self, child: _Member) -> None:
        """Children leave home between 18 and 30, more often the older they are."""
        age = child.age
        if age < 18:
            return
        chance = next((p for below, p in _LEAVING_HOME if age < below), 0.97)
        if self.rng.random() < chance:
            latest = min(
                _years_later(child.birth, min(age, 30)), REFERENCE_DATE - timedelta(days=1)
            )
            child.leave = self._between(_years_later(child.birth, 18), latest)

    def _segment(self, member: _Member, address: _Address, start: date, end: date | None) -> None:
        """Record the part of [start, end) in which the member lived in this household."""
        begin = max(start, member.arrive)
        finish = end
        if member.leave is not None:
            finish = member.leave if finish is None else min(finish, member.leave)
        if finish is None or begin < finish:
            self._live(member, address, begin, finish)

    # Household services ------------------------------------------------------------

    def _services(self, home: _Home) -> None:
        """What the landlord, the waste company and the post know of one dwelling."""
        rng = self.rng
        young_or_old = home.head.age < 30 or home.head.age >= 67
        if rng.random() < (0.5 if young_or_old else 0.33):
            home.tenant = True
            self._tenancy(home)
        # Flats share underground containers opened with a pass; only houses have a chip
        # container of their own that is weighed per household.
        if not home.address.addition:
            self._weighings(home)

    def _tenancy(self, home: _Home) -> None:
        rng = self.rng
        rent = _money(rng.uniform(480, 980))
        bsn = home.head.bsn
        self.sink.add(
            Tenancy(
                bsn=bsn,
                address=home.address.one_line(),
                postcode=home.address.postcode,
                start_date=home.since,
                base_rent=rent,
            )
        )
        if rng.random() < 0.15:
            for _ in range(rng.randint(1, 3)):
                day = self._between(
                    max(home.since, REFERENCE_DATE - timedelta(days=3 * 365)), REFERENCE_DATE
                )
                category = rng.choice(list(_COMPLAINTS))
                recent = (REFERENCE_DATE - day).days < 60
                status = (
                    rng.choice((ComplaintStatus.OPEN, ComplaintStatus.IN_PROGRESS))
                    if recent
                    else ComplaintStatus.CLOSED
                )
                self.sink.add(
                    Complaint(
                        bsn=bsn,
                        date=day,
                        category=category,
                        description=rng.choice(_COMPLAINTS[category]),
                        status=status,
                    )
                )
        if rng.random() < 0.04:
            months = rng.randint(1, 3)
            self.sink.add(
                RentArrears(
                    bsn=bsn,
                    amount=rent * months,
                    days_overdue=months * 30 + rng.randint(0, 20),
                    reported_on=REFERENCE_DATE - timedelta(days=rng.randint(1, 60)),
                )
            )

    def _weighings(self, home: _Home) -> None:
        rng = self.rng
        year_ago = REFERENCE_DATE - timedelta(days=364)
        start = max(home.since, year_ago)
        fractions = [(Fraction.RESIDUAL, rng.randint(3, 10), 4.0)]
        if rng.random() < 0.5:
            fractions.append((Fraction.ORGANIC, rng.randint(2, 8), 6.0))
        for fraction, count, kg_per_person in fractions:
            for day in sorted({self._between(start, REFERENCE_DATE) for _ in range(count)}):
                kg = kg_per_person * (0.6 + 0.4 * home.size) * rng.uniform(0.6, 1.6)
                self.sink.add(
                    Weighing(
                        bsn=home.head.bsn, date=day, fraction=fraction, kg=Decimal(f"{kg:.1f}")
                    )
                )

    # Per person ----------------------------------------------------------------------

    def _life(self, member: _Member, home: _Home) -> None:
        """What the other sources know of one person living in this home."""
        rng = self.rng
        age = member.age
        if age >= 16:
            self._contact_details(member)
        if age < 18:
            return
        self._cases(member)
        self._taxpayer_account(member)
        incomes = self._incomes(member)
        self._assessments(member, incomes)
        self._benefits(member, home, incomes[-1] if incomes else 0.0)
        if 20 <= age < 67 and rng.random() < 0.08:
            self._business(member, home)
        if rng.random() < 0.03:
            for _ in range(rng.randint(1, 3)):
                kind = rng.choice(list(_POLICE_REPORTS))
                day = self._between(REFERENCE_DATE - timedelta(days=3 * 365), REFERENCE_DATE)
                self.sink.add(
                    Report(bsn=member.bsn, date=day, kind=kind, description=_POLICE_REPORTS[kind])
                )
        if rng.random() < 0.012:
            address = (home.previous or home.address).one_line()
            for _ in range(rng.randint(1, 2)):
                day = self._between(REFERENCE_DATE - timedelta(days=2 * 365), REFERENCE_DATE)
                self.sink.add(
                    ReturnedMail(
                        bsn=member.bsn, date=day, sender=rng.choice(_MAIL_SENDERS), address=address
                    )
                )

    def _contact_details(self, member: _Member) -> None:
        rng = self.rng
        phone = f"06{rng.randrange(10**8):08d}" if rng.random() < 0.85 else ""
        email = ""
        if rng.random() < (0.45 if member.age >= 75 else 0.78):
            local = f"{_ascii(member.first_name)}.{_ascii(member.surname_prefix + member.surname)}"
            email = f"{local}{rng.randrange(100)}@{rng.choice(_EMAIL_DOMAINS)}"
        if not phone and not email:
            return
        if email:
            preference = rng.choices(
                (
                    CorrespondencePreference.EMAIL,
                    CorrespondencePreference.BERICHTENBOX,
                    CorrespondencePreference.POST,
                ),
                weights=(5, 3, 2),
            )[0]
        else:
            preference = (
                CorrespondencePreference.POST
                if rng.random() < 0.8
                else CorrespondencePreference.BERICHTENBOX
            )
        self.sink.add(
            ContactDetails(
                bsn=member.bsn, phone=phone, email=email, correspondence_preference=preference
            )
        )

    def _incomes(self, member: _Member) -> list[float]:
        """Verzamelinkomen per INCOME_YEARS year in which the member was an adult."""
        rng = self.rng
        if member.age >= 67:
            base = rng.gauss(24_000, 7_000)
        elif member.age < 23 and rng.random() < 0.6:
            base = rng.uniform(2_000, 12_000)
        elif rng.random() < 0.07:
            base = 0.0
        else:
            base = rng.lognormvariate(10.55, 0.45)
        incomes: list[float] = []
        for offset, year in enumerate(INCOME_YEARS):
            if _age(member.birth, date(year, 12, 31)) < 18:
                continue
            amount = max(0.0, base * (1.03**offset) * rng.uniform(0.95, 1.05))
            incomes.append(amount)
            self.sink.add(AnnualIncome(bsn=member.bsn, year=year, aggregate_income=_money(amount)))
        return incomes

    def _assessments(self, member: _Member, incomes: list[float]) -> None:
        rng = self.rng
        years = INCOME_YEARS[len(INCOME_YEARS) - len(incomes) :]
        in_arrears = rng.random() < 0.03
        for year, income in zip(years, incomes, strict=True):
            if income <= 0 or rng.random() > 0.55:
                continue
            amount = _money(income * rng.uniform(0.01, 0.06))
            due = date(year + 1, rng.randint(4, 12), 28)
            outstanding = Decimal(0)
            if due >= REFERENCE_DATE:
                status = AssessmentStatus.OPEN
                outstanding = amount
            elif in_arrears:
                status = AssessmentStatus.COLLECTION
                outstanding = amount if rng.random() < 0.7 else _money(float(amount) / 2)
            elif rng.random() < 0.01:
                status = AssessmentStatus.OBJECTION
                outstanding = amount
            else:
                status = AssessmentStatus.PAID
            kind = (
                "Voorlopige aanslag inkomstenbelasting"
                if year == INCOME_YEARS[-1]
                else "Aanslag inkomstenbelasting"
            )
            self.sink.add(
                Assessment(
                    bsn=member.bsn,
                    year=year,
                    kind=kind,
                    amount=amount,
                    outstanding=outstanding,
                    due_date=due,
                    status=status,
                )
            )

    def _benefits(self, member: _Member, home: _Home, income: float) -> None:
        rng = self.rng
        ref = REFERENCE_DATE
        recent = ref - timedelta(days=2 * 365)
        age = member.age

        def award(scheme: str, since: date, monthly: float, until: date | None = None) -> None:
            self.sink.add(
                Benefit(
                    bsn=member.bsn,
                    scheme=scheme,
                    start_date=since,
                    end_date=until,
                    monthly_amount=_money(monthly),
                )
            )

        if age >= 67:
            award(Scheme.AOW, _years_later(member.birth, 67), 1_090 if home.couple else 1_580)
        else:
            roll = rng.random()
            if roll < 0.025 and age >= 21:
                award(Scheme.WW, self._between(recent, ref), rng.uniform(1_200, 2_600))
            elif roll < 0.06 and age >= 30:
                since = self._between(_years_later(ref, -12), ref)
                award(Scheme.WIA, since, rng.uniform(1_100, 2_200))
            elif roll < 0.09 and age >= 21 and income < 20_000:
                since = self._between(_years_later(ref, -8), ref)
                award(Scheme.BIJSTAND, since, 1_850 if home.couple else 1_300)
            elif roll < 0.10 and age < 40:
                award(Scheme.WAJONG, _years_later(member.birth, 18), rng.uniform(900, 1_300))
            elif roll < 0.14 and age >= 21:
                # An ended WW award: history the agency keeps but no longer pays.
                ended = self._between(recent, ref - timedelta(days=30))
                award(Scheme.WW, _years_later(ended, -1), rng.uniform(1_200, 2_600), ended)
        if income < 38_000 and rng.random() < 0.8:
            award(Scheme.ZORGTOESLAG, date(rng.choice(INCOME_YEARS), 1, 1), rng.uniform(100, 131))
        if member is home.head:
            if home.tenant and income < 32_000 and rng.random() < 0.7:
                award(Scheme.HUURTOESLAG, home.since, rng.uniform(150, 380))
            if home.children_since is not None:
                award(Scheme.KINDERBIJSLAG, home.children_since, 97.0 * home.children_under_18)

    def _business(self, member: _Member, home: _Home) -> None:
        rng = self.rng
        sbi_code, sbi_text, home_possible, patterns = rng.choice(_SBI)
        legal_form = rng.choices(_LEGAL_FORMS, weights=(78, 10, 9, 3))[0]
        partner = next((m for m in home.couple if m is not member), None)
        if legal_form == LegalForm.GENERAL_PARTNERSHIP and partner is None:
            # A partnership needs two partners; here the partner at home is the other one.
            legal_form = LegalForm.SOLE_PROPRIETORSHIP
        name = rng.choice(patterns).format(
            first=member.first_name,
            # A prefix starting a name is written with a capital: "Bouwbedrijf Van Dijk".
            surname=_capitalised(f"{member.surname_prefix} {member.surname}".strip()),
            noun=rng.choice(_NAME_NOUNS),
        )
        if legal_form == LegalForm.PRIVATE_COMPANY:
            name += " B.V."
        elif legal_form == LegalForm.FOUNDATION:
            name = f"Stichting {name}"
        at_home = home_possible and rng.random() < 0.6
        premises = home.address if at_home else self.addresses.new_premises()
        registered = self._between(
            max(_years_later(member.birth, 20), _years_later(REFERENCE_DATE, -25)), REFERENCE_DATE
        )
        self._register_business(
            member,
            name=name,
            legal_form=legal_form,
            sbi=(sbi_code, sbi_text),
            premises=premises,
            at_home=at_home,
            registered=registered,
            branches=1 if at_home or rng.random() > 0.08 else 2,
            co_owner=partner if legal_form == LegalForm.GENERAL_PARTNERSHIP else None,
        )

    def _register_business(
        self,
        owner: _Member,
        *,
        name: str,
        legal_form: str,
        sbi: tuple[str, str],
        premises: _Address,
        at_home: bool,
        registered: date,
        branches: int,
        co_owner: _Member | None = None,
    ) -> None:
        kvk = next(self._kvk_numbers)
        rsin = "" if legal_form == LegalForm.SOLE_PROPRIETORSHIP else next(self._rsins)
        self.sink.add(
            Business(
                kvk_number=kvk,
                rsin=rsin,
                trade_name=name,
                legal_form=legal_form,
                sbi_code=sbi[0],
                sbi_description=sbi[1],
                address=premises.one_line(),
                home_based=at_home,
                registration_date=registered,
            )
        )
        role = {
            LegalForm.SOLE_PROPRIETORSHIP: Role.OWNER,
            LegalForm.GENERAL_PARTNERSHIP: Role.PARTNER,
        }.get(LegalForm(legal_form), Role.DIRECTOR)
        for person in (owner,) if co_owner is None else (owner, co_owner):
            self.sink.add(BusinessRole(business_id=kvk, bsn=person.bsn, role=role))
        identifiers = [(IdentifierType.KVK.value, kvk)]
        if rsin:
            identifiers.append((IdentifierType.RSIN.value, rsin))
        for branch in range(branches):
            number = next(self._establishments)
            address = premises if branch == 0 else self.addresses.new_premises()
            self.sink.add(
                Establishment(
                    business_id=kvk,
                    establishment_number=number,
                    address=address.one_line(),
                    is_main=branch == 0,
                )
            )
            identifiers.append((IdentifierType.ESTABLISHMENT.value, number))
        self.sink.party(PartyType.ORGANISATION, identifiers)

    # The demo resident -------------------------------------------------------------

    def demo_family(self) -> int:
        """A scripted family around DEMO_RESIDENT_BSN, with data in every source.

        Hendrika ("Riky") ter Horst lost her job in spring 2026, started a sewing
        workshop at home, and lives alone since her youngest child left home on
        15 August 2026. Since then she has complained to her landlord and the police.
        """
        riky = self._person(Gender.FEMALE, date(1971, 5, 19), ("ter", "Horst"))
        gerrit = self._person(Gender.MALE, date(1969, 9, 2), ("", "Nijhuis"))
        daan = self._person(Gender.MALE, date(1997, 2, 11), ("", "Nijhuis"))
        lotte = self._person(Gender.FEMALE, date(2004, 7, 23), ("", "Nijhuis"))
        if riky.bsn != DEMO_RESIDENT_BSN:
            raise GeneratorError(f"The BSN sequence no longer starts at {DEMO_RESIDENT_BSN}.")
        riky.given_names, gerrit.given_names = "Hendrika Johanna", "Gerrit Jan"
        daan.given_names, lotte.given_names = "Daan Gerrit", "Lotte Hendrika"
        for member in (riky, gerrit, daan, lotte):
            member.birth_place = MAIN_CITY
            self._write_person(member)

        married, moved, divorced = date(1995, 6, 16), date(2003, 4, 1), date(2019, 3, 1)
        daan.leave, lotte.leave = date(2021, 9, 1), date(2026, 8, 15)
        first_home = self.addresses.on_street("Sperwerstraat")
        home = self.addresses.on_street("Nieuwstraat")
        self._relate(riky, gerrit, RelationKind.PARTNER, married, divorced)
        for child in (daan, lotte):
            for parent in (riky, gerrit):
                self._relate(parent, child, RelationKind.CHILD, child.birth)
        self._live(riky, first_home, married, moved)
        self._live(riky, home, moved, None)
        self._live(gerrit, first_home, married, moved)
        self._live(gerrit, home, moved, divorced)
        self._live(daan, first_home, daan.birth, moved)
        self._live(daan, home, moved, daan.leave)
        self._live(lotte, home, lotte.birth, lotte.leave)
        for member, street, left in (
            (gerrit, "Kolthofsingel", divorced),
            (daan, "Javastraat", daan.leave),
            (lotte, "Sluitersveldssingel", lotte.leave),
        ):
            own = _Home(member, self.addresses.on_street(street), left, 1, previous=home)
            self._live(member, own.address, left, None)
            self._services(own)
            self._life(member, own)
        self._demo_resident_sources(riky, home)
        return DEMO_FAMILY_SIZE

    def _demo_resident_sources(self, riky: _Member, home: _Address) -> None:
        bsn = riky.bsn
        add = self.sink.add
        add(
            ContactDetails(
                bsn=bsn,
                phone="0687654321",
                email="riky.terhorst@example.com",
                correspondence_preference=CorrespondencePreference.EMAIL,
            )
        )
        for year, amount in ((2023, "31450.00"), (2024, "32120.00"), (2025, "29870.00")):
            add(AnnualIncome(bsn=bsn, year=year, aggregate_income=Decimal(amount)))
        for year, kind, amount, outstanding, due, status in (
            (
                2023,
                "Aanslag inkomstenbelasting",
                "1245.00",
                "0",
                date(2024, 6, 28),
                AssessmentStatus.PAID,
            ),
            (
                2024,
                "Aanslag inkomstenbelasting",
                "2380.00",
                "2380.00",
                date(2026, 3, 31),
                AssessmentStatus.COLLECTION,
            ),
            (
                2025,
                "Voorlopige aanslag inkomstenbelasting",
                "860.00",
                "430.00",
                date(2026, 6, 30),
                AssessmentStatus.COLLECTION,
            ),
        ):
            add(
                Assessment(
                    bsn=bsn,
                    year=year,
                    kind=kind,
                    amount=Decimal(amount),
                    outstanding=Decimal(outstanding),
                    due_date=due,
                    status=status,
                )
            )
        add(
            Benefit(
                bsn=bsn,
                scheme=Scheme.WW,
                start_date=date(2026, 5, 1),
                monthly_amount=Decimal("1480.00"),
            )
        )
        add(
            Benefit(
                bsn=bsn,
                scheme=Scheme.ZORGTOESLAG,
                start_date=date(2026, 1, 1),
                monthly_amount=Decimal("123.00"),
            )
        )
        add(
            Benefit(
                bsn=bsn,
                scheme=Scheme.HUURTOESLAG,
                start_date=date(2026, 9, 1),
                monthly_amount=Decimal("212.00"),
            )
        )
        self._register_business(
            riky,
            name="Naaiatelier Riky",
            legal_form=LegalForm.SOLE_PROPRIETORSHIP,
            sbi=("1413", "Vervaardiging van bovenkleding"),
            premises=home,
            at_home=True,
            registered=date(2026, 6, 1),
            branches=1,
        )
        add(
            Tenancy(
                bsn=bsn,
                address=home.one_line(),
                postcode=home.postcode,
                start_date=date(2003, 4, 1),
                base_rent=Decimal("742.50"),
            )
        )
        for day, category, text, handling in (
            (date(2021, 2, 10), "onderhoud", "Kapotte cv-ketel.", ComplaintStatus.CLOSED),
            (
                date(2026, 9, 3),
                "geluidsoverlast",
                "Harde muziek bij de bovenburen, 's nachts.",
                ComplaintStatus.IN_PROGRESS,
            ),
            (
                date(2026, 10, 12),
                "onderhoud",
                "Lekkage in de badkamer sinds de hevige regen.",
                ComplaintStatus.OPEN,
            ),
        ):
            add(Complaint(bsn=bsn, date=day, category=category, description=text, status=handling))
        add(
            RentArrears(
                bsn=bsn, amount=Decimal("1485.00"), days_overdue=47, reported_on=date(2026, 10, 20)
            )
        )
        # The landlord also reports the arrears for early warning (vroegsignalering).
        add(
            ArrearsReport(
                bsn=bsn,
                creditor="woonstichting-twente",
                creditor_name="Woonstichting Twentehuis",
                kind=ArrearsKind.RENT,
                reference="WST-HA-0042",
                amount=Decimal("1485.00"),
                overdue_since=date(2026, 9, 3),
                reported_on=date(2026, 10, 20),
            )
        )
        add(
            Report(
                bsn=bsn,
                date=date(2026, 9, 5),
                kind="geluidsoverlast",
                description="Melding van nachtelijke geluidsoverlast door de bovenburen.",
            )
        )
        add(
            Report(
                bsn=bsn,
                date=date(2026, 10, 14),
                kind="burenruzie",
                description="Conflict met de bovenburen over geluid; gesprek met wijkagent gewenst.",
            )
        )
        # Monthly residual waste, halving once she lives alone; organic waste every other month.
        for month in range(12):
            day = date(2025 + (10 + month) // 12, (10 + month) % 12 + 1, 3)
            kg = "16.4" if day < date(2026, 8, 15) else "8.1"
            add(Weighing(bsn=bsn, date=day, fraction=Fraction.RESIDUAL, kg=Decimal(kg)))
            if month % 2 == 0:
                add(
                    Weighing(
                        bsn=bsn,
                        date=day + timedelta(days=7),
                        fraction=Fraction.ORGANIC,
                        kg=Decimal("11.0"),
                    )
                )
        for day, sender in (
            (date(2026, 9, 22), "Belastingdienst"),
            (date(2026, 10, 6), "Belastingdienst"),
        ):
            add(ReturnedMail(bsn=bsn, date=day, sender=sender, address=home.one_line()))
        add(TaxpayerAccount(bsn=bsn, iban=_iban("INGB", 6543210)))
        # Her story in cases: the WW award reviewed now she earns from her workshop, a
        # payment plan for the tax arrears, special assistance, and the leaking bathroom.
        for organisation, prefix, case_type, case_status, on, expected, closed in (
            ("Gemeente Almelo", "ALM", "Melding openbare ruimte: losliggende stoeptegels",
             "Afgehandeld", date(2026, 3, 2), date(2026, 3, 16), date(2026, 3, 2)),
            ("UWV", "UWV", "Herbeoordeling WW-uitkering (inkomsten uit onderneming)",
             "In behandeling", date(2026, 10, 2), date(2026, 11, 27), None),
            ("Belastingdienst", "BD", "Verzoek betalingsregeling inkomstenbelasting 2024",
             "Aanvullende informatie gevraagd", date(2026, 10, 21), date(2026, 12, 15), None),
            ("Gemeente Almelo", "ALM", "Aanvraag bijzondere bijstand",
             "Ontvangen", date(2026, 10, 28), date(2026, 12, 23), None),
            ("Woonstichting Twentehuis", "WST", "Reparatieverzoek lekkage badkamer",
             "Ingepland", date(2026, 10, 15), date(2026, 11, 12), None),
        ):  # fmt: skip
            add(
                CaseStatus(
                    bsn=bsn,
                    case_number=self._case_number(prefix, on.year),
                    organisation=organisation,
                    case_type=case_type,
                    status=case_status,
                    status_date=on,
                    expected_end=expected,
                    closed_on=closed,
                )
            )

    def _case_number(self, prefix: str, year: int) -> str:
        self._case_numbers[(prefix, year)] += 1
        return f"{prefix}-{year}-{self._case_numbers[(prefix, year)]:06d}"

    def _cases(self, member: _Member) -> None:
        """Cases at the partner organisations; most residents have none running."""
        rng = self.case_rng
        if rng.random() >= 0.18:
            return
        for _ in range(rng.choice((1, 1, 1, 2, 3))):
            organisation, prefix, case_type, days = rng.choice(_CASE_TYPES)
            started = REFERENCE_DATE - timedelta(days=rng.randint(1, 240))
            status_date = started + timedelta(days=rng.randint(0, (REFERENCE_DATE - started).days))
            closed = status_date if rng.random() < 0.3 else None
            self.sink.add(
                CaseStatus(
                    bsn=member.bsn,
                    case_number=self._case_number(prefix, started.year),
                    organisation=organisation,
                    case_type=case_type,
                    status="Afgehandeld" if closed else rng.choice(_CASE_STATUSES),
                    status_date=status_date,
                    expected_end=started + timedelta(days=days),
                    closed_on=closed,
                )
            )

    def _taxpayer_account(self, member: _Member) -> None:
        rng = self.case_rng
        if rng.random() < 0.6:
            account = _iban(rng.choice(_BANK_CODES), rng.randrange(10**9, 10**10))
            self.sink.add(TaxpayerAccount(bsn=member.bsn, iban=account))


def generate_municipality(
    persons: int = 1000,
    seed: int = DEFAULT_SEED,
    progress: bool = False,
) -> dict[str, int]:
    """Fill the local source registries and the party register with a demo Almelo.

    Loads the BRP test persons, then generates `persons` residents of Almelo (the first
    is the scripted family of DEMO_RESIDENT_BSN). Returns the number of rows written per
    table. Refuses, with GeneratorError, to run on a database that already holds them.
    """
    if persons < DEMO_FAMILY_SIZE:
        raise GeneratorError(f"Generate at least {DEMO_FAMILY_SIZE} persons (the demo family).")
    if Person.objects.exists():
        raise GeneratorError(
            "The demo data is already loaded: the population register is not empty. "
            "Start from an empty database to generate it again."
        )
    town = _Municipality(seed, BATCH_SIZE)
    with transaction.atomic(), tqdm(total=persons, unit="personen", disable=not progress) as bar:
        town.load_brp_test_persons()
        made = town.demo_family()
        bar.update(made)
        while made < persons:
            added = town.random_household(persons - made)
            made += added
            bar.update(added)
        town.sink.flush()
    return dict(sorted(town.sink.counts.items()))
