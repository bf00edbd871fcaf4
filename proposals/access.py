"""The rules of the proposals' actions (pic.access for the vocabulary): who the person is to
the neighbourhood's file. Whether the proposal's state allows the action is workflow.py's."""

from neighbourhoods.access import (
    COORDINATION_ONLY,
    FILE_ONLY,
    FOLLOWERS_ONLY,
    MEMBERS_ONLY,
    advisor_of,
    coordination,
    follower,
    member,
    member_or_follower,
)
from pic import access

# The table de quartier writes its own file. Every write needs membership: a read grant on
# one initiative never gives one.
access.register_all(
    ["proposal.create", "proposal.edit", "proposal.submit", "proposal.resubmit",
     "proposal.withdraw", "initiative.create", "letter_of_intent.submit"],
    member, MEMBERS_ONLY)

# The neighbourhood's advisor and coordination staff follow it.
access.register_all(
    ["proposal.start_analysis", "proposal.request_changes", "letter_of_intent.acknowledge"],
    follower, FOLLOWERS_ONLY)

# Either side records an exchange, and sees the whole file (not only what a grant opens).
access.register_all(["contact.record", "proposal.view_file", "neighbourhood_plan.record"],
                    member_or_follower, FILE_ONLY)

# Decisions: the committee's vote and the ratifying body's act (the system calls them), and
# the coordination team's follow-through; the program's set-up; one-person read grants.
access.register_all(
    ["proposal.recommend", "proposal.not_recommend", "proposal.ratify",
     "proposal.mark_letter_sent", "proposal.amend", "program.edit", "window.extend",
     "initiative.grant_read"],
    coordination, COORDINATION_ONLY)


# Names other modules call: they ask the same facts (a person, never the system).
def is_member_of(user, neighbourhood_id: int) -> bool:
    return member(access.roles_of(user), neighbourhood_id)


def is_advisor_of(user, neighbourhood_id: int) -> bool:
    return advisor_of(access.roles_of(user), neighbourhood_id)
