"""django-import-export resources: exports (always given a queryset already scoped to the
user) and the staff-only imports of organisations, neighbourhoods and people."""

from django.core.exceptions import ValidationError
from django.db.models import DecimalField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from import_export.instance_loaders import CachedInstanceLoader

from neighbourhoods.models import Neighbourhood, Organisation
from pic.models import User
from proposals.models import Proposal

from .models import Allocation, Disbursement, Report

ZERO = Value(0, output_field=DecimalField(max_digits=14, decimal_places=2))


def total_of(related, field: str):
    """The sum of `field` over a row's `related` rows (a reverse foreign key, e.g.
    Report.lines) as a correlated subquery, not a join and GROUP BY: an export's rows come
    out as the database reads them, the first ones at once, whatever their number."""
    model, key = related.rel.related_model, related.rel.field.name
    return Coalesce(Subquery(model.objects.filter(**{key: OuterRef("pk")}).order_by()
                             .values(key).annotate(total=Sum(field)).values("total")), ZERO)


# --- Exports ---------------------------------------------------------------------------------


class ProposalExportResource(resources.ModelResource):
    neighbourhood = fields.Field("neighbourhood__name", "quartier")
    stage = fields.Field("stage__number", "étape", widget=widgets.IntegerWidget())
    window = fields.Field("window__name", "période de dépôt")
    requested_total = fields.Field("requested_total", "montant demandé total",
                                   widget=widgets.DecimalWidget())

    class Meta:
        model = Proposal
        fields = ("id", "neighbourhood", "title", "stage", "status", "window", "duration_years",
                  "requested_total", "capacity_building_amount", "submitted_at")
        export_order = fields

    @staticmethod
    def scoped(queryset):
        return queryset.select_related("neighbourhood", "stage", "window").annotate(
            requested_total=total_of(Proposal.years, "amount"))


class AllocationExportResource(resources.ModelResource):
    neighbourhood = fields.Field("neighbourhood__name", "quartier")
    proposal = fields.Field("proposal__title", "proposition")
    stage = fields.Field("stage__number", "étape", widget=widgets.IntegerWidget())
    total = fields.Field("total", "montant annuel total", widget=widgets.DecimalWidget())

    class Meta:
        model = Allocation
        fields = ("id", "neighbourhood", "proposal", "stage", "ratified_on", "starts_on",
                  "ends_on", "total", "capacity_building_amount", "status")
        export_order = fields

    @staticmethod
    def scoped(queryset):
        return queryset.select_related("neighbourhood", "proposal", "stage").annotate(
            total=total_of(Allocation.years, "amount"))


class DisbursementExportResource(resources.ModelResource):
    allocation = fields.Field("allocation_year__allocation_id", "allocation",
                              widget=widgets.IntegerWidget())
    neighbourhood = fields.Field("allocation_year__allocation__neighbourhood__name", "quartier")
    year = fields.Field("allocation_year__year_number", "année", widget=widgets.IntegerWidget())

    class Meta:
        model = Disbursement
        fields = ("id", "allocation", "neighbourhood", "year", "amount", "paid_on",
                  "override_reason")
        export_order = fields

    @staticmethod
    def scoped(queryset):
        return queryset.select_related("allocation_year__allocation__neighbourhood")


class ReportFinancialExportResource(resources.ModelResource):
    neighbourhood = fields.Field("allocation__neighbourhood__name", "quartier")
    proposal = fields.Field("allocation__proposal__title", "proposition")
    year = fields.Field("allocation_year__year_number", "année", widget=widgets.IntegerWidget())
    budget_total = fields.Field("budget_total", "budget total", widget=widgets.DecimalWidget())
    actual_total = fields.Field("actual_total", "réel total", widget=widgets.DecimalWidget())
    variance = fields.Field("variance", "écart (réel − budget)", widget=widgets.DecimalWidget())

    class Meta:
        model = Report
        fields = ("id", "neighbourhood", "proposal", "kind", "year", "status", "due_on",
                  "budget_total", "actual_total", "variance")
        export_order = fields

    @staticmethod
    def scoped(queryset):
        return (queryset.select_related("allocation__neighbourhood", "allocation__proposal",
                                        "allocation_year")
                .annotate(budget_total=total_of(Report.lines, "budget"),
                          actual_total=total_of(Report.lines, "actual")))

    def dehydrate_variance(self, report):
        return report.actual_total - report.budget_total


# --- Imports (staff only, through reporting.exports.import_run) ------------------------------

# Governance facts change only through their own service, with its audit event (an
# organisation's withdrawal from investment decisions: neighbourhoods.services.
# organisation_recusal_set; roles, committee seats, staff flags: memberships, invitations and
# the committee pages). No import sets them: a file with one of these columns filled in is
# refused row by row.
GOVERNED_COLUMNS = frozenset({
    "recused_from_investment_decisions", "is_staff", "is_superuser", "is_active", "password",
    "groups", "user_permissions", "last_login", "date_joined", "role", "roles", "staff_role",
    "staff_roles", "membership", "memberships", "committee", "committees", "committee_member",
    "seat", "seats", "is_chair", "chair", "advisor", "advisors",
})


