"""@mentions in a note: `@prenom.nom` (the part of the email before its @, or the whole email
when two readers share it) or `@Prénom Nom` (a full name). Matching is case-insensitive; an @
inside a word (an email address in the text) is not a mention."""

import re
from collections.abc import Iterable

from pic.models import User

AT = re.compile(r"(?:^|(?<=[\s(\[,;:]))@(?=\S)")
HANDLE = re.compile(r"[\w.+-]+(?:@[\w-]+(?:\.[\w-]+)+)?")


def handle(user: User, taken: dict[str, int] | None = None) -> str:
    local = user.email.split("@")[0].lower()
    if taken is not None and taken.get(local, 0) > 1:
        return user.email.lower()
    return local


def handles(people: Iterable[User]) -> dict[User, str]:
    people = list(people)
    counts: dict[str, int] = {}
    for person in people:
        local = person.email.split("@")[0].lower()
        counts[local] = counts.get(local, 0) + 1
    return {person: handle(person, counts) for person in people}


def _names(person: User) -> list[str]:
    return [n for n in {person.full_name.strip().lower(), person.email.lower(),
                        person.email.split("@")[0].lower()} if n]


def find(text: str, people: Iterable[User]) -> tuple[list[User], list[str]]:
    """(the people mentioned among `people`, the mentions that name none of them)."""
    people = list(people)
    by_name = sorted(((name, person) for person in people for name in _names(person)),
                     key=lambda pair: -len(pair[0]))
    found: dict[int, User] = {}
    unknown: list[str] = []
    for match in AT.finditer(text):
        rest = text[match.end():]
        lowered = rest.lower()
        for name, person in by_name:
            end = len(name)
            if lowered.startswith(name) and (end == len(rest) or not (
                    rest[end].isalnum() or rest[end] in "_-" or
                    (rest[end] in ".@" and end + 1 < len(rest) and rest[end + 1].isalnum()))):
                found.setdefault(person.pk, person)
                break
        else:
            token = HANDLE.match(rest)
            if token:
                unknown.append(token.group(0).rstrip("."))
    return list(found.values()), unknown
