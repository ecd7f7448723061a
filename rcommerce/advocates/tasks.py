"""Messages to advocates (welcome, magic link, the link to spend points on the shop's page),
in the store's language: by e-mail, or to an advocate known only by phone by Zalo ZNS then SMS;
the reward e-mail is the referral programme's (rcommerce.referrals.tasks)."""

from __future__ import annotations

from rcommerce.advocates import emails, service
from rcommerce.advocates.i18n import t
from rcommerce.advocates.models import Advocate
from rcommerce.jobs import JobContext, job
from rcommerce.phones import service as phones
from rcommerce.stores.models import Store


class PhoneNotSent(Exception):
    """No phone channel took the message, for reasons that may pass (timeout, 5xx, quota)."""


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


@job("advocates.phone", max_attempts=4)
def send_to_phone(
    ctx: JobContext,
    *,
    advocate_id: int,
    template: str,
    token: str | None = None,
) -> None:
    """The welcome (not sent to a phone that opted out; its SMS carries the opt-out link) or
    the sign-in link the advocate asked for, to the advocate's phone."""
    advocate = ctx.session.get(Advocate, advocate_id)
    if advocate is None or advocate.status == "erased" or advocate.phone is None:
        return
    if template != "magic" and advocate.emails_opted_out_at is not None:
        return  # they said no more programme messages; sign-in links they ask for still go
    store = ctx.session.get(Store, advocate.store_id)
    assert store is not None and store.id is not None
    settings = ctx.runtime.settings
    locale = advocate.locale or store.locale
    values = emails.values_for(settings, store, advocate)
    values["name"] = advocate.name or ("bạn" if locale == "vi" else "there")
    if template == "welcome":
        text, link = t(locale, "sms.welcome", **values), values["link"]
    elif template == "magic":
        assert token is not None
        link = service.magic_link(settings, store, token)
        text = t(locale, "sms.magic", **{**values, "link": link})
    else:
        raise ValueError(f"unknown advocate message {template!r}")
    outcome = phones.send_notice(
        ctx.session,
        settings,
        store_id=store.id,
        phone=advocate.phone,
        purpose="login" if template == "magic" else "welcome",
        text=text,
        link=link,
        locale=locale if locale in ("vi", "en") else "vi",
        name=advocate.name,
        tracking_id=f"adv-{ctx.job.id}"[:48],
        asked_for=template == "magic",
    )
    if outcome.sent is None and outcome.retryable:
        raise PhoneNotSent(f"advocate {advocate_id}: no phone channel took the {template}")
