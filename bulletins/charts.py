"""Charts drawn on the server as inline SVG: they show without JavaScript, print as they are, and
each comes with a data table on the page for screen readers and for anyone who wants the numbers.

Plain Python on purpose: two chart shapes do not justify a plotting library, and the markup stays
small enough to embed in the page and in its printout."""

import re
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from amrc.lib.labelled import labelled
from bulletins.templatetags.bulletin_tags import with_percent_sign

# Colour and dash together, so the lines stay distinct in black-and-white print and for
# readers who do not tell the colours apart.
SERIES_STYLES = [
    {"colour": "#0b4f6c", "dash": "", "marker": "circle"},
    {"colour": "#d1495b", "dash": "6 3", "marker": "square"},
    {"colour": "#edae49", "dash": "2 3", "marker": "diamond"},
]

# Directional marks and embeddings: a date formatted with right-to-left marks between its parts
# is cut into pieces that the bidirectional algorithm reorders ("30/03/2020" drawn "2020/03/30").
BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class Layout:
    """Two drawings of each chart: the wide one for screens from 768 px and print, the compact one
    for phones, narrower so that its labels are drawn at least 12 px high on a 360 px screen."""

    width: int
    font_size: int
    compact: bool


WIDE = Layout(width=720, font_size=13, compact=False)
COMPACT = Layout(width=360, font_size=13, compact=True)


@dataclass(frozen=True)
class Line:
    label: str
    values: list[float | None]


def _percent(value: float) -> str:
    return with_percent_sign(number_format(value * 100, 0))


def _svg_open(chart_id: str, width: int, height: int, title: str, description: str, layout: Layout) -> list[str]:
    # The drawing is left to right in every language (time runs that way on the axis); the page
    # around it still follows the reader's direction.
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" '
        f'id="{escape(chart_id)}" viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMidYMid meet" '
        f'direction="ltr" role="img" aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" '
        f'font-family="system-ui, sans-serif" font-size="{layout.font_size}">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-desc">{escape(description)}</desc>',
    ]


def _text(x: float, y: float, content: str, *, anchor: str = "start", fill: str = "#222", extra: str = "") -> str:
    # Each label is isolated: a date or a percentage keeps its order beside an Arabic region name.
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{fill}" unicode-bidi="isolate"{extra}>'
        f"{escape(BIDI_CONTROLS.sub('', content))}</text>"
    )


def _marker(kind: str, x: float, y: float, colour: str) -> str:
    if kind == "square":
        return f'<rect x="{x - 3.5:.1f}" y="{y - 3.5:.1f}" width="7" height="7" fill="{colour}"/>'
    if kind == "diamond":
        points = f"{x:.1f},{y - 4.5:.1f} {x + 4.5:.1f},{y:.1f} {x:.1f},{y + 4.5:.1f} {x - 4.5:.1f},{y:.1f}"
        return f'<polygon points="{points}" fill="{colour}"/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"/>'


