"""Admin: committees and seats are editable; votes, recusals, results and letters are read
only (their record is append-only and changes only through the services)."""

from django.contrib import admin

from .models import (
    AgendaItem,
    Committee,
    CommitteeMember,
    DecisionLetter,
    LetterSignatory,
    Meeting,
    ProgramGovernance,
    Ratification,
    Recusal,
    Vote,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Committee)
class CommitteeAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "quorum_rule"]


@admin.register(CommitteeMember)
class CommitteeMemberAdmin(admin.ModelAdmin):
    list_display = ["user", "committee", "organisation", "is_chair", "started_on", "ended_on"]
    list_filter = ["committee"]
    list_select_related = ["user", "committee", "organisation"]


@admin.register(ProgramGovernance)
class ProgramGovernanceAdmin(admin.ModelAdmin):
    list_display = ["program", "ratifying_committee"]


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["title", "committee", "held_on"]


@admin.register(AgendaItem)
class AgendaItemAdmin(ReadOnlyAdmin):
    list_display = ["meeting", "proposal", "status", "result", "votes_for", "votes_against"]
    list_select_related = ["meeting", "proposal__neighbourhood"]


@admin.register(Recusal)
class RecusalAdmin(ReadOnlyAdmin):
    list_display = ["item", "member", "reason", "created_at"]


@admin.register(Vote)
class VoteAdmin(ReadOnlyAdmin):
    list_display = ["item", "member", "updated_at"]


@admin.register(Ratification)
class RatificationAdmin(ReadOnlyAdmin):
    list_display = ["proposal", "committee", "ratified_on"]


@admin.register(DecisionLetter)
class DecisionLetterAdmin(ReadOnlyAdmin):
    list_display = ["proposal", "kind", "version", "sha256", "emailed_at"]


@admin.register(LetterSignatory)
class LetterSignatoryAdmin(admin.ModelAdmin):
    list_display = ("program", "name", "title")
