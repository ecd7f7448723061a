"""The manager dashboard's pages under /dashboard/ (server-rendered; pages, not API, so they are
plain routes kept out of /openapi.json).

Every page checks the session; every POST checks the session's CSRF token and is refused with
403 without it. Pages send a strict Content-Security-Policy: no script at all, styles from
our own stylesheet, charts as inline SVG.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from rcommerce.dashboard.advocates import (
    advocate_page,
    advocate_status,
    advocates_page,
    campaigns_page,
    conversion_action,
    conversions_page,
    save_campaign,
)
from rcommerce.dashboard.catalogue import (
    add_item,
    catalogue_page,
    save_points_settings,
    toggle_item,
)
from rcommerce.dashboard.connectors import connectors_page, save_connector
from rcommerce.dashboard.incentives import incentives_page, save_incentive
from rcommerce.dashboard.login import (
    change_password,
    login,
    login_form,
    logout,
    password_page,
    set_locale,
)
from rcommerce.dashboard.overview import (
    keys_page,
    overview,
    rotate_key,
    save_settings,
    settings_page,
)
from rcommerce.dashboard.pages import STATIC
from rcommerce.dashboard.questions import question_action, questions_page
from rcommerce.dashboard.report import report_csv, report_page
from rcommerce.dashboard.reviews import (
    review_action,
    review_photo,
    review_video,
    reviews_page,
    save_review_settings,
    testimonial_action,
    testimonials_page,
)
from rcommerce.dashboard.segments import save_thresholds, segment_page, segments_page
from rcommerce.dashboard.testimonials import move_testimonial


async def dashboard_root_redirect(request: Request) -> Response:
    return RedirectResponse("/dashboard/", status_code=308)


routes: list[BaseRoute] = [
    Route("/dashboard", dashboard_root_redirect),
    Route("/dashboard/", overview, name="dashboard"),
    Route("/dashboard/login", login_form, methods=["GET"], name="dashboard_login"),
    Route("/dashboard/login", login, methods=["POST"]),
    Route("/dashboard/logout", logout, methods=["POST"], name="dashboard_logout"),
    Route("/dashboard/locale", set_locale, methods=["POST"]),
    Route("/dashboard/password", password_page, methods=["GET"], name="dashboard_password"),
    Route("/dashboard/password", change_password, methods=["POST"]),
    Route("/dashboard/settings", settings_page, methods=["GET"], name="dashboard_settings"),
    Route("/dashboard/settings", save_settings, methods=["POST"]),
    Route("/dashboard/keys", keys_page, methods=["GET"], name="dashboard_keys"),
    Route("/dashboard/connectors", connectors_page, name="dashboard_connectors"),
    Route("/dashboard/connectors/{platform:str}", save_connector, methods=["POST"]),
    Route("/dashboard/keys/rotate", rotate_key, methods=["POST"]),
    Route("/dashboard/reports", report_page, name="dashboard_report"),
    Route("/dashboard/reports.csv", report_csv, name="dashboard_report_csv"),
    Route("/dashboard/segments", segments_page, name="dashboard_segments"),
    Route("/dashboard/segments/settings", save_thresholds, methods=["POST"]),
    Route("/dashboard/segments/{segment:str}", segment_page, name="dashboard_segment"),
    Route("/dashboard/reviews", reviews_page, name="dashboard_reviews"),
    Route("/dashboard/reviews/photos/{photo_id:str}.jpg", review_photo, name="dashboard_photo"),
    Route("/dashboard/reviews/videos/{video_id:str}", review_video, name="dashboard_video"),
    Route("/dashboard/reviews/settings", save_review_settings, methods=["POST"]),
    Route("/dashboard/reviews/{review_id:int}/{action:str}", review_action, methods=["POST"]),
    Route("/dashboard/incentives", incentives_page, methods=["GET"], name="dashboard_incentives"),
    Route("/dashboard/incentives", save_incentive, methods=["POST"]),
    Route("/dashboard/questions", questions_page, name="dashboard_questions"),
    Route("/dashboard/questions/{question_id:int}/{action:str}", question_action, methods=["POST"]),
    Route("/dashboard/testimonials", testimonials_page, name="dashboard_testimonials"),
    Route("/dashboard/testimonials/{testimonial_id:int}", testimonial_action, methods=["POST"]),
    Route("/dashboard/testimonials/{testimonial_id:int}/move", move_testimonial, methods=["POST"]),
    Route("/dashboard/advocates", advocates_page, name="dashboard_advocates"),
    Route("/dashboard/advocates/{advocate_id:int}", advocate_page, name="dashboard_advocate"),
    Route("/dashboard/advocates/{advocate_id:int}/status", advocate_status, methods=["POST"]),
    Route("/dashboard/conversions", conversions_page, name="dashboard_conversions"),
    Route("/dashboard/conversions/{conversion_id:int}", conversion_action, methods=["POST"]),
    Route("/dashboard/campaigns", campaigns_page, methods=["GET"], name="dashboard_campaigns"),
    Route("/dashboard/campaigns", save_campaign, methods=["POST"]),
    Route("/dashboard/campaigns/{campaign_id:int}", save_campaign, methods=["POST"]),
    Route("/dashboard/catalogue", catalogue_page, methods=["GET"], name="dashboard_catalogue"),
    Route("/dashboard/catalogue", add_item, methods=["POST"]),
    Route("/dashboard/catalogue/{item_id:int}", toggle_item, methods=["POST"]),
    Route("/dashboard/catalogue/settings", save_points_settings, methods=["POST"]),
    Mount("/dashboard/static", StaticFiles(directory=STATIC), name="dashboard_static"),
]
