"""The report's charts as inline SVG, drawn with matplotlib from plain numbers (no database).

matplotlib is imported on first use (it takes a second to load), with the Agg backend and
figures made directly (`matplotlib.figure.Figure`, no pyplot), so nothing global is left open
between requests and threads. Text stays text in the SVG (`svg.fonttype: none`): smaller, and
readable by screen readers, search and PDF text extraction. Every chart also has its numbers in
a table next to it in the report. Labels come in translated.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

BLUE, TEAL, GREY = "#1f5f8b", "#2a9d8f", "#b8c2cc"
RATING_COLOURS = ("#c0392b", "#e67e22", "#c8ccd0", "#5dade2", "#1f5f8b")  # 1 .. 5
STYLE = {
    "font.size": 8.5,
    "font.family": "DejaVu Sans",
    "svg.fonttype": "none",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#666666",
    "axes.titlesize": 9.5,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "xtick.color": "#444444",
    "ytick.color": "#222222",
}
GROUP_ID = re.compile(r'<g id="[^"]*"')
WIDTH = 6.4  # inches: the text width of an A4 page with 2 cm margins
TOP_COUNTRIES = 12


def _matplotlib():
    import matplotlib

    matplotlib.use("Agg")  # no display; also what a server process without one needs
    import matplotlib.patches
    import matplotlib.ticker
    from matplotlib.figure import Figure

    return matplotlib, Figure


def _svg(fig: Figure, *, name: str, label: str) -> SafeString:
    """The figure as an `<svg>` element to inline: no XML prolog, ids salted with `name` so
    two charts on one page cannot share one, and an accessible name."""
    matplotlib, _figure = _matplotlib()
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": name, **STYLE}):
        fig.savefig(buffer, format="svg", metadata={"Date": None}, transparent=True)
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    # matplotlib names every group ("figure_1", "axes_1"...) the same in every chart: ids that
    # would clash on a page with several. Only the salted clip-path ids are referenced.
    svg = GROUP_ID.sub("<g", svg)
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1)
    return mark_safe(svg)  # noqa: S308 - matplotlib's own markup; our labels are escaped by it


def _figure(height: float, left: float = 0.3) -> tuple[Figure, Axes]:
    matplotlib, Figure = _matplotlib()
    with matplotlib.rc_context(STYLE):
        fig = Figure(figsize=(WIDTH, height))
        ax = fig.add_axes((left, 0.6 / height, 0.93 - left, 1 - 0.95 / height))
    return fig, ax


def _left_margin(labels: Sequence[str]) -> float:
    """The share of the width the longest label needs (about 0.075 in per character)."""
    longest = max((len(label) for label in labels), default=4)
    return min(0.45, max(0.12, longest * 0.075 / WIDTH + 0.03))


def _bars(
    rows: Sequence[tuple[str, int]], *, name: str, title: str, colour: str = BLUE
) -> SafeString:
    """Horizontal bars, the first row on top, each with its count at its end."""
    matplotlib, _f = _matplotlib()
    labels = [label for label, _n in rows]
    values = [n for _label, n in rows]
    height = 0.95 + 0.24 * max(len(rows), 1)
    with matplotlib.rc_context(STYLE):
        fig, ax = _figure(height, _left_margin(labels))
        positions = list(range(len(rows)))[::-1]
        ax.barh(positions, values, color=colour, height=0.7)
        ax.set_yticks(positions, labels)
        ax.set_title(title)
        top = max(values, default=0) or 1
        ax.set_xlim(0, top * 1.12)
        for y, n in zip(positions, values, strict=True):
            ax.text(n + top * 0.01, y, str(n), va="center", fontsize=8)
        ax.tick_params(axis="y", length=0)
        ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
        return _svg(fig, name=name, label=title)


def people_by_type_chart(rows: Sequence[tuple[str, int]], *, title: str) -> SafeString:
    return _bars(rows, name="by-type", title=title)


def people_by_country_chart(
    rows: Sequence[tuple[str, int]], *, title: str, others: str
) -> SafeString:
    """The most represented countries, the rest summed in one bar labelled `others`."""
    shown = list(rows[:TOP_COUNTRIES])
    rest = sum(n for _label, n in rows[TOP_COUNTRIES:])
    if rest:
        shown.append((others, rest))
    return _bars(shown, name="by-country", title=title, colour=TEAL)


def meetings_chart(
    funnel: Sequence[tuple[str, int]], outcomes: Sequence[tuple[str, int]], *, title: str,
    outcomes_title: str,
) -> SafeString:  # fmt: skip
    """The meeting funnel (requested to held) beside what came of the meetings held."""
    matplotlib, Figure = _matplotlib()
    rows = max(len(funnel), len(outcomes), 1)
    height = 0.95 + 0.28 * rows
    with matplotlib.rc_context(STYLE):
        fig = Figure(figsize=(WIDTH, height))
        left_labels = _left_margin([label for label, _n in funnel]) * 2
        right_labels = _left_margin([label for label, _n in outcomes]) * 2
        bottom, top = 0.55 / height, 1 - 0.95 / height
        axes = [
            fig.add_axes((0.5 * left_labels, bottom, 0.46 - 0.5 * left_labels, top)),
            fig.add_axes((0.5 + 0.5 * right_labels, bottom, 0.46 - 0.5 * right_labels, top)),
        ]
        for x, heading in ((0.01, title), (0.51, outcomes_title)):
            # Over the whole panel, labels included: an axes title starts at the bars and
            # would run off the figure.
            fig.text(x, 1 - 0.2 / height, heading, va="top", fontsize=9.5, fontweight="bold")
        for ax, data, colour in ((axes[0], funnel, BLUE), (axes[1], outcomes, TEAL)):
            positions = list(range(len(data)))[::-1]
            values = [n for _label, n in data]
            ax.barh(positions, values, color=colour, height=0.65)
            ax.set_yticks(positions, [label for label, _n in data])
            peak = max(values, default=0) or 1
            ax.set_xlim(0, peak * 1.2)
            for y, n in zip(positions, values, strict=True):
                ax.text(n + peak * 0.02, y, str(n), va="center", fontsize=8)
            ax.tick_params(axis="y", length=0)
            ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(3, integer=True))
        return _svg(fig, name="meetings", label=f"{title}. {outcomes_title}")


def satisfaction_chart(
    rows: Sequence[tuple[str, tuple[int, int, int, int, int]]], *, title: str,
    scale: Sequence[str],
) -> SafeString:  # fmt: skip
    """One bar per kind of rating (event, sessions, meetings): the share of each answer from
    1 to 5, stacked to 100 %; `scale` labels the five answers in the legend."""
    matplotlib, _f = _matplotlib()
    height = 1.35 + 0.34 * max(len(rows), 1)
    with matplotlib.rc_context(STYLE):
        fig, ax = _figure(height, _left_margin([label for label, _d in rows]))
        positions = list(range(len(rows)))[::-1]
        starts = [0.0] * len(rows)
        for value in range(5):
            shares = [100 * dist[value] / (sum(dist) or 1) for _label, dist in rows]
            ax.barh(positions, shares, left=starts, color=RATING_COLOURS[value], height=0.6,
                    label=scale[value])  # fmt: skip
            for y, start, share in zip(positions, starts, shares, strict=True):
                if share >= 7:
                    ink = "white" if value in (0, 4) else "#222222"
                    ax.text(start + share / 2, y, f"{share:.0f}%", ha="center", va="center",
                            fontsize=7.5, color=ink)  # fmt: skip
            starts = [s + share for s, share in zip(starts, shares, strict=True)]
        ax.set_yticks(positions, [label for label, _d in rows])
        ax.set_xlim(0, 100)
        ax.set_title(title)
        ax.tick_params(axis="y", length=0)
        ax.legend(ncols=5, loc="upper center", bbox_to_anchor=(0.5, -0.12), frameon=False,
                  fontsize=7.5, handlelength=1)  # fmt: skip
        ax.set_xticks([])
        ax.spines["bottom"].set_visible(False)
        return _svg(fig, name="satisfaction", label=title)


def who_met_whom_chart(
    types: Sequence[str], matrix: Sequence[Sequence[int]], *, title: str
) -> SafeString:
    """The lower triangle of the type-by-type meeting matrix as shaded squares with their
    counts: darker where more meetings brought the two types together."""
    matplotlib, _f = _matplotlib()
    n = max(len(types), 1)
    labels = [label.split(" (")[0] for label in types]  # "Company (SME, start-up)": "Company"
    left = _left_margin(labels)
    side = min(WIDTH * (1 - left) - 0.3, 0.42 * n + 0.3)
    height = side + 1.5
    with matplotlib.rc_context(STYLE):
        fig, ax = _figure(height, left)
        ax.set_position((left, 1.25 / height, side / WIDTH, side / height))
        peak = max((c for row in matrix for c in row), default=0) or 1
        colours = matplotlib.colormaps["Blues"]
        for i, row in enumerate(matrix):
            for j, count in enumerate(row):
                shade = colours(0.08 + 0.85 * count / peak) if count else "#f4f6f8"
                ax.add_patch(matplotlib.patches.Rectangle((j, n - 1 - i), 0.94, 0.94,
                                                          color=shade, linewidth=0))  # fmt: skip
                if count:
                    dark = count / peak > 0.55
                    ax.text(j + 0.47, n - 1 - i + 0.47, str(count), ha="center", va="center",
                            fontsize=7.5, color="white" if dark else "#222222")  # fmt: skip
        ax.set_xlim(0, n)
        ax.set_ylim(0, n)
        ax.set_xticks([k + 0.47 for k in range(len(labels))], labels, rotation=40, ha="right")
        ax.set_yticks([n - 1 - k + 0.47 for k in range(len(labels))], labels)
        ax.tick_params(length=0)
        for side_name in ("left", "bottom"):
            ax.spines[side_name].set_visible(False)
        ax.set_title(title)
        return _svg(fig, name="who-met-whom", label=title)
