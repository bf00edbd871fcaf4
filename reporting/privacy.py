"""Law 25, reporting's part: check-ins recorded, report documents uploaded, reminder
preferences and reminders given; preferences and reminders deleted when a person is
anonymised (reports and allocations stay)."""

from django.utils.translation import gettext_lazy as _

from pic.privacy.registry import Section
from pic.privacy.services import value

from .models import CheckIn, ReminderPreference, ReminderSent, ReportDocument


def collect(user) -> list[Section]:
    preference = ReminderPreference.objects.filter(user=user).first()
    return [
        Section("checkins", _("Bilans de mi-année consignés"), [
            {"allocation": str(c.allocation_year.allocation), "held_on": value(c.held_on),
             "participants": c.participants, "summary": c.summary,
             "follow_ups": c.follow_ups, "recorded_at": value(c.recorded_at)}
            for c in CheckIn.objects.filter(recorded_by=user)
            .select_related("allocation_year__allocation__proposal").order_by("pk")]),
        Section("report_documents", _("Documents versés aux rapports"), [
            {"file_name": d.original_name, "report": str(d.report), "size": d.size,
             "content_type": d.content_type, "uploaded_at": value(d.uploaded_at)}
            for d in ReportDocument.objects.filter(uploaded_by=user).select_related("report")
            .order_by("uploaded_at", "pk")]),
        Section("notification_preferences", _("Préférences de rappel"), [] if preference is None
                else [{f.name: getattr(preference, f.name)
                       for f in ReminderPreference._meta.fields
                       if f.get_internal_type() == "BooleanField"}]),
        Section("reminders", _("Rappels reçus"), [
            {"kind": r.kind, "due_on": value(r.due_on), "sent_on": value(r.sent_on),
             "emailed_on": value(r.emailed_on)}
            for r in ReminderSent.objects.filter(user=user).order_by("sent_on", "pk")]),
    ]


def anonymise(user) -> dict[str, int]:
    return {"preferences_deleted": ReminderPreference.objects.filter(user=user).delete()[0]
            + ReminderSent.objects.filter(user=user).delete()[0]}
