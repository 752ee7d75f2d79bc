"""Charts drawn on the server as inline SVG: they show without JavaScript, print as they are, and
each comes with a data table on the page for screen readers and for anyone who wants the numbers.

Plain Python on purpose: two chart shapes do not justify a plotting library, and the markup stays
small enough to embed in the page and in its printout."""

from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Colour and dash together, so the lines stay distinct in black-and-white print and for
# readers who do not tell the colours apart.
SERIES_STYLES = [
    {"colour": "#0b4f6c", "dash": "", "marker": "circle"},
    {"colour": "#d1495b", "dash": "6 3", "marker": "square"},
    {"colour": "#edae49", "dash": "2 3", "marker": "diamond"},
]


@dataclass(frozen=True)
class Line:
    label: str
    values: list[float | None]


def _percent(value: float) -> str:
    return f"{number_format(value * 100, 0)} %"


def _svg_open(chart_id: str, width: int, height: int, title: str, description: str) -> list[str]:
    # The drawing is left to right in every language (time runs that way on the axis); the page
    # around it still follows the reader's direction.
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{escape(chart_id)}" '
        f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMidYMid meet" direction="ltr" '
        f'role="img" aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" '
        f'font-family="system-ui, sans-serif" font-size="12">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-desc">{escape(description)}</desc>',
    ]


def _text(x: float, y: float, content: str, *, anchor: str = "start", fill: str = "#222", extra: str = "") -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{fill}"{extra}>{escape(content)}</text>'


def _marker(kind: str, x: float, y: float, colour: str) -> str:
    if kind == "square":
        return f'<rect x="{x - 3.5:.1f}" y="{y - 3.5:.1f}" width="7" height="7" fill="{colour}"/>'
    if kind == "diamond":
        points = f"{x:.1f},{y - 4.5:.1f} {x + 4.5:.1f},{y:.1f} {x:.1f},{y + 4.5:.1f} {x - 4.5:.1f},{y:.1f}"
        return f'<polygon points="{points}" fill="{colour}"/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"/>'


def share_lines_svg(
    *, chart_id: str, title: str, description: str, x_labels: list[str], lines: list[Line]
) -> SafeString:
    """Lines of shares (0 to 1) over time, one point per published bulletin; a missing or
    suppressed value breaks its line rather than being drawn as zero."""
    width, height = 720, 300
    left, right, top, bottom = 64, 48, 40, 48
    plot_w, plot_h = width - left - right, height - top - bottom
    count = len(x_labels)

    def x_at(i: int) -> float:
        return left + (plot_w / 2 if count == 1 else plot_w * i / (count - 1))

    def y_at(value: float) -> float:
        return top + plot_h * (1 - max(0.0, min(1.0, value)))

    parts = _svg_open(chart_id, width, height, title, description)
    for tick in (0, 0.25, 0.5, 0.75, 1):
        y = y_at(tick)
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ccc" stroke-width="1"/>'
        )
        parts.append(_text(left - 6, y + 4, _percent(tick), anchor="end", fill="#333"))
    # Thin the axis labels so that a long series stays legible.
    step = max(1, -(-count // 6))
    for i, label in enumerate(x_labels):
        if i % step == 0 or i == count - 1:
            parts.append(_text(x_at(i), height - bottom + 18, label, anchor="middle", fill="#333"))
    for index, line in enumerate(lines):
        style = SERIES_STYLES[index % len(SERIES_STYLES)]
        segments: list[list[tuple[float, float]]] = [[]]
        for i, value in enumerate(line.values):
            if value is None:
                segments.append([])
                continue
            segments[-1].append((x_at(i), y_at(value)))
        dash = f' stroke-dasharray="{style["dash"]}"' if style["dash"] else ""
        for segment in segments:
            if len(segment) > 1:
                points = " ".join(f"{x:.1f},{y:.1f}" for x, y in segment)
                parts.append(
                    f'<polyline points="{points}" fill="none" stroke="{style["colour"]}" stroke-width="2.5"{dash}/>'
                )
            for x, y in segment:
                parts.append(_marker(style["marker"], x, y, style["colour"]))
        legend_x = left + index * 180
        stroke = f'stroke="{style["colour"]}" stroke-width="2.5"{dash}'
        parts.append(f'<line x1="{legend_x}" x2="{legend_x + 24}" y1="16" y2="16" {stroke}/>')
        parts.append(_marker(style["marker"], legend_x + 12, 16, style["colour"]))
        parts.append(_text(legend_x + 30, 20, line.label))
    parts.append("</svg>")
    return mark_safe("".join(parts))


@dataclass(frozen=True)
class Bar:
    """One row of shares; `note` (e.g. the confidentiality mark) replaces a bar that cannot be drawn."""

    label: str
    parts: list[float | None]
    note: str = ""


def stacked_bars_svg(
    *, chart_id: str, title: str, description: str, part_labels: list[str], bars: list[Bar]
) -> SafeString:
    """Horizontal bars of shares, one per row (a region), the parts stacked from 0 to 100 %; a
    row that cannot be drawn (suppressed, no respondent) shows its note instead of a bar."""
    row_h, label_w, width = 26, 210, 720
    top, bottom, right = 40, 28, 24
    plot_w = width - label_w - right
    height = top + bottom + row_h * max(1, len(bars))
    parts = _svg_open(chart_id, width, height, title, description)
    for index, label in enumerate(part_labels):
        style = SERIES_STYLES[index % len(SERIES_STYLES)]
        legend_x = label_w + index * 180
        parts.append(f'<rect x="{legend_x}" y="8" width="14" height="14" fill="{style["colour"]}"/>')
        parts.append(_text(legend_x + 20, 20, label))
    for tick in (0, 0.5, 1):
        x = label_w + plot_w * tick
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top - 4}" y2="{height - bottom}" stroke="#ccc"/>')
        parts.append(_text(x, height - bottom + 16, _percent(tick), anchor="middle", fill="#333"))
    for row, bar in enumerate(bars):
        y = top + row * row_h
        parts.append(_text(label_w - 8, y + row_h / 2 + 4, bar.label, anchor="end"))
        if bar.note:
            parts.append(_text(label_w + 6, y + row_h / 2 + 4, bar.note, fill="#555", extra=' font-style="italic"'))
            continue
        x = float(label_w)
        for index, value in enumerate(bar.parts):
            if not value:
                continue
            style = SERIES_STYLES[index % len(SERIES_STYLES)]
            w = plot_w * max(0.0, min(1.0, value))
            parts.append(
                f'<rect x="{x:.1f}" y="{y + 4}" width="{w:.1f}" height="{row_h - 8}" fill="{style["colour"]}">'
                f"<title>{escape(bar.label)} – {escape(part_labels[index])} : {escape(_percent(value))}</title></rect>"
            )
            x += w
    parts.append("</svg>")
    return mark_safe("".join(parts))
