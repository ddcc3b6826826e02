"""An in-memory source for gate tests: data per party, and switches to make it fail."""

from collections.abc import Sequence
from typing import Any, ClassVar

from klantocratie.connectors.base import (
    ChangeRejected,
    Connector,
    Health,
    PartyRef,
    SourceUnavailable,
    register,
)


@register("test.memory")
class MemoryConnector(Connector):
    # Keyed by source code, so several memory sources can coexist in one test.
    records: ClassVar[dict[str, dict[tuple[str, str], dict[str, Any]]]] = {}
    down: ClassVar[set[str]] = set()
    calls: ClassVar[list[tuple[str, tuple[str, ...]]]] = []

    @classmethod
    def reset(cls) -> None:
        cls.records, cls.down, cls.calls = {}, set(), []

    def provides(self) -> frozenset[str]:
        return frozenset(self.source.config.get("elements", []))

    def read(self, party: PartyRef, elements: Sequence[str]) -> dict[str, Any]:
        self.calls.append((self.source.code, tuple(elements)))
        if self.source.code in self.down:
            raise SourceUnavailable("Testbron is uit.")
        stored = self.records.get(self.source.code, {}).get(
            (party.identifier_type, party.value), {}
        )
        return {code: stored.get(code) for code in elements}

    def change(self, party: PartyRef, element: str, value: Any) -> None:
        if self.source.code in self.down:
            raise SourceUnavailable("Testbron is uit.")
        if value == "invalid":
            raise ChangeRejected("Ongeldige waarde.")
        key = (party.identifier_type, party.value)
        self.records.setdefault(self.source.code, {}).setdefault(key, {})[element] = value

    def health(self) -> Health:
        return Health(ok=self.source.code not in self.down, detail="geheugen")
