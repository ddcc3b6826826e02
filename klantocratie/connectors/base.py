"""The one interface every source is reached through.

A connector reads elements of a party, changes one element, and reports its health.
Connectors know nothing about grants or logging: they are only ever called by the
privacy gate (klantocratie.privacy.gate), which checks and logs every call.
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Collection, Hashable, Iterator, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from klantocratie.registry.models import Source


@dataclass(frozen=True)
class PartyRef:
    """How a source knows a party: by its own key, a BSN or a KvK number."""

    identifier_type: str
    value: str


@dataclass(frozen=True)
class Health:
    ok: bool
    detail: str = ""
    checked_at: datetime = field(default_factory=timezone.now)


@dataclass(frozen=True)
class Concerning:
    """A value that is also personal data of other data subjects.

    A household's composition tells something about each member; a connector that
    returns such a value names those members, so the gate logs the processing for each
    of them too.
    """

    value: Any
    subjects: tuple[PartyRef, ...]


@dataclass(frozen=True, slots=True)
class Fact:
    """One dated fact about a party, for analysis: an event or a state with its start.

    Signal rules and area trends work on facts, not on the display values `read`
    returns. `kind` names what happened in the analytic vocabulary (docs/signals.md
    lists the kinds); `reference` is the source's own record id, so a resident who
    contests a signal can point at the record, and the source can correct it.
    """

    party: PartyRef
    kind: str
    at: date | None
    category: str = ""
    amount: float | None = None
    # Where it happened when that is not the source's own organisation (a contact
    # registered at the police in the regional contact register).
    organisation: str = ""
    reference: str = ""


@dataclass(frozen=True, slots=True)
class Identity:
    """How a registry identifies a person: what record linkage compares a partner's
    record with. Earlier postcodes let a record from before a move still be found."""

    party: PartyRef
    surname: str
    surname_prefix: str
    given_names: str
    birth_date: str
    street: str
    house_number: int | None
    house_number_addition: str
    postcode: str
    city: str
    previous_postcodes: tuple[str, ...] = ()


class SourceUnavailable(Exception):
    """The source could not be reached in time; the caller shows it as unavailable."""


class ChangeRejected(Exception):
    """The source refused the change (e.g. an invalid value). Retrying will not help."""


class SearchNotSupported(Exception):
    """The source cannot look parties up by (some of) the criteria it was given."""


class IdentitiesNotSupported(Exception):
    """The source does not identify persons (only the population register does)."""


class FactsNotSupported(Exception):
    """The source cannot deliver analytic facts for (some of) the elements asked."""


# A client search, keyed by the element each value belongs to, so the gate can check the
# requester may use that element. Values per element (normalised by the caller):
#   person.name     words of the name, lower case ("ter horst", "riky horst")
#   person.birth    ISO date "1971-05-19"
#   person.address  {"postcode": "7607AB", "huisnummer": 12, "huisletter": "", "toevoeging": ""}
#   person.phone    digits as stored, "0687654321" or "+31687654321"
#   person.email    the address, any case
#   cases.open      {"zaaknummer": "..."}
SearchCriteria = Mapping[str, Any]


class Connector(abc.ABC):
    """Base class of all connectors. One instance serves one Source row."""

    key: ClassVar[str]

    def __init__(self, source: Source) -> None:
        self.source = source

    @property
    def timeout(self) -> float:
        return self.source.timeout_seconds or settings.SOURCE_TIMEOUT_SECONDS

    @abc.abstractmethod
    def provides(self) -> frozenset[str]:
        """Element codes this connector can serve."""

    @abc.abstractmethod
    def read(self, party: PartyRef, elements: Sequence[str]) -> dict[str, Any]:
        """Return {element code: JSON-serialisable value or None when the source has none}.

        Raises SourceUnavailable when the source cannot answer.
        """

    def change(self, party: PartyRef, element: str, value: Any) -> None:
        """Write one element. Raises SourceUnavailable (retried) or ChangeRejected (not)."""
        raise ChangeRejected(f"Bron {self.source.code} accepteert geen wijzigingen.")

    @abc.abstractmethod
    def health(self) -> Health:
        """Report whether the source answers now."""

    def searchable(self) -> frozenset[str]:
        """Element codes this connector can find parties by (none unless it says so)."""
        return frozenset()

    def find(self, criteria: SearchCriteria) -> list[PartyRef]:
        """The parties matching every criterion, at most a handful more than asked for.

        Only called with criteria whose elements are all in searchable(). Raises
        SourceUnavailable when the source cannot answer.
        """
        raise SearchNotSupported(f"Bron {self.source.code} kan niet zoeken.")

    def fact_elements(self) -> frozenset[str]:
        """Element codes this connector can deliver as analytic facts."""
        return frozenset()

    def facts(
        self, elements: Sequence[str], parties: Collection[PartyRef] | None = None
    ) -> Iterator[Fact]:
        """The facts behind the given elements, of all parties or only of `parties`.

        Only called by the gate's `extract`, for elements in fact_elements(). Raises
        SourceUnavailable when the source cannot answer.
        """
        raise FactsNotSupported(f"Bron {self.source.code} levert geen analysefeiten.")

    def identity_elements(self) -> frozenset[str]:
        """The elements a person's identity is made of here (none if it has none)."""
        return frozenset()

    def identities(self) -> Iterator[Identity]:
        """Every person's identity, for record linkage. Only called by the gate's
        `extract_identities`. Raises SourceUnavailable when the source cannot answer."""
        raise IdentitiesNotSupported(f"Bron {self.source.code} identificeert geen personen.")


