"""The proposal's table of transitions and the groups of states derived from it (never
retyped elsewhere: governance and reporting import them from here).

Recommending (or not) and ratifying have one road each: `governance.services.item_close`
(the committee's vote, with its recusals and quorum) and `governance.services.
ratification_record` (the ratifying body, the date, the allocation and the letter). Their
transitions ask for the agenda item or the ratification as proof.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pic.workflow import Machine, Transition

from .models import Proposal

S = Proposal.Status


def _closed_vote(result: str):
    def proof(proposal: Proposal, item) -> bool:
        return (item._meta.label_lower == "governance.agendaitem"
                and item.proposal_id == proposal.pk and item.result == result)
    return proof


def _ratification(proposal: Proposal, ratification) -> bool:
    return (ratification._meta.label_lower == "governance.ratification"
            and ratification.proposal_id == proposal.pk)


TRANSITIONS: dict[str, Transition] = {
    "submit": Transition((S.DRAFT,), S.SUBMITTED),
    "start_analysis": Transition((S.SUBMITTED, S.RESUBMITTED), S.IN_ANALYSIS),
    "request_changes": Transition((S.IN_ANALYSIS,), S.CHANGES_REQUESTED),
    "resubmit": Transition((S.CHANGES_REQUESTED,), S.RESUBMITTED),
    "recommend": Transition((S.IN_ANALYSIS, S.RESUBMITTED), S.RECOMMENDED,
                            only_via="agenda_item", proof=_closed_vote("recommended")),
    "not_recommend": Transition((S.IN_ANALYSIS, S.RESUBMITTED), S.NOT_RECOMMENDED,
                                only_via="agenda_item", proof=_closed_vote("not_recommended")),
    "ratify": Transition((S.RECOMMENDED,), S.RATIFIED,
                         only_via="ratification", proof=_ratification),
    "mark_letter_sent": Transition((S.RATIFIED,), S.LETTER_SENT),
    "withdraw": Transition((S.DRAFT, S.SUBMITTED, S.IN_ANALYSIS, S.CHANGES_REQUESTED,
                            S.RESUBMITTED), S.WITHDRAWN),
}

MACHINE = Machine(
    model=Proposal, transitions=TRANSITIONS, audit_prefix="proposal",
    subject=lambda p: _("la proposition « %(title)s »") % {"title": p.title},
    related=("stage", "neighbourhood"),
    roads={"recommend": gettext_lazy("la fermeture du vote par le comité"),
           "not_recommend": gettext_lazy("la fermeture du vote par le comité"),
           "ratify": gettext_lazy("l'enregistrement de l'entérinement")},
)

# States in which the neighbourhood may edit the proposal (a rule, not a consequence of the
# table: written here once).
EDITABLE_STATES = (S.DRAFT, S.CHANGES_REQUESTED)
# Ratified, and what follows (the letter sent): the neighbourhood sees the decision.
RATIFIED_STATES = MACHINE.states_reachable_after("ratify")
# A committee may decide these (the states "recommend" starts from).
DECIDABLE = MACHINE.sources_of("recommend")
# Submitted and not decided yet by a committee: analysed, put on an agenda.
UNDECIDED = MACHINE.states_after("submit", until=("recommend", "not_recommend", "withdraw"))
# Submitted and not ratified yet, whatever the committee said: the ratification watch-list.
UNRATIFIED = MACHINE.states_after("submit", until=("ratify", "withdraw"))
# Submitted and still on the road to a ratification: the decision deadline's reminders.
AWAITING_RATIFICATION = MACHINE.states_after(
    "submit", until=("ratify", "not_recommend", "withdraw"))


def allowed_transitions(status: str) -> list[str]:
    return MACHINE.allowed(status)
