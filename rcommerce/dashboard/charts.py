"""Charts drawn on the server as inline SVG: no script runs in the manager's browser, the
page's Content-Security-Policy stays strict, and the figures print and save with the page.

Colours come from classes styled by the dashboard's stylesheet; every text is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 16, 36


def _fmt(value: float) -> str:
    if abs(value) >= 1_000_000:
        return f"{value / 1_000_000:.1f}M"
    if abs(value) >= 10_000:
        return f"{value / 1000:.0f}k"
    if value == int(value):
        return str(int(value))
    return f"{value:.2f}"


def _frame(title: str, body: list[str], legend: Sequence[tuple[str, str]]) -> Markup:
    items = "".join(
        f'<g transform="translate({LEFT + i * 170},{HEIGHT - 8})">'
        f'<rect class="{cls}" width="10" height="10" y="-9"/>'
        f'<text x="14" class="legend">{escape(label)}</text></g>'
        for i, (label, cls) in enumerate(legend)
    )
    return Markup(  # noqa: S704 - every piece of text in it went through escape()
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(title)}</title>{''.join(body)}{items}</svg>"
    )


def _axis(top: float, labels: Sequence[str]) -> tuple[list[str], float, float]:
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    parts = []
    for i in range(5):
        value = top * i / 4
        y = TOP + plot_h - plot_h * i / 4
        parts.append(
            f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>'
            f'<text class="tick" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{_fmt(value)}</text>'
        )
    n = len(labels)
    step = max(1, (n + 7) // 8)
    for i, label in enumerate(labels):
        if i % step:
            continue
        x = LEFT + (plot_w * (i + 0.5) / n if n else 0)
        parts.append(
            f'<text class="tick" x="{x:.1f}" y="{HEIGHT - BOTTOM + 14}" text-anchor="middle">'
            f"{escape(label)}</text>"
        )
    return parts, plot_w, plot_h


def _top(values: Sequence[float]) -> float:
    peak = max([v for v in values if v is not None] or [0])
    if peak <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(peak))) - 1)
    return float(((int(peak) // magnitude) + 1) * magnitude)


def lines(
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    empty: str,
) -> Markup:
    """A trend: one line per series over the periods."""
    if not labels:
        return _frame(
            title,
            [
                f'<text class="empty" x="{WIDTH / 2}" y="{HEIGHT / 2}" text-anchor="middle">{escape(empty)}</text>'
            ],
            [],
        )
    top = _top([v for _, values in series for v in values if v is not None])
    parts, plot_w, plot_h = _axis(top, labels)
    n = len(labels)
    for index, (_, values) in enumerate(series):
        points = []
        for i, value in enumerate(values):
            if value is None:
                continue
            x = LEFT + plot_w * (i + 0.5) / n
            y = TOP + plot_h - plot_h * value / top
            points.append(f"{x:.1f},{y:.1f}")
        if len(points) == 1:
            cx, cy = points[0].split(",")
            parts.append(f'<circle class="s{index} dot" cx="{cx}" cy="{cy}" r="3"/>')
        elif points:
            parts.append(f'<polyline class="s{index} line" points="{" ".join(points)}"/>')
    return _frame(title, parts, [(name, f"s{i} swatch") for i, (name, _) in enumerate(series)])


def bars(
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    empty: str,
    stacked: bool = False,
) -> Markup:
    """Bars per label: side by side, or stacked (a mix such as sentiment per period)."""
    if not labels or not any(v for _, values in series for v in values):
        return _frame(
            title,
            [
                f'<text class="empty" x="{WIDTH / 2}" y="{HEIGHT / 2}" text-anchor="middle">{escape(empty)}</text>'
            ],
            [],
        )
    if stacked:
        top = _top([sum(values[i] for _, values in series) for i in range(len(labels))])
    else:
        top = _top([v for _, values in series for v in values])
    parts, plot_w, plot_h = _axis(top, labels)
    n = len(labels)
    slot = plot_w / n
    width = slot * 0.7 / (1 if stacked else len(series))
    for i in range(n):
        base = TOP + plot_h
        for index, (name, values) in enumerate(series):
            value = values[i]
            height = plot_h * value / top
            if stacked:
                x = LEFT + slot * i + slot * 0.15
                y = base - height
                base = y
            else:
                x = LEFT + slot * i + slot * 0.15 + width * index
                y = TOP + plot_h - height
            parts.append(
                f'<rect class="s{index}" x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" '
                f'height="{height:.1f}"><title>{escape(labels[i])} · {escape(name)}: '
                f"{_fmt(value)}</title></rect>"
            )
    return _frame(title, parts, [(name, f"s{i} swatch") for i, (name, _) in enumerate(series)])
