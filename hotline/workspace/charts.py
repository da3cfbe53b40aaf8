"""Small SVG charts drawn on the server: nothing is fetched from the internet to show them."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

COLOURS = ("#417690", "#79aec8", "#e9a23b", "#ba2121", "#5b8c5a")
BAR_HEIGHT = 18
#: Room for an outcome's label in words (up to about 60 characters).
LABEL_WIDTH = 380
CHART_WIDTH = 880


def horizontal_bars(rows: list[tuple[str, int]], *, title: str) -> SafeString:
    """One bar per row, longest first as given, with the count at the end."""
    height = max(len(rows), 1) * (BAR_HEIGHT + 6) + 30
    top = max((value for _, value in rows), default=0) or 1
    scale = (CHART_WIDTH - LABEL_WIDTH - 60) / top
    parts = [_open(title, height), _text(4, 16, title, weight="bold")]
    for index, (label, value) in enumerate(rows):
        y = 28 + index * (BAR_HEIGHT + 6)
        width = max(value * scale, 1)
        parts.append(_text(4, y + 13, label))
        parts.append(
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width:.1f}" height="{BAR_HEIGHT}" '
            f'fill="{COLOURS[0]}"><title>{escape(label)}: {value}</title></rect>'
        )
        parts.append(_text(LABEL_WIDTH + width + 6, y + 13, str(value)))
    if not rows:
        parts.append(_text(4, 44, "No data yet."))
    parts.append("</svg>")
    return mark_safe("".join(parts))


def stacked_columns(labels: list[str], series: dict[str, list[int]], *, title: str) -> SafeString:
    """One column per label, each series stacked, with a legend (for per-day counts)."""
    height, plot_top, plot_bottom = 260, 40, 220
    totals = [sum(values[i] for values in series.values()) for i in range(len(labels))]
    top = max(totals, default=0) or 1
    step = (CHART_WIDTH - 60) / max(len(labels), 1)
    parts = [
        _open(title, height),
        _text(4, 16, f"{title} (highest day: {max(totals, default=0)})", weight="bold"),
    ]
    for index, label in enumerate(labels):
        x = 40 + index * step
        y = float(plot_bottom)
        for colour, (name, values) in zip(COLOURS, series.items(), strict=False):
            value = values[index]
            if not value:
                continue
            bar = value / top * (plot_bottom - plot_top)
            y -= bar
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{step * 0.8:.1f}" height="{bar:.1f}" '
                f'fill="{colour}"><title>{escape(label)} {escape(name)}: {value}</title></rect>'
            )
        if index % 5 == 0:
            parts.append(_text(x, plot_bottom + 14, label, size=10))
    for index, (colour, name) in enumerate(zip(COLOURS, series, strict=False)):
        x = 40 + index * 110
        parts.append(f'<rect x="{x}" y="{height - 20}" width="12" height="12" fill="{colour}"/>')
        parts.append(_text(x + 16, height - 10, name, size=11))
    parts.append("</svg>")
    return mark_safe("".join(parts))


def _open(title: str, height: int) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(title)}" '
        f'width="{CHART_WIDTH}" height="{height}" viewBox="0 0 {CHART_WIDTH} {height}" '
        'font-family="sans-serif" font-size="12">'
    )


def _text(x: float, y: float, text: str, *, weight: str = "normal", size: int = 12) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-weight="{weight}" font-size="{size}" '
        f'fill="currentColor">{escape(text)}</text>'
    )
