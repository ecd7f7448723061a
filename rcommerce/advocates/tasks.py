"""E-mails to advocates (welcome, magic link, the link to spend points on the shop's page), in
the store's language; the reward e-mail is
the referral programme's (rcommerce.referrals.tasks)."""

from __future__ import annotations

from rcommerce.advocates import emails, service
from rcommerce.advocates.i18n import t
from rcommerce.advocates.models import Advocate
from rcommerce.jobs import JobContext, job
from rcommerce.stores.models import Store


@job("advocates.email", max_attempts=6)
def send_email(
    ctx: JobContext,
    *,
    advocate_id: int,
    template: str,
    token: str | None = None,
    link: str | None = None,
) -> None:
    advocate = ctx.session.get(Advocate, advocate_id)
    if advocate is None or advocate.status == "erased":
        return
    if template not in ("magic", "points") and advocate.emails_opted_out_at is not None:
        return  # they said no more programme e-mails; sign-in links they ask for still go
    store = ctx.session.get(Store, advocate.store_id)
    assert store is not None
    settings = ctx.runtime.settings
    locale = advocate.locale or store.locale
    values = emails.values_for(settings, store, advocate)
    if template == "welcome":
        subject, body = t(locale, "welcome.subject", **values), t(locale, "welcome.body", **values)
    elif template == "magic":
        assert token is not None
        values["link"] = service.magic_link(settings, store, token)
        subject, body = t(locale, "magic.subject", **values), t(locale, "magic.body", **values)
    elif template == "points":  # the shop page's link to spend points (its token inside)
        assert link is not None
        values["link"] = link
        subject, body = t(locale, "points.subject", **values), t(locale, "points.body", **values)
    else:
        raise ValueError(f"unknown advocate e-mail {template!r}")
    emails.send(ctx, advocate, subject=subject, body=body, unsubscribe=values["unsubscribe"])
