"""Background work of stores: the e-mail that tells a manager their login is being guessed."""

from __future__ import annotations

from rcommerce.jobs import JobContext, job
from rcommerce.mail import Mail
from rcommerce.stores.models import Manager, Store
from rcommerce.stores.throttle import BURST, BURST_WINDOW

_ALERT = {
    "vi": (
        "Nhiều lần đăng nhập sai vào tài khoản quản lý {store}",
        "Chào {name},\n\nTrong {minutes} phút qua đã có ít nhất {burst} lần đăng nhập sai "
        "vào tài khoản quản lý {email} của {store}.\n\nNếu không phải bạn, có người đang đoán "
        "mật khẩu của bạn. Bạn vẫn đăng nhập được như thường; hãy đổi sang một mật khẩu dài "
        "và riêng cho tài khoản này.\n\n{url}\n",
    ),
    "en": (
        "Failed sign-ins to your {store} manager account",
        "Hello {name},\n\nIn the last {minutes} minutes there were at least {burst} failed "
        "sign-ins to the manager account {email} of {store}.\n\nIf that was not you, someone is "
        "guessing your password. You can still sign in as usual; choose a long password used "
        "nowhere else.\n\n{url}\n",
    ),
}


@job("stores.login_alert", max_attempts=6)
def send_login_alert(ctx: JobContext, *, manager_id: int) -> None:
    manager = ctx.session.get(Manager, manager_id)
    if manager is None:
        return
    store = ctx.session.get(Store, manager.store_id)
    assert store is not None
    locale = manager.locale or store.locale
    subject, body = _ALERT["vi" if locale == "vi" else "en"]
    values = {
        "store": store.name,
        "name": manager.name or manager.email,
        "email": manager.email,
        "minutes": BURST_WINDOW // 60,
        "burst": BURST,
        "url": f"{ctx.runtime.settings.base_url}/dashboard/login",
    }
    ctx.runtime.mailer.send(
        Mail(
            to=manager.email,
            subject=subject.format(**values),
            text=body.format(**values),
            message_id=f"<login-alert-{ctx.job.id}@rcommerce>",
        )
    )
