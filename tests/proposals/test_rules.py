"""The program's rules, with the numbers of DESIGN.md."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from pic.access import SYSTEM
from proposals import rules, services
from proposals.models import Contact

from .conftest import hand_in_final_report, make_contact, make_proposal, ratified

MONTREAL = ZoneInfo("America/Toronto")
UTC = datetime.UTC


def errors_of(proposal, **kwargs):
    proposal.refresh_from_db()
    return rules.submission_errors(proposal, **kwargs)


# --- Amounts: bounds inclusive, one dollar outside refused ------------------------------------

AMOUNTS = [
    (1, 25000, 50000),
    (2, 75000, 150000),
    (3, 150000, 350000),
]


@pytest.mark.parametrize(("number", "low", "high"), AMOUNTS)
def test_yearly_amount_at_the_stage_bounds_is_accepted(saint_michel, stages, open_window,
                                                       number, low, high):
    make_contact(saint_michel)
    stage = stages[number]
    for amount in (low, high):
        proposal = make_proposal(saint_michel, stage,
                                 amounts=[amount] * stage.normal_duration_years,
                                 title=f"{number}-{amount}")
        assert not {k for k in errors_of(proposal) if k.startswith("year_")}


@pytest.mark.parametrize(("number", "low", "high"), AMOUNTS)
def test_yearly_amount_one_dollar_outside_is_refused(saint_michel, stages, open_window,
                                                     number, low, high):
    stage = stages[number]
    for amount in (low - 1, high + 1):
        proposal = make_proposal(saint_michel, stage,
                                 amounts=[amount] * stage.normal_duration_years,
                                 title=f"{number}-{amount}")
        errors = errors_of(proposal)
        assert "year_1" in errors
        assert "doit être entre" in errors["year_1"][0]
        assert f"{low:,}".replace(",", "\u202f") in errors["year_1"][0] or \
            str(low)[:2] in errors["year_1"][0]


def test_a_missing_year_amount_is_refused(saint_michel, stages):
    proposal = make_proposal(saint_michel, stages[2], amounts=[75000, 75000])
    services.proposal_save_draft(proposal=proposal, actor=SYSTEM, data={"duration_years": 3})
    errors = errors_of(proposal)
    assert "year_3" in errors


def test_years_beyond_the_duration_are_refused(saint_michel, stages):
    proposal = make_proposal(saint_michel, stages[1], amounts=[30000, 30000],
                             duration_justification="Parce que.")
    services.proposal_save_draft(proposal=proposal, actor=SYSTEM, data={"duration_years": 1})
    assert "years" in errors_of(proposal)


# --- Durations and justification --------------------------------------------------------------

DURATIONS = [  # stage, normal, max
    (1, 1, 2),
    (2, 3, 4),
    (3, 3, 3),
]


@pytest.mark.parametrize(("number", "normal", "longest"), DURATIONS)
def test_normal_duration_needs_no_justification(saint_michel, stages, number, normal, longest):
    stage = stages[number]
    proposal = make_proposal(saint_michel, stage, amounts=[stage.min_yearly_amount] * normal)
    errors = errors_of(proposal)
    assert "duration_years" not in errors
    assert "duration_justification" not in errors


@pytest.mark.parametrize(("number", "normal", "longest"), [(1, 1, 2), (2, 3, 4)])
def test_longer_duration_needs_a_justification(saint_michel, stages, number, normal, longest):
    stage = stages[number]
    proposal = make_proposal(saint_michel, stage, amounts=[stage.min_yearly_amount] * longest)
    assert "duration_justification" in errors_of(proposal)
    services.proposal_save_draft(proposal=proposal, actor=SYSTEM,
                                 data={"duration_justification": "Mobiliser prend du temps."})
    errors = errors_of(proposal)
    assert "duration_justification" not in errors
    assert "duration_years" not in errors


@pytest.mark.parametrize(("number", "normal", "longest"), DURATIONS)
def test_duration_beyond_the_maximum_is_refused_even_justified(saint_michel, stages, number,
                                                               normal, longest):
    stage = stages[number]
    proposal = make_proposal(saint_michel, stage,
                             amounts=[stage.min_yearly_amount] * (longest + 1),
                             duration_justification="Beaucoup à faire.")
    errors = errors_of(proposal)
    assert "duration_years" in errors
    assert f"au plus {longest} an" in errors["duration_years"][0]


def test_stage_3_allows_no_fourth_year(saint_michel, stages):
    proposal = make_proposal(saint_michel, stages[3], amounts=[150000] * 4,
                             duration_justification="x")
    assert "duration_years" in errors_of(proposal)


# --- Capacity building ------------------------------------------------------------------------


@pytest.mark.parametrize(("number", "amount"), [(1, 10000), (2, 20000), (3, 30000)])
def test_capacity_building_up_to_the_stage_amount(saint_michel, stages, number, amount):
    stage = stages[number]
    ok = make_proposal(saint_michel, stage, capacity_building_amount=Decimal(amount), title="a")
    assert "capacity_building_amount" not in errors_of(ok)
    over = make_proposal(saint_michel, stage, capacity_building_amount=Decimal(amount + 1),
                         title="b")
    assert "capacity_building_amount" in errors_of(over)


# --- Prerequisites per stage ------------------------------------------------------------------


@pytest.mark.parametrize(("number", "count"), [(1, 2), (2, 6), (3, 8)])
def test_every_prerequisite_of_the_stage_must_be_evidenced(saint_michel, stages, number, count):
    stage = stages[number]
    assert stage.prerequisites.count() == count
    proposal = make_proposal(saint_michel, stage, evidence={})
    proposal.evidence.all().delete()
    errors = errors_of(proposal)
    keys = {k for k in errors if k.startswith("evidence_")}
    assert keys == {rules.evidence_field(i.pk) for i in stage.prerequisites.all()}


def test_stage_2_repeats_stage_1_prerequisites_and_adds_the_deployment_plan(stages):
    one = list(stages[1].prerequisites.values_list("label", flat=True))
    two = list(stages[2].prerequisites.values_list("label", flat=True))
    assert two[:2] == one
    assert any("vision de changement" in label for label in two)
    assert any("ÉDI" in label for label in two)


def test_a_blank_evidence_text_is_refused(saint_michel, stages):
    proposal = make_proposal(saint_michel, stages[1])
    item = stages[1].prerequisites.first()
    services.proposal_save_draft(proposal=proposal, actor=SYSTEM,
                                 data={"evidence": {item.pk: "  "}})
    assert rules.evidence_field(item.pk) in errors_of(proposal)


def test_a_document_evidences_a_prerequisite(saint_michel, stages, tq_saint_michel):
    from django.core.files.uploadedfile import SimpleUploadedFile

    proposal = make_proposal(saint_michel, stages[1])
    item = stages[1].prerequisites.first()
    services.proposal_save_draft(proposal=proposal, actor=SYSTEM, data={"evidence": {item.pk: ""}})
    services.document_upload(
        proposal=proposal, actor=tq_saint_michel, prerequisite_id=item.pk,
        upload=SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj\n", "application/pdf"))
    assert rules.evidence_field(item.pk) not in errors_of(proposal)


# --- Stage progression ------------------------------------------------------------------------


@pytest.mark.parametrize("number", [1, 2, 3])
def test_first_initiative_enters_at_any_stage(saint_michel, stages, number):
    proposal = make_proposal(saint_michel, stages[number])
    assert "stage" not in errors_of(proposal)


def test_next_stage_for_the_same_initiative_after_ratification(saint_michel, stages,
                                                                open_window):
    first = ratified(saint_michel, stages[1])
    hand_in_final_report(first)
    second = make_proposal(saint_michel, stages[2], initiative=first.initiative, title="2")
    assert "stage" not in errors_of(second)


def test_planning_to_intensification_is_refused_without_the_program_setting(
        saint_michel, stages, open_window):
    first = ratified(saint_michel, stages[1])
    hand_in_final_report(first)
    third = make_proposal(saint_michel, stages[3], initiative=first.initiative, title="3",
                          stage_jump_justification="Déjà déployée à la phase 1.")
    errors = errors_of(third)
    assert "ne permet pas de passer de la planification" in errors["stage"][0]


def test_planning_to_intensification_with_the_setting_asks_for_the_justification(
        saint_michel, stages, open_window, program):
    program.allow_planning_to_intensification = True
    program.save()
    first = ratified(saint_michel, stages[1])
    hand_in_final_report(first)
    third = make_proposal(saint_michel, stages[3], initiative=first.initiative, title="3")
    errors = errors_of(third)
    assert "stage" not in errors
    assert "justifiez-le" in errors[rules.JUMP][0]
    services.proposal_save_draft(proposal=third, actor=SYSTEM, data={
        "stage_jump_justification": "Initiative déployée à la phase 1, effets documentés."})
    assert rules.JUMP not in errors_of(third)
    assert "stage" not in errors_of(third)


def test_stage_2_to_stage_3_needs_no_justification(saint_michel, stages, open_window):
    second = ratified(saint_michel, stages[2])
    hand_in_final_report(second)
    third = make_proposal(saint_michel, stages[3], initiative=second.initiative, title="3")
    errors = errors_of(third)
    assert "stage" not in errors
    assert rules.JUMP not in errors


def test_repeating_a_ratified_stage_is_refused(saint_michel, stages, open_window):
    first = ratified(saint_michel, stages[1])
    again = make_proposal(saint_michel, stages[1], initiative=first.initiative, title="again")
    assert "stage" in errors_of(again)


def test_unratified_previous_stage_does_not_count(saint_michel, stages, open_window):
    """Without a ratified proposal the initiative is still the first: entry at any stage."""
    make_contact(saint_michel)
    first = make_proposal(saint_michel, stages[1])
    from proposals import workflow

    workflow.proposal_submit(proposal=first, actor=SYSTEM)
    second = make_proposal(saint_michel, stages[3], initiative=first.initiative, title="3")
    assert "stage" not in errors_of(second)


def test_new_initiative_at_stage_1_after_stage_1_only_is_refused(saint_michel, stages,
                                                                  open_window):
    ratified(saint_michel, stages[1])
    new = make_proposal(saint_michel, stages[1], title="nouvelle")
    assert "après l'étape 2 ou 3" in errors_of(new)["stage"][0]


@pytest.mark.parametrize("reached", [2, 3])
def test_new_initiative_at_stage_1_after_stage_2_or_3(saint_michel, stages, open_window,
                                                      reached):
    ratified(saint_michel, stages[reached])
    new = make_proposal(saint_michel, stages[1], title="nouvelle")
    assert "stage" not in errors_of(new)


def test_new_initiative_must_start_at_stage_1(saint_michel, stages, open_window):
    ratified(saint_michel, stages[2])
    new = make_proposal(saint_michel, stages[2], title="nouvelle")
    assert "commence à l'étape 1" in errors_of(new)["stage"][0]


def test_after_stage_3_the_initiative_has_no_next_stage(saint_michel, stages, open_window):
    third = ratified(saint_michel, stages[3])
    again = make_proposal(saint_michel, stages[3], initiative=third.initiative, title="4")
    assert "nouvelle initiative" in errors_of(again)["stage"][0]


def test_another_neighbourhoods_history_does_not_count(saint_michel, verdun, stages,
                                                       open_window):
    ratified(verdun, stages[1])
    proposal = make_proposal(saint_michel, stages[3])
    assert "stage" not in errors_of(proposal)


# --- The window: 23:59:59 and 00:00:00 Montreal time, across DST ------------------------------


@pytest.mark.parametrize("deadline", [
    datetime.date(2022, 2, 1),    # winter (EST, UTC-5)
    datetime.date(2022, 3, 13),   # the day clocks spring forward
    datetime.date(2022, 11, 6),   # the day clocks fall back
    datetime.date(2022, 7, 1),    # summer (EDT, UTC-4)
])
def test_window_open_at_235959_and_closed_at_midnight_montreal(deadline):
    last_second = datetime.datetime.combine(deadline, datetime.time(23, 59, 59),
                                            tzinfo=MONTREAL)
    midnight = datetime.datetime.combine(deadline + datetime.timedelta(days=1),
                                         datetime.time(0, 0, 0), tzinfo=MONTREAL)
    assert rules.window_is_open(deadline=deadline, now=last_second)
    assert rules.window_is_open(deadline=deadline, now=last_second.astimezone(UTC))
    assert not rules.window_is_open(deadline=deadline, now=midnight)
    assert not rules.window_is_open(deadline=deadline, now=midnight.astimezone(UTC))


def test_window_closing_instant_in_utc_follows_daylight_saving():
    # 2022-03-13: EDT from 02:00, so 23:59:59 is 03:59:59 UTC the next day.
    spring = rules.window_closes_at(datetime.date(2022, 3, 13)).astimezone(UTC)
    assert (spring.hour, spring.minute, spring.second) == (3, 59, 59)
    # 2022-11-06: EST from 02:00, so 23:59:59 is 04:59:59 UTC the next day.
    fall = rules.window_closes_at(datetime.date(2022, 11, 6)).astimezone(UTC)
    assert (fall.hour, fall.minute, fall.second) == (4, 59, 59)
    # A server clock in UTC at 04:30 on 2022-11-07 is still the deadline day in Montreal.
    assert rules.window_is_open(deadline=datetime.date(2022, 11, 6),
                                now=datetime.datetime(2022, 11, 7, 4, 30, tzinfo=UTC))


def test_window_not_yet_open_before_its_opening_day():
    assert not rules.window_is_open(
        deadline=datetime.date(2022, 2, 1), opens_on=datetime.date(2022, 1, 1),
        now=datetime.datetime(2021, 12, 31, 23, 59, 59, tzinfo=MONTREAL))


def test_submission_refused_when_no_window_accepts_the_stage(saint_michel, stages, program):
    """On 2021-10-15 only stage 1 was accepted (later deadlines aside: a window without an
    opening day takes proposals until its deadline)."""
    program.windows.exclude(deadline=datetime.date(2021, 10, 15)).delete()
    make_contact(saint_michel, datetime.date(2021, 10, 1))
    now = datetime.datetime(2021, 10, 15, 23, 59, 59, tzinfo=MONTREAL)
    one = make_proposal(saint_michel, stages[1], title="1")
    two = make_proposal(saint_michel, stages[2], title="2")
    assert "window" not in rules.submission_errors(one, now=now)
    assert "window" in rules.submission_errors(two, now=now)


def test_window_rule_at_the_edges_of_a_real_deadline(saint_michel, stages, program):
    make_contact(saint_michel, datetime.date(2022, 1, 1))
    proposal = make_proposal(saint_michel, stages[2])
    last = datetime.datetime(2022, 3, 29, 23, 59, 59, tzinfo=MONTREAL)
    assert "window" not in rules.submission_errors(proposal, now=last)
    # The next window (14 October 2022) is open from then on; with it removed, it is closed.
    program.windows.filter(deadline__gt=datetime.date(2022, 3, 29)).delete()
    after = datetime.datetime(2022, 3, 30, 0, 0, 0, tzinfo=MONTREAL)
    assert "window" in rules.submission_errors(proposal, now=after)


def test_an_extension_moves_the_neighbourhoods_deadline(saint_michel, verdun, stages, program,
                                                        coordination):
    window = program.windows.get(deadline=datetime.date(2021, 10, 15))
    program.windows.exclude(pk=window.pk).delete()
    services.window_extension_grant(window=window, neighbourhood=saint_michel,
                                    new_deadline=datetime.date(2021, 10, 22),
                                    reason="Inondation des locaux", actor=coordination)
    now = datetime.datetime(2021, 10, 20, 12, tzinfo=MONTREAL)
    assert rules.open_window_for(stage=stages[1], neighbourhood_id=saint_michel.pk,
                                 now=now) == window
    assert rules.open_window_for(stage=stages[1], neighbourhood_id=verdun.pk, now=now) is None
    end = datetime.datetime(2021, 10, 23, 0, 0, tzinfo=MONTREAL)
    assert rules.open_window_for(stage=stages[1], neighbourhood_id=saint_michel.pk,
                                 now=end) is None


# --- Pre-submission contact ------------------------------------------------------------------


def test_submission_requires_a_pre_submission_contact(saint_michel, stages, open_window):
    proposal = make_proposal(saint_michel, stages[1])
    assert "contact" in errors_of(proposal)
    Contact.objects.create(neighbourhood=saint_michel, date=datetime.date(2024, 1, 1),
                           kind=Contact.Kind.FOLLOW_UP, summary="Suivi")
    assert "contact" in errors_of(proposal)
    make_contact(saint_michel)
    assert "contact" not in errors_of(proposal)


def test_another_neighbourhoods_contact_does_not_count(saint_michel, verdun, stages,
                                                      open_window):
    make_contact(verdun)
    assert "contact" in errors_of(make_proposal(saint_michel, stages[1]))


def test_a_complete_proposal_in_an_open_window_has_no_error(draft):
    assert errors_of(draft) == {}


def test_every_failed_rule_is_listed_at_once(saint_michel, stages, program):
    program.windows.all().delete()
    proposal = make_proposal(saint_michel, stages[1], complete=False)
    errors = errors_of(proposal)
    assert {"window", "contact", "summary", "year_1", "evaluation"} <= set(errors)
    assert all(isinstance(m, str) and m for ms in errors.values() for m in ms)
