"""Ordering testimonials with up and down buttons (forms, since the dashboard runs no script)."""

from __future__ import annotations

from sqlmodel import Session
from starlette.requests import Request

from rcommerce.dashboard.auth import Who
from rcommerce.dashboard.pages import manager_action
from rcommerce.reviews import testimonials


@manager_action
def move_testimonial(request: Request, session: Session, who: Who, form: dict[str, str]) -> str:
    testimonial_id = int(request.path_params["testimonial_id"])
    testimonials.move_testimonial(
        session=session,
        store=who.store,
        testimonial_id=testimonial_id,
        direction=form.get("direction", ""),
    )
    return f"/dashboard/testimonials?notice=moved#testimonial-{testimonial_id}"
