"""E-mails to advocates (welcome, reward earned, magic link), in the store's language."""

from __future__ import annotations

from decimal import Decimal

from rcommerce import signing
from rcommerce.advocates import service
from rcommerce.advocates.i18n import t
from rcommerce.advocates.models import Advocate
from rcommerce.jobs import JobContext, job
from rcommerce.mail import Mail
from rcommerce.stores.models import Store
from rcommerce.templating import format_money


@job("advocates.email", max_attempts=6)
def send_email(
    ctx: JobContext,
    *,
    advocate_id: int,
    template: str,
    token: str | None = None,
    reward_id: int | None = None,
) -> None:
    advocate = ctx.session.get(Advocate, advocate_id)
    if advocate is None or advocate.status == "erased":
        return
    if template != "magic" and advocate.emails_opted_out_at is not None:
        return  # they said no more programme e-mails; sign-in links they ask for still go
    store = ctx.session.get(Store, advocate.store_id)
    assert store is not None
    settings = ctx.runtime.settings
    locale = advocate.locale or store.locale
    unsubscribe_token = signing.sign(settings, "unsubscribe", {"a": advocate.id, "s": store.id})
    values = {
        "store": store.name,
        "name": advocate.name or advocate.email.split("@")[0],
        "link": service.referral_url(settings, advocate),
        "code": advocate.referral_code,
        "portal": service.portal_url(settings, store),
        "unsubscribe": f"{service.portal_url(settings, store)}unsubscribe/{unsubscribe_token}",
    }
    if template == "welcome":
        subject, body = t(locale, "welcome.subject", **values), t(locale, "welcome.body", **values)
    elif template == "magic":
        assert token is not None
        values["link"] = service.magic_link(settings, store, token)
        subject, body = t(locale, "magic.subject", **values), t(locale, "magic.body", **values)
    elif template == "reward":
        from rcommerce.referrals import service as referrals
        from rcommerce.referrals.models import Reward

        reward = ctx.session.get(Reward, reward_id)
        if reward is None or reward.status not in ("issued", "redeemed"):
            return
        values["reward"] = describe_reward(reward.kind, reward.value, store.currency, locale)
        values["coupon"] = (
            t(locale, "reward.coupon", code=reward.coupon_code) if reward.coupon_code else ""
        )
        values["balance"] = format_money(
            referrals.balance(ctx.session, advocate_id), store.currency
        )
        subject, body = t(locale, "reward.subject", **values), t(locale, "reward.body", **values)
    else:
        raise ValueError(f"unknown advocate e-mail {template!r}")
    ctx.runtime.mailer.send(
        Mail(
            to=advocate.email,
            subject=subject,
            text=body,
            headers={"List-Unsubscribe": f"<{values['unsubscribe']}>"},
            message_id=f"<{ctx.job.id}@rcommerce>",
        )
    )


def describe_reward(kind: str, value: Decimal, currency: str, locale: str | None) -> str:
    if kind == "coupon_percent" or kind == "points":
        shown = f"{value.normalize():f}"
    else:
        shown = format_money(value, currency)
    return t(locale, f"kind.{kind}", value=shown)
