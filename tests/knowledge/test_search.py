"""Dutch search over the demo knowledge: stemming, compounds, typos, filters, re-ranking."""

from collections.abc import Sequence
from typing import Any
from unittest import mock

import numpy as np
import pytest

from klantocratie.knowledge import backends, encoder, selectors
from klantocratie.knowledge.models import QuestionAnswer, SearchDocument
from klantocratie.knowledge.selectors import SearchHit, search_knowledge
from klantocratie.knowledge.services import deactivate_answers, index_answer
from klantocratie.registry.models import Organisation

pytestmark = pytest.mark.usefixtures("demo_knowledge", "db")


def labels(hits: Sequence[SearchHit]) -> list[str]:
    return [
        f"answer:{h.item.slug}" if isinstance(h.item, QuestionAnswer) else f"product:{h.item.name}"
        for h in hits
    ]


@pytest.mark.parametrize("rerank", [False, True])
def test_a_past_tense_finds_the_infinitive(rerank: bool) -> None:
    # "verhuisd" and "verhuizen" share no surface form; stemming joins them.
    hits = search_knowledge("verhuisd", rerank=rerank, limit=10)
    found = dict(zip(labels(hits), hits, strict=True))
    assert "product:verhuismelding" in found
    document = SearchDocument.objects.get(object_uuid=found["product:verhuismelding"].uuid)
    assert "verhuisd" not in f"{document.title} {document.text}".lower()
    assert "verhuizen" in document.text


@pytest.mark.parametrize(
    "query", ["parkeervergunning", "vergunning voor parkeren", "parkeer vergunning"]
)
def test_a_compound_and_its_parts_find_each_other(query: str) -> None:
    top = labels(search_knowledge(query, rerank=False, limit=3))
    assert {"answer:parkeervergunning-aanvragen", "product:parkeervergunning"} <= set(top)


def test_a_compound_the_documents_never_use_is_split_against_their_words() -> None:
    # No document says "huurachterstandregeling"; its parts are in the corpus.
    top = labels(search_knowledge("huurachterstandregeling", rerank=False, limit=5))
    assert "answer:huurachterstand" in top


def test_a_typo_is_mended_to_a_corpus_word() -> None:
    top = labels(search_knowledge("parkeervergunnig", rerank=False, limit=3))
    assert "product:parkeervergunning" in top


def test_every_hit_carries_source_review_date_and_snippet() -> None:
    hits = search_knowledge("mijn vader is overleden", limit=5)
    assert labels(hits)[0] == "answer:overlijden-aangifte"
    for hit in hits:
        assert hit.source_name and hit.last_reviewed and hit.score is not None
    assert "uitvaart" in hits[0].snippet.lower() or "overlijden" in hits[0].snippet.lower()


def test_inactive_answers_are_never_returned() -> None:
    assert "answer:tozo-oud" not in labels(search_knowledge("tozo zzp corona", limit=50))
    deactivate_answers(QuestionAnswer.objects.filter(slug="paspoort-aanvragen"))
    for rerank in (False, True):
        found = labels(search_knowledge("nieuw paspoort aanvragen", rerank=rerank, limit=50))
        assert "answer:paspoort-aanvragen" not in found
    assert not SearchDocument.objects.filter(
        object_uuid=QuestionAnswer.objects.get(slug="paspoort-aanvragen").uuid
    ).exists()


def test_an_answer_edited_to_inactive_leaves_the_index_even_if_rows_linger() -> None:
    answer = QuestionAnswer.objects.get(slug="hondenbelasting")
    QuestionAnswer.objects.filter(pk=answer.pk).update(status="inactief")
    # The search document is still there: the selector itself refuses inactive answers.
    assert "answer:hondenbelasting" not in labels(search_knowledge("hondenbelasting", limit=50))


def test_an_edited_answer_is_found_by_its_new_words() -> None:
    answer = QuestionAnswer.objects.get(slug="hondenbelasting")
    answer.keywords = "viervoeter, blaffen"
    answer.save()
    index_answer(answer)
    assert "answer:hondenbelasting" in labels(search_knowledge("viervoeter", limit=3))


