"""Admin: read and correct follow-up data; state changes stay in the services (read-only
status fields), and import/export goes through the scoped pages, not the admin."""

from django.contrib import admin

from .models import (
    Allocation,
    AllocationYear,
    CheckIn,
    Disbursement,
    FinancialLine,
    Indicator,
    IndicatorValue,
    ProgramEnvelope,
    ReminderPreference,
    ReminderSent,
    Report,
    ReportingConfig,
)


@admin.register(ReportingConfig)
class ReportingConfigAdmin(admin.ModelAdmin):
    list_display = ["program", "annual_report_delay_days", "final_report_delay_days",
                    "checkin_months"]


@admin.register(ProgramEnvelope)
class ProgramEnvelopeAdmin(admin.ModelAdmin):
    list_display = ["program", "year", "amount"]
    list_filter = ["program"]


class AllocationYearInline(admin.TabularInline):
    model = AllocationYear
    extra = 0
    readonly_fields = ["year_number", "starts_on", "ends_on", "amount"]
    can_delete = False


@admin.register(Allocation)
class AllocationAdmin(admin.ModelAdmin):
    list_display = ["proposal", "neighbourhood", "stage", "starts_on", "ends_on", "status"]
    list_filter = ["status", "stage__number"]
    search_fields = ["proposal__title", "neighbourhood__name"]
    readonly_fields = ["proposal", "neighbourhood", "initiative", "stage", "ratified_on",
                       "status", "closed_on", "created_at"]
    inlines = [AllocationYearInline]


@admin.register(Disbursement)
class DisbursementAdmin(admin.ModelAdmin):
    list_display = ["allocation_year", "amount", "paid_on", "override_reason", "recorded_by"]
    readonly_fields = ["allocation_year", "amount", "paid_on", "override_reason", "recorded_by",
                       "recorded_at"]

    def has_add_permission(self, request):
        return False  # through the allocation page: the compliance rule applies


@admin.register(CheckIn)
class CheckInAdmin(admin.ModelAdmin):
    list_display = ["allocation_year", "due_on", "held_on", "recorded_by"]
    list_filter = ["held_on"]


class FinancialLineInline(admin.TabularInline):
    model = FinancialLine
    extra = 0


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "status", "due_on", "submitted_at"]
    list_filter = ["kind", "status"]
    readonly_fields = ["allocation", "allocation_year", "kind", "status", "submitted_at",
                       "accepted_at"]
    inlines = [FinancialLineInline]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "baseline", "target", "question"]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(admin.ModelAdmin):
    list_display = ["indicator", "report", "actual"]


@admin.register(ReminderSent)
class ReminderSentAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "due_on", "sent_on", "emailed_on"]
    list_filter = ["kind", "sent_on"]

    def has_change_permission(self, request, obj=None):
        return False


admin.site.register(ReminderPreference)
