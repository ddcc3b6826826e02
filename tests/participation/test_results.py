"""Results: counts per answer and per area, small cells hidden, nothing derivable."""

from collections.abc import Mapping

from klantocratie.participation.models import Answer, Breakdown, Poll
from klantocratie.participation.results import PollResults, ResultCell, poll_results

from .conftest import MakePoll, PortalWorld

BINNENSTAD, DE_RIET = "WK014110", "WK014111"


def _answers(poll: Poll, counts: Mapping[tuple[str, str], int]) -> None:
    """Answers straight in the table: (area, option label) -> how many."""
    options = {o.label: o for o in poll.options.all()}
    Answer.objects.bulk_create(
        Answer(poll=poll, option=options[label], respondent=f"{area}{label}{i}", area=area)
        for (area, label), n in counts.items()
        for i in range(n)
    )


def _texts(results: PollResults) -> dict[str, str]:
    return {option.label: cell.text for option, cell in results.rows}


def _not_derivable(total: ResultCell, parts: list[ResultCell]) -> bool:
    """With the total shown, the hidden parts are none, or two or more, and no small one
    is alone."""
    hidden = [p for p in parts if p.hidden]
    return total.hidden or not any(p.below_k for p in hidden) or len(hidden) >= 2


def test_a_small_answer_is_hidden_and_so_is_one_more(
    world: PortalWorld, make_poll: MakePoll
) -> None:
    poll = make_poll(options=["Ja", "Nee", "Weet niet"])
    _answers(poll, {("", "Ja"): 25, ("", "Nee"): 12, ("", "Weet niet"): 3})
    results = poll_results(poll)
    # 3 is below k; with only it hidden, 40 - 25 - 12 would give it away.
    assert _texts(results) == {"Ja": "25", "Nee": "niet getoond", "Weet niet": "minder dan 10"}
    assert results.total.text == "40"
    assert [cell.share for _o, cell in results.rows] == [62, None, None]
    assert results.any_hidden


def test_nothing_is_hidden_when_every_count_is_large(
    world: PortalWorld, make_poll: MakePoll
) -> None:
    poll = make_poll()
    _answers(poll, {("", "Ja"): 30, ("", "Nee"): 10})
    results = poll_results(poll)
    assert _texts(results) == {"Ja": "30", "Nee": "10"}
    assert [cell.share for _o, cell in results.rows] == [75, 25]
    assert not results.any_hidden


def test_no_answers_show_no_numbers(world: PortalWorld, make_poll: MakePoll) -> None:
    results = poll_results(make_poll())
    assert results.total.text == "minder dan 10"
    assert _texts(results) == {"Ja": "minder dan 10", "Nee": "minder dan 10"}


def test_k_comes_from_the_setting(world: PortalWorld, make_poll: MakePoll, settings) -> None:  # type: ignore[no-untyped-def]
    settings.PARTICIPATION_MIN_CELL = 3
    poll = make_poll(options=["Ja", "Nee", "Weet niet"])
    _answers(poll, {("", "Ja"): 25, ("", "Nee"): 12, ("", "Weet niet"): 3})
    assert _texts(poll_results(poll)) == {"Ja": "25", "Nee": "12", "Weet niet": "3"}


def test_per_area_a_small_cell_cannot_be_worked_out_from_any_total(
    world: PortalWorld, make_poll: MakePoll
) -> None:
    poll = make_poll(breakdown=Breakdown.WIJK, areas=[BINNENSTAD, DE_RIET])
    _answers(
        poll,
        {
            (BINNENSTAD, "Ja"): 15,
            (BINNENSTAD, "Nee"): 12,
            (DE_RIET, "Ja"): 14,
            (DE_RIET, "Nee"): 3,
        },
    )
    results = poll_results(poll)
    assert [area.name for area in results.areas] == ["Wijk 10 Binnenstad", "Wijk 11 De Riet"]
    de_riet = {o.label: c for o, c in results.areas[1].cells}
    assert de_riet["Nee"].text == "minder dan 10"
    for area in results.areas:
        assert _not_derivable(area.total, [c for _o, c in area.cells])
    for index, (_option, overall) in enumerate(results.rows):
        column = [area.cells[index][1] for area in results.areas]
        assert _not_derivable(overall, column)
    assert _not_derivable(results.total, [c for _o, c in results.rows])
    assert _not_derivable(results.total, [area.total for area in results.areas])
    assert results.total.text == "44"


def test_every_wijk_has_a_row_even_without_answers(world: PortalWorld, make_poll: MakePoll) -> None:
    poll = make_poll(breakdown=Breakdown.WIJK)
    _answers(poll, {(BINNENSTAD, "Ja"): 20})
    results = poll_results(poll)
    assert len(results.areas) == 12
    assert all(area.total.hidden for area in results.areas[1:])


def test_the_interim_result_has_no_areas(world: PortalWorld, make_poll: MakePoll) -> None:
    poll = make_poll(breakdown=Breakdown.BUURT)
    _answers(poll, {("BU01411000", "Ja"): 20, ("BU01411001", "Nee"): 20})
    interim = poll_results(poll, interim=True)
    assert interim.areas == [] and interim.interim
    assert _texts(interim) == {"Ja": "20", "Nee": "20"}
