"""Read-mostly admin: changes to files and states go through the app's services."""

from django.contrib import admin

from .models import (
    Contact,
    Initiative,
    LetterOfIntent,
    PrerequisiteItem,
    Program,
    Proposal,
    ProposalDocument,
    ProposalVersion,
    Stage,
    Window,
    WindowExtension,
)


class PrerequisiteInline(admin.TabularInline):
    model = PrerequisiteItem
    extra = 0


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["name", "starts_on", "ends_on"]


@admin.register(Stage)
class StageAdmin(admin.ModelAdmin):
    list_display = ["program", "number", "name", "min_yearly_amount", "max_yearly_amount",
                    "capacity_building_amount"]
    inlines = [PrerequisiteInline]


@admin.register(Window)
class WindowAdmin(admin.ModelAdmin):
    list_display = ["name", "deadline"]


@admin.register(WindowExtension)
class WindowExtensionAdmin(admin.ModelAdmin):
    list_display = ["window", "neighbourhood", "new_deadline", "granted_by"]
    readonly_fields = ["granted_by", "granted_at"]

    def has_add_permission(self, request):
        return False  # granted in the app, through the service (audited)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyAdmin):
    list_display = ["title", "neighbourhood", "stage", "status", "window", "updated_at"]
    list_filter = ["status", "stage__number", "window"]
    search_fields = ["title", "neighbourhood__name"]


@admin.register(Initiative)
class InitiativeAdmin(ReadOnlyAdmin):
    list_display = ["title", "neighbourhood", "status"]


@admin.register(LetterOfIntent)
class LetterOfIntentAdmin(ReadOnlyAdmin):
    list_display = ["neighbourhood", "target_stage", "submitted_at", "acknowledged_at"]


@admin.register(Contact)
class ContactAdmin(ReadOnlyAdmin):
    list_display = ["neighbourhood", "kind", "date", "advisor"]


@admin.register(ProposalDocument)
class ProposalDocumentAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "proposal", "size", "uploaded_at"]


@admin.register(ProposalVersion)
class ProposalVersionAdmin(ReadOnlyAdmin):
    list_display = ["proposal", "number", "created_at", "receipt_sent_at"]