def share_lines_svg(
    *, chart_id: str, title: str, description: str, x_labels: list[str], lines: list[Line], layout: Layout = WIDE
) -> SafeString:
    """Lines of shares (0 to 1) over time, one point per published bulletin; a missing or
    suppressed value breaks its line rather than being drawn as zero."""
    width = layout.width
    line_h = layout.font_size + 7
    # The compact drawing stacks its legend, one line per series, above the plot.
    legend_h = line_h * len(lines) if layout.compact else line_h
    left, right, top, bottom = (48, 16, legend_h + 20, 40) if layout.compact else (64, 48, 40, 48)
    height = top + bottom + (200 if layout.compact else 212)
    plot_w, plot_h = width - left - right, height - top - bottom
    count = len(x_labels)

    def x_at(i: int) -> float:
        return left + (plot_w / 2 if count == 1 else plot_w * i / (count - 1))

    def y_at(value: float) -> float:
        return top + plot_h * (1 - max(0.0, min(1.0, value)))

    parts = _svg_open(chart_id, width, height, title, description, layout)
    for tick in (0, 0.25, 0.5, 0.75, 1):
        y = y_at(tick)
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ccc" stroke-width="1"/>'
        )
        parts.append(_text(left - 6, y + 4, _percent(tick), anchor="end", fill="#333"))
    # Thin the axis labels so that a long series stays legible; the last period is labelled too
    # when it leaves room for a date (about 80 px).
    step = max(1, -(-count // (3 if layout.compact else 6)))
    shown = list(range(0, count, step))
    if count > 1 and shown[-1] != count - 1 and (count - 1 - shown[-1]) * plot_w / (count - 1) >= 80:
        shown.append(count - 1)
    for i in shown:
        parts.append(_text(x_at(i), height - bottom + 20, x_labels[i], anchor="middle", fill="#333"))
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
        if layout.compact:
            legend_x, legend_y = 8, 12 + index * line_h
        else:
            legend_x, legend_y = left + index * 180, 16
        stroke = f'stroke="{style["colour"]}" stroke-width="2.5"{dash}'
        parts.append(f'<line x1="{legend_x}" x2="{legend_x + 24}" y1="{legend_y}" y2="{legend_y}" {stroke}/>')
        parts.append(_marker(style["marker"], legend_x + 12, legend_y, style["colour"]))
        parts.append(_text(legend_x + 30, legend_y + 4, line.label))
    parts.append("</svg>")
    return mark_safe("".join(parts))


@dataclass(frozen=True)
class Bar:
    """One row of shares; `note` (e.g. the confidentiality mark) replaces a bar that cannot be drawn."""

    label: str
    parts: list[float | None]
    note: str = ""


def stacked_bars_svg(
    *, chart_id: str, title: str, description: str, part_labels: list[str], bars: list[Bar], layout: Layout = WIDE
) -> SafeString:
    """Horizontal bars of shares, one per row (a region), the parts stacked from 0 to 100 %; a
    row that cannot be drawn (suppressed, no respondent) shows its note instead of a bar. The wide
    drawing puts each label beside its bar, the compact one above it."""
    width, line_h = layout.width, layout.font_size + 7
    if layout.compact:
        row_h, label_w, right, top = 26 + line_h, 8, 16, 12 + line_h * len(part_labels)
    else:
        row_h, label_w, right, top = 26, 210, 24, 40
    bottom = 28
    plot_w = width - label_w - right
    height = top + bottom + row_h * max(1, len(bars))
    parts = _svg_open(chart_id, width, height, title, description, layout)
    for index, label in enumerate(part_labels):
        style = SERIES_STYLES[index % len(SERIES_STYLES)]
        legend_x, legend_y = (8, 4 + index * line_h) if layout.compact else (label_w + index * 180, 8)
        parts.append(f'<rect x="{legend_x}" y="{legend_y}" width="14" height="14" fill="{style["colour"]}"/>')
        parts.append(_text(legend_x + 20, legend_y + 12, label))
    for tick in (0, 0.5, 1):
        x = label_w + plot_w * tick
        anchor = "middle" if 0 < tick < 1 or not layout.compact else ("start" if tick == 0 else "end")
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top - 4}" y2="{height - bottom}" stroke="#ccc"/>')
        parts.append(_text(x, height - bottom + 18, _percent(tick), anchor=anchor, fill="#333"))
    for row, bar in enumerate(bars):
        y = top + row * row_h
        if layout.compact:
            parts.append(_text(label_w, y + layout.font_size, bar.label))
            bar_y = y + line_h
        else:
            parts.append(_text(label_w - 8, y + row_h / 2 + 4, bar.label, anchor="end"))
            bar_y = y
        if bar.note:
            parts.append(_text(label_w + 6, bar_y + 13 + 4, bar.note, fill="#555", extra=' font-style="italic"'))
            continue
        x = float(label_w)
        for index, value in enumerate(bar.parts):
            if not value:
                continue
            style = SERIES_STYLES[index % len(SERIES_STYLES)]
            w = plot_w * max(0.0, min(1.0, value))
            parts.append(
                f'<rect x="{x:.1f}" y="{bar_y + 4}" width="{w:.1f}" height="18" fill="{style["colour"]}">'
                f"<title>{escape(labelled(f'{bar.label} – {part_labels[index]}', _percent(value)))}</title></rect>"
            )
            x += w
    parts.append("</svg>")
    return mark_safe("".join(parts))
