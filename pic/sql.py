"""Small SQL expressions the ORM lacks, written for both databases the project runs on
(PostgreSQL in production, SQLite for the quick tests)."""

from django.db.models import Count, DateField, Func, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce


class AddDays(Func):
    """`date + days` as a date (days: an integer expression), e.g. a deadline computed in
    the database so it can be filtered and sorted there."""

    arity = 2
    output_field = DateField()

    def as_postgresql(self, compiler, connection, **extra_context):
        # date + integer is a date in PostgreSQL.
        return self.as_sql(compiler, connection, template="(%(expressions)s)",
                           arg_joiner=" + ", **extra_context)

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection,
                           template="date(%(expressions)s || ' days')",
                           arg_joiner=", '+' || ", **extra_context)


def count_of(related):
    """The number of a row's `related` rows (a reverse foreign key, e.g. Meeting.items) as a
    correlated subquery, not a join and GROUP BY: a list counts for the rows of its page
    only, and its paginator counts the rows themselves."""
    model, key = related.rel.related_model, related.rel.field.name
    return Coalesce(Subquery(model.objects.filter(**{key: OuterRef("pk")}).order_by()
                             .values(key).annotate(n=Count("pk")).values("n"),
                             output_field=IntegerField()), 0)
