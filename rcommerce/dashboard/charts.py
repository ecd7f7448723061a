"""Charts drawn on the server by pygal and put inline in the page as SVG, with a title, a legend
and a table of the same figures as their text alternative.

The dashboard's policy allows no script and no inline style, so pygal's own script, styles,
tooltip machinery and per-point descriptions are taken out of its SVG; the dashboard's
stylesheet styles the classes pygal puts on every element, and each point or bar keeps a
native tooltip (an SVG <title>). Every text is escaped by the XML serialiser.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree

import pygal
from markupsafe import Markup
from pygal.style import Style

from rcommerce.dashboard.numbers import Number

WIDTH, HEIGHT = 640, 300
MAX_X_LABELS = 8
_DROP = {"script", "style", "defs", "desc"}
_SCRIPT_CLASSES = {"reactive", "tooltip-trigger", "activate-serie"}
_GEOMETRY = {"d", "x", "y", "cx", "cy", "r", "width", "height", "transform", "points"}
_DECIMALS = re.compile(r"\d+\.\d{2,}")
_STYLE = Style(
    background="transparent",
    plot_background="transparent",
    font_family="system-ui, sans-serif",
    colors=("#0b7a75", "#f79009", "#7a5af8", "#d92d20"),
)


@dataclass(frozen=True)
class Chart:
    """A chart and its text alternative: ``rows`` are the x labels with each series' value
    already formatted, under ``headers``."""

    title: str
    svg: Markup | None  # None: nothing to draw in this period
    headers: list[str]
    rows: list[list[str]]


Format = Callable[[Number], str]
# Each series: its name, its values, and how its values are written (with their unit).
Series = Sequence[tuple[str, Sequence[float | None], Format]]


def _config(labels: Sequence[str], fmt: Format) -> dict[str, Any]:
    every = max(1, -(-len(labels) // MAX_X_LABELS))  # ceiling: at most MAX_X_LABELS shown
    return {
        "title": None,  # the figure's caption says it, outside the drawing
        "style": _STYLE,
        "width": WIDTH,
        "height": HEIGHT,
        "explicit_size": False,
        "js": [],
        "css": [],
        "no_prefix": True,
        "disable_xml_declaration": True,
        "legend_at_bottom": True,
        "truncate_legend": -1,
        "truncate_label": -1,
        "value_formatter": fmt,
        "x_labels_major_every": every,
        "show_minor_x_labels": every == 1,
        "include_x_axis": True,
        "max_scale": 6,  # at most six steps up the value axis: readable labels
        "show_x_guides": False,
        "margin": 12,
        "tooltip_fancy_mode": False,
    }


def _svg(chart: Any, title: str, names: Sequence[str]) -> Markup:
    root = chart.render_tree()
    for child in list(root):
        if child.tag == "title":
            root.remove(child)  # pygal's own ("Pygal" when untitled)
    heading = ElementTree.Element("title")
    heading.text = title
    root.insert(0, heading)
    root.attrib.pop("id", None)
    root.set("class", "pygal-chart chart")
    root.set("role", "img")
    root.set("aria-label", title)
    _tooltips(root, names)
    for parent in list(root.iter()):
        parent.attrib.pop("style", None)
        if "class" in parent.attrib:  # the hooks of pygal's script, which does not run here
            kept = [c for c in parent.get("class", "").split() if c not in _SCRIPT_CLASSES]
            parent.set("class", " ".join(kept))
        for name in _GEOMETRY.intersection(parent.attrib):
            parent.set(name, _DECIMALS.sub(_round, parent.get(name, "")))
        if parent.get("id", "").startswith("activate-serie"):
            parent.attrib.pop("id")  # pygal's ids repeat on a page with several charts
        for child in list(parent):
            if not isinstance(child.tag, str):  # pygal's comments
                parent.remove(child)
                continue
            tag = child.tag
            classes = child.get("class", "")
            nested_title = tag == "title" and parent is not root
            if tag in _DROP or "tooltip-overlay" in classes or "text-overlay" in classes:
                parent.remove(child)
            elif nested_title and "tip" not in classes:
                parent.remove(child)  # the axis labels' duplicates of their own text
    text = ElementTree.tostring(root, encoding="unicode", short_empty_elements=True)
    return Markup(text)  # noqa: S704 - ElementTree escapes every text and attribute


def _round(found: re.Match[str]) -> str:
    return f"{float(found.group()):.1f}"  # a tenth of a pixel is finer than any screen


def _tooltips(root: ElementTree.Element, names: Sequence[str]) -> None:
    """pygal describes each point for its script's tooltips; turn that into a native one."""
    for series in root.iter("g"):
        classes = series.get("class", "").split()
        if "series" not in classes:
            continue
        index = next((int(c[6:]) for c in classes if c.startswith("serie-")), 0)
        name = names[index] if index < len(names) else ""
        for point in series.iter("g"):
            descs = {d.get("class", ""): d.text or "" for d in point.findall("desc")}
            if "value" not in descs:
                continue
            tip = ElementTree.SubElement(point, "title", {"class": "tip"})
            label = descs.get("x_label", "")
            tip.text = (
                f"{label} · {name}: {descs['value']}" if label else f"{name}: {descs['value']}"
            )


def _table(labels: Sequence[str], series: Series, first: str) -> tuple[list[str], list[list[str]]]:
    headers = [first, *(name for name, _, _ in series)]
    rows = [
        [label, *(_cell(values[i], fmt) for _, values, fmt in series)]
        for i, label in enumerate(labels)
    ]
    return headers, rows


def _cell(value: float | None, fmt: Format) -> str:
    return "—" if value is None else fmt(value)


def _empty(series: Series) -> bool:
    return not any(v for _, values, _ in series for v in values if v is not None)


def lines(
    title: str,
    labels: Sequence[str],
    series: Series,
    *,
    axis: Format,
    period: str,
    y_range: tuple[float, float] | None = None,
) -> Chart:
    """A trend: one line per series over the periods. ``y_range`` fixes the axis (0 to 5 for
    ratings); ``axis`` writes the axis labels in the page's language."""
    headers, rows = _table(labels, series, period)
    if not labels or _empty(series):
        return Chart(title, None, headers, rows)
    config = _config(labels, axis)
    if y_range is not None:
        low, high = y_range
        config.update(range=y_range, y_labels=[low + step for step in range(int(high - low) + 1)])
    chart = pygal.Line(**config, dots_size=3, allow_interruptions=True)
    chart.x_labels = list(labels)
    for name, values, fmt in series:
        chart.add(name, list(values), formatter=fmt)
    return Chart(title, _svg(chart, title, [name for name, _, _ in series]), headers, rows)


def bars(
    title: str,
    labels: Sequence[str],
    series: Series,
    *,
    axis: Format,
    period: str,
    stacked: bool = False,
    slanted: bool = False,
) -> Chart:
    """Bars per label: side by side, or stacked (a mix such as sentiment per period);
    ``slanted`` labels for long names that would run into each other."""
    headers, rows = _table(labels, series, period)
    if not labels or _empty(series):
        return Chart(title, None, headers, rows)
    kind = pygal.StackedBar if stacked else pygal.Bar
    config = _config(labels, axis)
    if slanted:
        config["x_label_rotation"] = 20
    chart = kind(**config)
    chart.x_labels = list(labels)
    for name, values, fmt in series:
        chart.add(name, [v or 0 for v in values], formatter=fmt)
    return Chart(title, _svg(chart, title, [name for name, _, _ in series]), headers, rows)
