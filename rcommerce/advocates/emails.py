"""What every programme e-mail to an advocate shares: the values its texts may name (store,
name, link, code, portal, unsubscribe) and the sending, with a one-click unsubscribe."""

from __future__ import annotations

from rcommerce import signing
from rcommerce.advocates import service
from rcommerce.advocates.models import Advocate
from rcommerce.jobs import JobContext
from rcommerce.mail import Mail
from rcommerce.settings import Settings
from rcommerce.stores.models import Store


def values_for(settings: Settings, store: Store, advocate: Advocate) -> dict[str, str]:
    portal = service.portal_url(settings, store)
    unsubscribe_token = signing.sign(settings, "unsubscribe", {"a": advocate.id, "s": store.id})
    return {
        "store": store.name,
        "name": advocate.name or (advocate.email or "").split("@")[0],
        "link": service.referral_url(settings, advocate),
        "code": advocate.referral_code,
        "portal": portal,
        "unsubscribe": f"{portal}unsubscribe/{unsubscribe_token}",
    }


def send(ctx: JobContext, advocate: Advocate, *, subject: str, body: str, unsubscribe: str) -> None:
    """Send one e-mail of the job ``ctx`` (its id makes the Message-ID, so a retried job
    sends the same message); nothing for an advocate known only by phone."""
    if advocate.email is None:
        return
    ctx.runtime.mailer.send(
        Mail(
            to=advocate.email,
            subject=subject,
            text=body,
            headers={"List-Unsubscribe": f"<{unsubscribe}>"},
            message_id=f"<{ctx.job.id}@rcommerce>",
        )
    )
