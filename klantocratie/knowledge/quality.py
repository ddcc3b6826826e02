"""Search quality against a fixed question set: hit@1, hit@3 and latency."""

import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .models import QuestionAnswer
from .selectors import SearchHit, search_knowledge


@dataclass
class QualityReport:
    questions: int = 0
    hits_at_1: int = 0
    hits_at_3: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    misses: list[tuple[str, list[str]]] = field(default_factory=list)

    @property
    def hit_at_1(self) -> float:
        return self.hits_at_1 / self.questions if self.questions else 0.0

    @property
    def hit_at_3(self) -> float:
        return self.hits_at_3 / self.questions if self.questions else 0.0

    def latency(self, quantile: float) -> float:
        ordered = sorted(self.latencies_ms)
        if not ordered:
            return 0.0
        if len(ordered) == 1:
            return ordered[0]
        return statistics.quantiles(ordered, n=100, method="inclusive")[round(quantile * 100) - 1]


def read_questions(path: Path | str) -> list[dict[str, Any]]:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    return list(data["questions"])


def _label(hit: SearchHit) -> str:
    if isinstance(hit.item, QuestionAnswer):
        return f"answer:{hit.item.slug}"
    return f"product:{hit.item.name}"


def evaluate(questions: list[dict[str, Any]], rerank: bool) -> QualityReport:
    report = QualityReport()
    for question in questions:
        started = time.perf_counter()
        hits = search_knowledge(question["q"], rerank=rerank, limit=3)
        report.latencies_ms.append((time.perf_counter() - started) * 1000)
        labels = [_label(h) for h in hits]
        expected = set(question["expect"])
        report.questions += 1
        if labels[:1] and labels[0] in expected:
            report.hits_at_1 += 1
        if expected & set(labels[:3]):
            report.hits_at_3 += 1
        else:
            report.misses.append((question["q"], labels))
    return report
