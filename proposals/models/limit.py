"""A file's stored ratification limit on the model (proposals/ratification_limit.py computes it,
in the database): where it was computed from, and saves that never write it back."""

from django.db import models

STORED_LIMIT = "ratification_due_on"


class KeepsRatificationLimit(models.Model):
    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        """The limit is the database's to write (ratification_limits_refresh): a full save of a
        file read before its window's deadline or its program's weeks moved would otherwise
        write the old limit back. Like Django's save of a deferred instance, the UPDATE names
        the loaded fields only."""
        if (not self._state.adding and kwargs.get("update_fields") is None
                and not kwargs.get("force_insert")):
            skipped = {STORED_LIMIT, *self.get_deferred_fields()}
            kwargs["update_fields"] = [
                field.name for field in self._meta.concrete_fields
                if not field.primary_key and field.attname not in skipped]
        super().save(*args, **kwargs)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # where its limit was computed from (ratification_limit._proposal_saved)
        instance._limit_placed = (instance.__dict__.get("window_id"),
                                  instance.__dict__.get("stage_id"))
        return instance
