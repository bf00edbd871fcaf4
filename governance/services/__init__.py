"""Writes on governance, by topic. Each change checks permission, writes in one transaction
under a row lock, audits, and defers side effects (tasks, email) to the commit. The read
helpers the services share (seats, recusals, tallies, deadlines) are in `governance.selectors`.
"""

from .agendas import (
    agenda_item_add,
    agenda_items_add,
    attendance_set,
    meeting_create,
    recusals_record_automatic,
)
from .analyses import analysis_save
from .committees import (
    accept_committee_seat_invitation,
    committee_member_end,
    committee_member_seat,
    ratifying_committee,
)
from .letter_templates import (
    letter_template_preview,
    letter_template_reset,
    letter_template_save,
    letterhead_save,
    signatory_save,
)
from .letters import (
    amendment_letter_request,
    letter_acknowledge,
    letter_conditions_correct,
    letter_email_send,
    letter_issue,
    letter_send,
    letters_send,
    minutes_generate,
    minutes_request,
    minutes_upload,
    refusal_letter_request,
)
from .ratification import (
    ActResult,
    ratification_act_create,
    ratification_act_record,
    ratification_record,
    ratification_warnings,
    ratification_warnings_of,
    register_ratification_check,
    register_ratification_listener,
)
from .votes import item_close, recusal_declare, vote_cast, vote_reminder_send

__all__ = [
    "amendment_letter_request",
    "letter_template_preview",
    "letter_template_reset",
    "letter_template_save",
    "letterhead_save",
    "signatory_save",
    "accept_committee_seat_invitation",
    "agenda_item_add",
    "agenda_items_add",
    "analysis_save",
    "attendance_set",
    "committee_member_end",
    "committee_member_seat",
    "item_close",
    "letter_acknowledge",
    "letter_conditions_correct",
    "letter_email_send",
    "letter_issue",
    "letter_send",
    "letters_send",
    "meeting_create",
    "minutes_generate",
    "minutes_request",
    "minutes_upload",
    "ActResult",
    "ratification_act_create",
    "ratification_act_record",
    "ratification_record",
    "ratification_warnings",
    "ratification_warnings_of",
    "register_ratification_check",
    "ratifying_committee",
    "recusal_declare",
    "recusals_record_automatic",
    "refusal_letter_request",
    "register_ratification_listener",
    "vote_cast",
    "vote_reminder_send",
]
