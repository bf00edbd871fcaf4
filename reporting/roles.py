"""Who is this person in the program: kept as a name; the one role lookup (cached on the user
for the request, its facts registered by each app's access.py) is pic.access.roles_of."""

from pic.access import Roles, roles_of

__all__ = ["Roles", "roles_of"]
