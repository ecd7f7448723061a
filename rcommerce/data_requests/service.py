"""Every package's part of a person's data, gathered: each domain package that keeps personal
data has a ``personal_data`` module with

- ``person_data(*, session, settings, store, person) -> dict[str, Any]``: its sections of the
  export (``{"orders": [...]}``), and
- ``forget_person(*, session, settings, store, person, now) -> dict[str, int]``: it erases
  them by its own rules and answers how many rows of each section were the person's.

The modules are loaded like routes and tasks (``rcommerce.domains``), so no package here
imports a higher one. Both run in the caller's transaction: an erasure is all or nothing.
"""

from __future__ import annotations

import functools
from datetime import datetime
from types import ModuleType
from typing import Any

from sqlmodel import Session

from rcommerce import domains
from rcommerce.identity import Person
from rcommerce.settings import Settings
from rcommerce.stores.models import Store


@functools.cache
def parts() -> tuple[ModuleType, ...]:
    """The packages' ``personal_data`` modules that take part, in the domains' order (lower
    packages first); found once per process. A ``personal_data`` module without both
    functions is refused: its data would be left out of every request."""
    found = tuple(domains.load("personal_data"))
    for module in found:
        if not (hasattr(module, "person_data") and hasattr(module, "forget_person")):
            raise TypeError(f"{module.__name__} needs person_data and forget_person")
    return found


def _merge(into: dict[str, Any], part: ModuleType, sections: dict[str, Any]) -> None:
    for name, value in sections.items():
        if name in into:
            raise RuntimeError(f"{part.__name__} answers the section {name!r} another package has")
        into[name] = value


def export(*, session: Session, settings: Settings, store: Store, person: Person) -> dict[str, Any]:
    """One document: the person as asked for, then every package's sections."""
    document: dict[str, Any] = {"email": person.email, "phone": person.phone}
    for part in parts():
        _merge(
            document,
            part,
            part.person_data(session=session, settings=settings, store=store, person=person),
        )
    return document


def erase(
    *, session: Session, settings: Settings, store: Store, person: Person, now: datetime
) -> dict[str, int]:
    """Erase the person everywhere; how many rows of each section were theirs.

    Higher packages go first: reviews and questions find a phone's rows through the orders
    placed with it, which the orders' erasure then forgets.
    """
    found = parts()
    answers = {
        part.__name__: part.forget_person(
            session=session, settings=settings, store=store, person=person, now=now
        )
        for part in reversed(found)
    }
    counts: dict[str, Any] = {}
    for part in found:
        _merge(counts, part, answers[part.__name__])
    return counts
