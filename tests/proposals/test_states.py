"""Groups of the proposal's states come from its table of transitions, never retyped."""

from governance import selectors as governance_selectors
from proposals import rules, states
from proposals.models import Proposal
from reporting.services import allocations, reminders

S = Proposal.Status


def test_the_groups_follow_the_table():
    assert states.RATIFIED_STATES == (S.RATIFIED, S.LETTER_SENT)
    assert states.DECIDABLE == states.TRANSITIONS["recommend"].sources
    assert set(states.UNDECIDED) == {S.SUBMITTED, S.IN_ANALYSIS, S.CHANGES_REQUESTED,
                                     S.RESUBMITTED}
    assert set(states.AWAITING_RATIFICATION) == {*states.UNDECIDED, S.RECOMMENDED}
    assert set(states.UNRATIFIED) == {*states.UNDECIDED, S.RECOMMENDED, S.NOT_RECOMMENDED}


def test_a_new_state_after_ratification_would_count_as_ratified():
    machine = states.MACHINE
    assert machine.states_reachable_after("ratify") == states.RATIFIED_STATES
    assert machine.states_after("submit", until=("ratify", "withdraw")) == states.UNRATIFIED


def test_every_app_reads_the_same_groups():
    assert rules.RATIFIED_STATES is states.RATIFIED_STATES
    assert governance_selectors.PUBLISHED is states.RATIFIED_STATES
    assert governance_selectors.DECIDABLE is states.DECIDABLE
    assert governance_selectors.UNDECIDED is states.UNDECIDED
    assert allocations.RATIFIED_STATES is states.RATIFIED_STATES
    # the watch-list, the dashboard and the reminders read it through awaiting_decision
    assert governance_selectors.AWAITING_RATIFICATION is states.AWAITING_RATIFICATION
    assert reminders.awaiting_decision is governance_selectors.awaiting_decision