def test_filters_narrow_by_audience_life_event_and_organisation() -> None:
    business = search_knowledge("vergunning", audience="ondernemer", limit=50)
    assert business and all(
        h.item.audience in ("ondernemer", "iedereen")
        if isinstance(h.item, QuestionAnswer)
        else h.item.for_businesses
        for h in business
    )
    moving = search_knowledge("aanvragen", life_event="verhuizen", limit=50)
    assert moving and all(h.item.life_events.filter(slug="verhuizen").exists() for h in moving)
    uwv = Organisation.objects.get(code="uwv")
    at_uwv = search_knowledge("uitkering", organisation=uwv, limit=50)
    answers = [h.item for h in at_uwv if isinstance(h.item, QuestionAnswer)]
    assert answers and all(a.organisations.filter(code="uwv").exists() for a in answers)


def test_an_empty_or_stopword_query_finds_nothing() -> None:
    assert search_knowledge("") == []
    assert search_knowledge("hoe kan ik") == []


def test_re_ranking_can_be_switched_off(settings: Any) -> None:
    settings.KLANTOCRATIE_KNOWLEDGE_RERANK = False
    with mock.patch.object(encoder, "encode", side_effect=AssertionError("encoder used")):
        assert search_knowledge("ik ben ontslagen", limit=3)


def test_search_falls_back_to_full_text_when_the_encoder_is_unavailable() -> None:
    plain = labels(search_knowledge("ik ben ontslagen", rerank=False, limit=5))
    with mock.patch.object(encoder, "available", return_value=False):
        assert labels(search_knowledge("ik ben ontslagen", rerank=True, limit=5)) == plain


def test_re_ranking_caches_document_embeddings_and_drops_them_when_text_changes() -> None:
    search_knowledge("ik heb schulden", rerank=True, limit=3)
    answer = QuestionAnswer.objects.get(slug="schulden-hulp")
    row = SearchDocument.objects.get(object_uuid=answer.uuid)
    assert row.embedding is not None
    assert encoder.from_bytes(row.embedding).shape == (encoder.DIMENSIONS,)
    assert row.embedding_key == encoder.text_key(row.embedding_text)
    answer.question = "Ik zit diep in de schulden, wie helpt?"
    answer.save()
    index_answer(answer)
    row.refresh_from_db()
    assert row.embedding is None and row.embedding_key == ""


def test_the_encoder_is_multilingual_and_places_paraphrases_close() -> None:
    vectors = encoder.encode(
        ["Mijn vader is overleden", "Aangifte van overlijden", "Parkeervergunning aanvragen"]
    )
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]


class TestBackends:
    """Both databases answer the same selector through one backend protocol."""

    @pytest.mark.parametrize(
        ("vendor", "kind"),
        [("sqlite", backends.SqliteFts5Backend), ("postgresql", backends.PostgresFullTextBackend)],
    )
    def test_each_database_has_its_backend(self, vendor: str, kind: type) -> None:
        with mock.patch.object(backends.connection, "vendor", vendor):
            assert isinstance(backends.full_text_backend(), kind)

    def test_both_backends_ask_for_the_same_corrected_stems(self) -> None:
        words = ["verhuisd", "parkeervergunning", "parkeer", "verhuisd"]
        assert backends.SqliteFts5Backend().match_expression(words) == (
            '"verhuis" OR "parkervergun" OR "parker"'
        )
        assert backends.PostgresFullTextBackend().query(words) == (
            "'verhuis' | 'parkervergun' | 'parker'"
        )

    def test_a_stem_cannot_break_out_of_its_postgresql_lexeme(self) -> None:
        assert backends.PostgresFullTextBackend().query(["o'neill"]) == "'o''neill'"

    def test_the_postgresql_query_uses_the_expression_its_gin_index_covers(self) -> None:
        from importlib import import_module

        migration = import_module("klantocratie.knowledge.migrations.0002_full_text_index")
        indexed = migration.POSTGRES_CREATE[1].split("USING gin ((", 1)[1].rsplit("))", 1)[0]
        assert indexed == backends.POSTGRES_VECTOR
        assert f"({indexed}) @@ q" in backends.POSTGRES_CANDIDATES

    def test_the_selector_passes_analysed_words_to_whichever_backend_serves(self) -> None:
        seen: list[list[str]] = []

        class Recording:
            def candidates(self, words: Sequence[str], limit: int) -> list[tuple[int, float]]:
                seen.append(list(words))
                return []

        with mock.patch.object(selectors, "full_text_backend", return_value=Recording()):
            assert search_knowledge("Hoe vraag ik een parkeervergunning aan?") == []
        assert seen == [["vraag", "parkeervergunning", "parkeer", "vergunning"]]
