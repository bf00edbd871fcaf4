"""What a ratification will decide, read before it is recorded: each proposal's decided
amounts (the analysis's, else the requested ones), the allocation's start, and the warnings
shown before ratifying (past the program's end, no envelope), for one proposal or the many of
a deliberation in a constant number of queries."""

import datetime
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from governance.decided import decided_amounts, decided_amounts_of  # noqa: F401 (re-exported)
from pic.formatting import format_date
from proposals.models import Program, Proposal

from ..dates import first_of_next_month, year_bounds
from ..models import ProgramEnvelope


def allocation_start(ratified_on: datetime.date) -> datetime.date:
    """An allocation starts on the first day of the month after its ratification."""
    return first_of_next_month(ratified_on)


def allocation_warnings(*, proposal: Proposal, ratified_on: datetime.date) -> list[str]:
    return allocation_warnings_of(proposals=[proposal], ratified_on=ratified_on)[proposal.pk]


def allocation_warnings_of(*, proposals: list[Proposal], ratified_on: datetime.date
                           ) -> dict[int, list[str]]:
    """What coordination should know before ratifying each proposal: the years the allocation
    would run past the program's end, or without an envelope. Warnings, never a refusal. A
    constant number of queries for a deliberation's many proposals."""
    decided = decided_amounts_of(proposals)
    envelopes: dict[int, set[int]] = {p.stage.program_id: set() for p in proposals}
    for program_id, year in (ProgramEnvelope.objects.filter(program_id__in=envelopes)
                             .values_list("program_id", "year")):
        envelopes[program_id].add(year)
    return {p.pk: _warnings(p.stage.program, decided[p.pk][0], ratified_on,
                            envelopes[p.stage.program_id]) for p in proposals}


def _warnings(program: Program, amounts: list[Decimal], ratified_on: datetime.date,
              with_envelope: set[int]) -> list[str]:
    if not amounts:
        return []
    start = allocation_start(ratified_on)
    bounds = [year_bounds(start, n) for n in range(1, len(amounts) + 1)]
    warnings = []
    if bounds[-1][1] > program.ends_on:
        past = [first for first, _last in bounds if first > program.ends_on]
        warnings.append(
            _("L'allocation irait du %(start)s au %(end)s, au-delà de la fin du programme "
              "(%(program_end)s)%(years)s.")
            % {"start": format_date(start), "end": format_date(bounds[-1][1]),
               "program_end": format_date(program.ends_on),
               "years": (ngettext(" : %(n)s année commence après la fin du programme",
                                   " : %(n)s années commencent après la fin du programme",
                                   len(past))
                         % {"n": len(past)}) if past else ""})
    missing = sorted({first.year for first, _last in bounds} - with_envelope)
    if missing:
        warnings.append(_("Aucune enveloppe n'est fixée pour %(years)s.")
                        % {"years": ", ".join(str(y) for y in missing)})
    return warnings
