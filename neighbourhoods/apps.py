from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NeighbourhoodsConfig(AppConfig):
    name = "neighbourhoods"
    verbose_name = _("Quartiers")

    def ready(self) -> None:
        from pic.privacy import registry

        from . import (
            access,  # noqa: F401 - registers the rules and role facts (pic.access)
            privacy,
            selectors,
        )

        registry.register_collector("neighbourhoods", privacy.collect)
        registry.register_anonymiser("neighbourhoods", privacy.anonymise)
        registry.register_purge("neighbourhoods", privacy.purge)

        # Who reads a neighbourhood's notes (the rules of access.py), and its own notes.
        from pic.notes import registry as notes

        from .models import Neighbourhood

        notes.register_audience(scope=access.note_scope, readers=access.note_readers,
                                followers=access.note_followers,
                                people=lambda user: selectors.people_list(user=user))
        notes.register_file(Neighbourhood, neighbourhood_of=lambda n: n.pk)
