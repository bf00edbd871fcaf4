"""Telling people of amendment events: one function per event (`notify_<event>`), each an
email through the outbox (reporting.tasks.send_amendment_email), so the way people are told
can change in one place."""

from neighbourhoods.models import StaffRole
from neighbourhoods.selectors import people_of
from pic import outbox

from ..models import Amendment


def notice_key(amendment: Amendment, event: str) -> str:
    """Once per amendment, event and cycle (its version): the outbox key of its email task,
    and (with each address) of each person's email."""
    cycle = amendment.version.number if amendment.version_id else 0
    return f"amendment:{amendment.pk}:{event}:{cycle}"


def _schedule(amendment: Amendment, event: str) -> None:
    from ..tasks import send_amendment_email

    outbox.schedule(send_amendment_email, amendment.pk, event, key=notice_key(amendment, event))


def notify_submitted(amendment: Amendment) -> None:
    """To the table and its advisor: the amendment is in, the advisor reviews it."""
    _schedule(amendment, "submitted")


def notify_reviewed(amendment: Amendment) -> None:
    """To coordination: an amendment waits for its decision."""
    _schedule(amendment, "reviewed")


def notify_changes_requested(amendment: Amendment) -> None:
    _schedule(amendment, "changes_requested")


def notify_accepted(amendment: Amendment) -> None:
    """To the table: the email now, and the letter of acceptance « à envoyer » for
    coordination to read and send (governance's decision letters)."""
    from governance.services import amendment_letter_request
    from pic.access import SYSTEM

    _schedule(amendment, "accepted")
    amendment_letter_request(proposal=amendment.allocation.proposal, number=amendment.number,
                             actor=SYSTEM)


def notify_referred(amendment: Amendment) -> None:
    _schedule(amendment, "referred")


def notify_refused(amendment: Amendment) -> None:
    """To the table and its advisor: the committee refused it, with its reasons."""
    _schedule(amendment, "refused")


def amendment_recipients(amendment: Amendment, event: str) -> list[str]:
    """Who hears of each event: coordination when a decision waits for it, else the table and
    its advisor."""
    if event == "reviewed":
        return sorted(set(StaffRole.objects.active().filter(
            role=StaffRole.Role.COORDINATION, user__is_active=True)
            .values_list("user__email", flat=True)))
    return sorted(set(people_of(amendment.neighbourhood_id, members=True, advisors=True)
                      .values_list("email", flat=True)))
