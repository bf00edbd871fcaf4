"""Each file's eight-week ratification limit, kept on the file so the watch-lists sort by an
index (proposals.ratification_limit): set at submission, moved with its window's deadline and
its program's weeks, and not recomputed by a save that moves neither."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from proposals import workflow
from proposals.models import Proposal

D = datetime.date


def _limit(proposal) -> datetime.date | None:
    return Proposal.objects.values_list("ratification_due_on", flat=True).get(pk=proposal.pk)


def test_a_draft_has_no_limit_and_its_submission_sets_it(draft, tq_saint_michel, open_window):
    assert _limit(draft) is None
    workflow.proposal_submit(proposal=draft, actor=tq_saint_michel)
    weeks = draft.stage.program.ratification_weeks
    assert weeks == 8
    assert _limit(draft) == open_window.deadline + datetime.timedelta(weeks=weeks)
    draft.refresh_from_db()
    assert draft.ratification_due_on == open_window.deadline + datetime.timedelta(weeks=8)


def test_moving_a_window_s_deadline_moves_its_files_limits(draft, tq_saint_michel,
                                                           open_window):
    workflow.proposal_submit(proposal=draft, actor=tq_saint_michel)
    open_window.deadline = D(2031, 3, 1)
    open_window.save()
    assert _limit(draft) == D(2031, 4, 26)


def test_changing_the_program_s_weeks_moves_every_file_s_limit(draft, tq_saint_michel,
                                                               open_window):
    workflow.proposal_submit(proposal=draft, actor=tq_saint_michel)
    program = draft.stage.program
    program.ratification_weeks = 10
    program.save()
    assert _limit(draft) == open_window.deadline + datetime.timedelta(weeks=10)


def test_a_save_that_moves_neither_window_nor_stage_computes_nothing(draft, tq_saint_michel):
    workflow.proposal_submit(proposal=draft, actor=tq_saint_michel)
    proposal = Proposal.objects.get(pk=draft.pk)
    proposal.title = "Nouveau titre"
    with CaptureQueriesContext(connection) as context:
        proposal.save()
    assert not [q for q in context.captured_queries if "ratification_due_on" in q["sql"]
                and q["sql"].startswith("UPDATE") and "SELECT" in q["sql"]]
    assert _limit(proposal) is not None


def test_a_file_read_before_its_deadline_moved_keeps_the_new_limit_when_saved(
        draft, tq_saint_michel, open_window):
    workflow.proposal_submit(proposal=draft, actor=tq_saint_michel)
    stale = Proposal.objects.get(pk=draft.pk)  # read, say, by a page still open
    open_window.deadline = D(2031, 3, 1)
    open_window.save()
    assert _limit(draft) == D(2031, 4, 26)
    stale.title = "Nouveau titre"
    stale.save()
    assert _limit(draft) == D(2031, 4, 26)  # not the old limit written back
    assert Proposal.objects.get(pk=draft.pk).title == "Nouveau titre"
    listed = Proposal.objects.defer("summary").get(pk=draft.pk)  # as the list reads them
    listed.title = "Encore"
    with CaptureQueriesContext(connection) as context:
        listed.save()
    assert len([q for q in context.captured_queries if q["sql"].startswith("SELECT")]) == 0
    assert Proposal.objects.get(pk=draft.pk).title == "Encore"


def test_the_limit_s_index_holds_the_files_the_watch_lists_read():
    """The partial index's states are the workflow's (written out in the model's Meta)."""
    from proposals.models.files import AWAITING, AWAITING_OR_REFUSED
    from proposals.states import AWAITING_RATIFICATION

    assert set(AWAITING_OR_REFUSED) == {*AWAITING_RATIFICATION, Proposal.Status.NOT_RECOMMENDED}
    assert set(AWAITING) == set(AWAITING_RATIFICATION)  # the open files', the actionable ones'