Reader = Callable[[PartyRef], Any]

# Rows already fetched during the current LocalRegistryConnector.read call.
_rows_of_this_read: ContextVar[dict[Hashable, Any] | None] = ContextVar(
    "rows_of_this_read", default=None
)


def row_once(key: Hashable, fetch: Callable[[], Any]) -> Any:
    """Fetch a source row once per read, however many elements are taken from it.

    A person's name, birth and gender are three elements but one row; readers that call
    this with the same key during one read share a single query.
    """
    rows = _rows_of_this_read.get()
    if rows is None:
        return fetch()
    if key not in rows:
        rows[key] = fetch()
    return rows[key]


Writer = Callable[[PartyRef, Any], None]
Finder = Callable[[SearchCriteria], list[PartyRef]]
# Rows fetched per database round trip when a fact reader streams a whole registry.
STREAM_CHUNK = 10_000
# Facts of all parties (None) or of the given identifier values of this source's key.
FactReader = Callable[[Collection[str] | None], Iterator[Fact]]


class LocalRegistryConnector(Connector):
    """A registry kept in this installation's own tables, owned by one source app.

    Subclasses map element codes to reader (and optionally writer) functions that query
    only their own app's models.
    """

    readers: ClassVar[Mapping[str, Reader]] = {}
    writers: ClassVar[Mapping[str, Writer]] = {}
    # Element codes a registry can search by, and the one function that searches them
    # (a registry answers a combination, e.g. name and birth date, in one query).
    search_elements: ClassVar[frozenset[str]] = frozenset()
    finder: ClassVar[Finder | None] = None
    health_model: ClassVar[Any] = None  # a model of the app, queried to test the tables
    # Element code -> the function that streams that element's facts.
    fact_readers: ClassVar[Mapping[str, FactReader]] = {}
    # The streaming identity reader, and the elements an identity is made of.
    identity_reader: ClassVar[Callable[[], Iterator[Identity]] | None] = None
    identity_made_of: ClassVar[frozenset[str]] = frozenset()
    # The identifier type the registry keys its records on (BSN for persons).
    key_type: ClassVar[str] = "bsn"

    def provides(self) -> frozenset[str]:
        return frozenset(self.readers)

    def read(self, party: PartyRef, elements: Sequence[str]) -> dict[str, Any]:
        token = _rows_of_this_read.set({})
        try:
            return {code: self.readers[code](party) for code in elements}
        finally:
            _rows_of_this_read.reset(token)

    def change(self, party: PartyRef, element: str, value: Any) -> None:
        writer = self.writers.get(element)
        if writer is None:
            raise ChangeRejected(f"Bron {self.source.code} kan {element} niet wijzigen.")
        writer(party, value)

    # The finder is read from the class: a plain function there, not a bound method.
    def searchable(self) -> frozenset[str]:
        return self.search_elements if type(self).finder is not None else frozenset()

    def find(self, criteria: SearchCriteria) -> list[PartyRef]:
        finder = type(self).finder
        unsupported = sorted(set(criteria) - self.searchable())
        if unsupported or finder is None:
            raise SearchNotSupported(
                f"Bron {self.source.code} kan niet zoeken op {', '.join(unsupported)}."
            )
        return finder(criteria)

    def fact_elements(self) -> frozenset[str]:
        return frozenset(self.fact_readers)

    def facts(
        self, elements: Sequence[str], parties: Collection[PartyRef] | None = None
    ) -> Iterator[Fact]:
        unsupported = sorted(set(elements) - self.fact_elements())
        if unsupported:
            raise FactsNotSupported(
                f"Bron {self.source.code} levert geen analysefeiten voor {', '.join(unsupported)}."
            )
        keys = (
            None
            if parties is None
            else sorted({p.value for p in parties if p.identifier_type == self.key_type})
        )
        for code in elements:
            yield from self.fact_readers[code](keys)

    def identity_elements(self) -> frozenset[str]:
        return self.identity_made_of if type(self).identity_reader is not None else frozenset()

    def identities(self) -> Iterator[Identity]:
        reader = type(self).identity_reader
        if reader is None:
            return super().identities()
        return reader()

    def health(self) -> Health:
        if self.health_model is not None:
            self.health_model.objects.exists()
        return Health(ok=True, detail="lokale registratie")


_CONNECTOR_CLASSES: dict[str, type[Connector]] = {}


def register(key: str) -> Callable[[type[Connector]], type[Connector]]:
    """Class decorator that makes a connector available under a key for Source.connector."""

    def decorate(cls: type[Connector]) -> type[Connector]:
        cls.key = key
        _CONNECTOR_CLASSES[key] = cls
        return cls

    return decorate


def connector_keys() -> list[str]:
    return sorted(_CONNECTOR_CLASSES)


def connector_class(key: str) -> type[Connector]:
    extra: dict[str, str] = getattr(settings, "KLANTOCRATIE_EXTRA_CONNECTORS", {})
    if key in extra:
        return import_string(extra[key])
    try:
        return _CONNECTOR_CLASSES[key]
    except KeyError:
        raise LookupError(
            f"Onbekende connector {key!r}; bekend: {', '.join(connector_keys())}"
        ) from None


def connector_for(source: Source) -> Connector:
    return connector_class(source.connector)(source)
