"""In-process domain events: a lower package publishes a fact, higher packages subscribe.

A package publishes what happened (an order was recorded, a review was decided) without
knowing who cares; each subscriber runs synchronously, in the publisher's transaction, so its
writes commit or roll back with the fact itself, and a subscriber that raises undoes the whole
unit of work. Subscribers live in each domain's ``subscribers`` module, loaded at start-up
(``rcommerce.domains.load_all``). Event classes are plain dataclasses, defined by the package
that publishes them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any, TypeVar

E = TypeVar("E")
Handler = Callable[[Any], None]

_HANDLERS: defaultdict[type, list[Handler]] = defaultdict(list)


def subscriber(*kinds: type) -> Callable[[Callable[[E], None]], Callable[[E], None]]:
    """Register ``fn(event)`` for each of ``kinds``; registering the same function twice (a
    module imported again) keeps one subscription."""

    def register(fn: Callable[[E], None]) -> Callable[[E], None]:
        for kind in kinds:
            handlers = _HANDLERS[kind]
            key = (fn.__module__, fn.__qualname__)
            handlers[:] = [h for h in handlers if (h.__module__, h.__qualname__) != key]
            handlers.append(fn)
        return fn

    return register


def publish(event: object) -> None:
    """Run every subscriber of ``type(event)`` in registration order (the domains' order)."""
    for handler in _HANDLERS.get(type(event), ()):
        handler(event)


def subscribers_of(kind: type) -> list[Handler]:
    return list(_HANDLERS.get(kind, ()))


def unsubscribe(kind: type, fn: Handler) -> None:
    """Remove ``fn`` from the subscribers of ``kind`` (tests, plug-ins that are switched off)."""
    _HANDLERS[kind] = [h for h in _HANDLERS.get(kind, []) if h is not fn]