IMPORT_BATCH = 1000  # rows written per bulk_create / bulk_update
PROGRESS_EVERY = 500  # rows between two progress reports


class GovernedImportResource(resources.ModelResource):
    """What every import shares: governed columns refused, instances kept in the results so
    that import_run can write each row's changes to the audit log, and bulk writing: the
    existing records of the whole file read in one query (CachedInstanceLoader), new ones
    created and changed ones updated IMPORT_BATCH at a time, no uniqueness query per row for
    the import key (a key that comes twice in the file is refused on its second row)."""

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self._keys_seen = {}

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        [key_field] = self.get_import_id_fields()
        attribute = self.fields[key_field].attribute
        key = getattr(instance, attribute, None)
        if key in (None, ""):
            return
        seen = self._keys_seen.setdefault(key, kwargs.get("row_number"))
        if seen != kwargs.get("row_number"):
            raise ValidationError({attribute: _("« %(key)s » figure déjà à la ligne %(row)s du "
                                                "fichier.") % {"key": key, "row": seen}})

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        super().validate_instance(instance, import_validation_errors, validate_unique=False)
        [key_field] = self.get_import_id_fields()
        # The other unique fields (a neighbourhood's name), the key left out.
        instance.validate_unique(exclude=[self.fields[key_field].attribute])

    def after_import_row(self, row, row_result, **kwargs):
        super().after_import_row(row, row_result, **kwargs)
        progress, number = kwargs.get("progress"), kwargs.get("row_number") or 0
        if progress is not None and number % PROGRESS_EVERY == 0:
            progress(number)

    def before_import_row(self, row, **kwargs):
        filled = sorted(str(column) for column, value in row.items()
                        if str(column).strip().lower() in GOVERNED_COLUMNS
                        and value not in (None, ""))
        if filled:
            raise ValidationError({column: _(
                "La colonne « %(column)s » ne s'importe pas : ce fait de gouvernance ne change "
                "que par son propre écran, qui le consigne au journal.") % {"column": column}
                for column in filled})

    def changes(self, original, instance) -> dict:
        """{field: {"before": …, "after": …}} for the imported fields that differ."""
        changed = {}
        for field in self.get_import_fields():
            if not field.attribute:
                continue
            before = field.get_value(original) if original is not None else None
            after = field.get_value(instance)
            if before != after:
                changed[field.attribute] = {"before": _json(before), "after": _json(after)}
        return changed


def _json(value):
    return value if value is None or isinstance(value, bool | int | float | str) else str(value)


class OrganisationImportResource(GovernedImportResource):
    class Meta:
        model = Organisation
        import_id_fields = ("name",)
        fields = ("name", "short_name", "category", "website")
        clean_model_instances = True
        skip_unchanged = True
        store_instance = True
        use_bulk = True
        batch_size = IMPORT_BATCH
        instance_loader_class = CachedInstanceLoader
        skip_html_diff = True


class NeighbourhoodImportResource(GovernedImportResource):
    class Meta:
        model = Neighbourhood
        import_id_fields = ("slug",)
        fields = ("slug", "name", "table_name", "borough", "language")
        clean_model_instances = True
        skip_unchanged = True
        store_instance = True
        use_bulk = True
        batch_size = IMPORT_BATCH
        instance_loader_class = CachedInstanceLoader
        skip_html_diff = True


class PersonImportResource(GovernedImportResource):
    """People only (email, name, language): roles are given through invitations."""

    class Meta:
        model = User
        import_id_fields = ("email",)
        fields = ("email", "full_name", "language")
        clean_model_instances = True
        skip_unchanged = True
        store_instance = True
        use_bulk = True
        batch_size = IMPORT_BATCH
        instance_loader_class = CachedInstanceLoader
        skip_html_diff = True

    def before_import(self, dataset, **kwargs):
        # Addresses compared in lower case, before the existing people are looked up.
        if "email" in (dataset.headers or []):
            column = dataset.headers.index("email")
            for index, row in enumerate(dataset):
                if row[column]:
                    values = list(row)
                    values[column] = str(values[column]).strip().lower()
                    dataset[index] = values
        super().before_import(dataset, **kwargs)

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        if not instance.password:
            instance.set_unusable_password()


EXPORTS = {
    "proposals": ProposalExportResource,
    "allocations": AllocationExportResource,
    "disbursements": DisbursementExportResource,
    "financial-summaries": ReportFinancialExportResource,
}
IMPORTS = {
    "organisations": OrganisationImportResource,
    "neighbourhoods": NeighbourhoodImportResource,
    "people": PersonImportResource,
}
