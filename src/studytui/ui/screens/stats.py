"""Weekly statistics: time allocation against the target, streaks, heatmaps, review forecast
and retention. Charts where a person would rather look than read, numbers beside them."""

from __future__ import annotations

import math
from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header, Static, TabbedContent, TabPane
from textual_plotext import PlotextPlot

from studytui.core.categories import CATEGORIES, deviation_text, share_text, whole_percent
from studytui.core.errors import StudyError
from studytui.core.minutes import minutes_label, minutes_of
from studytui.core.services.facade import Services
from studytui.core.services.stats_report import StatsReport
from studytui.ui.widgets.bars import heatmap, split_bar
from studytui.ui.widgets.footer import Footer
from studytui.ui.workers import work

CATEGORY_COLORS = {"hands-on": "cyan", "theory": "magenta", "community": "yellow"}


def whole_minute_ticks(plt: Any, top: float) -> None:
    """Whole numbers on the y axis (plotext would label minutes 197.5 and cards 0.33), about
    five ticks."""
    if top <= 0:
        plt.yticks([0])
        return
    step = max(1, math.ceil(top / 5))
    for nice in (1, 2, 5, 10, 15, 20, 30, 60, 120, 240, 480):
        if nice >= step:
            step = nice
            break
    plt.yticks(list(range(0, math.ceil(top) + step, step)))


class StatsLoaded(Message):
    def __init__(self, report: StatsReport) -> None:
        super().__init__()
        self.report = report


def week_text(r: StatsReport) -> Text:
    w = r.week
    out = Text()
    out.append(w.week.label, style="bold")
    out.append(f"   {w.week.first_day:%a %d %b} – {w.week.last_day:%a %d %b %Y}\n", style="dim")
    out.append(f"{minutes_label(w.total_minutes)} min focus in {w.sessions} sessions", style="bold")
    out.append(f"   target split {w.target}\n\n", style="dim")
    for share in w.categories:
        out.append_text(split_bar(share.category.label, share.percent, share.target_percent))
        out.append(f"  {minutes_label(share.minutes):>5} min", style="dim")
        if minutes_of(share.needed_minutes):
            out.append(f"  +{minutes_label(share.needed_minutes)} min needed", style="yellow")
        out.append("\n")
    if minutes_of(w.needed_minutes):
        more = minutes_label(w.needed_minutes)
        out.append(f"\n{more} more minutes this week would meet the target split.")
    elif minutes_of(w.total_minutes):
        out.append("\nThe week meets the target split.", style="green")
    return out


def history_table(r: StatsReport) -> Table:
    table = Table(title="Past weeks", expand=True, show_edge=False, pad_edge=False)
    table.add_column("Week", no_wrap=True)
    table.add_column("Total", justify="right")
    for c in CATEGORIES:
        target = r.week.target.percent(c)
        table.add_column(f"{c.label} ({target}%)", justify="right")
    for week in r.history:
        cells = [Text(week.week.label), Text(f"{minutes_label(week.total_minutes)} min")]
        for share in week.categories:
            if share.percent is None:
                cells.append(Text("—", style="dim"))
            else:
                pct, want = share.percent, share.target_percent
                dev = abs(whole_percent(pct) - want)
                tone = "green" if dev <= 5 else "yellow" if dev <= 15 else "red"
                text = f"{share_text(pct)} ({deviation_text(pct, want)})"
                cells.append(Text(text, style=tone))
        table.add_row(*cells)
    return table


def topics_table(r: StatsReport) -> Table:
    table = Table(title="Time per topic this week", expand=True, show_edge=False)
    table.add_column("Topic")
    table.add_column("Minutes", justify="right")
    for t in r.week.topics[:15]:
        table.add_row(Text(t.title), minutes_label(t.minutes))
    if not r.week.topics:
        table.add_row(Text("No focus time logged this week yet.", style="dim"), "")
    return table


def streak_text(r: StatsReport, week_start: int) -> Text:
    s = r.streak
    out = Text()
    out.append(f"Streak {s.current} day{'s' if s.current != 1 else ''}", style="bold")
    out.append(f"   best {s.best}   (days with ≥ {s.threshold_minutes} focus minutes)", style="dim")
    if not s.today_done:
        out.append("\nToday does not count yet.", style="dim")
    out.append("\n\nActivity: focus minutes + reviews per day\n", style="bold")
    out.append_text(heatmap(r.activity_by_day, r.reviews.today, 16, week_start))
    return out


def reviews_text(r: StatsReport) -> Text:
    rv = r.reviews
    st = rv.states
    out = Text()
    out.append(f"Due today {rv.due_today}", style="bold")
    out.append(f"   new available {rv.new_available}\n", style="bold")
    out.append(
        f"Cards: {st.new} new · {st.learning} learning · {st.review} review · "
        f"{st.relearning} relearning · {st.suspended} suspended · {st.buried} buried",
        style="dim",
    )
    out.append("\n\nReviews per day\n", style="bold")
    out.append_text(heatmap({d.day: d.reviews for d in rv.per_day}, rv.today, 16))
    return out


def retention_table(r: StatsReport) -> Table:
    rv = r.reviews
    table = Table(
        title=f"True retention, last {rv.retention_days} days (desired {rv.desired_retention:.0%})",
        expand=True,
        show_edge=False,
    )
    table.add_column("Deck")
    table.add_column("Reviews", justify="right")
    table.add_column("Retention", justify="right")
    rows = [rv.retention_all, *rv.retention]
    for row in rows:
        value = row.retention
        if value is None:
            cell = Text("—", style="dim")
        else:
            tone = "green" if value >= rv.desired_retention - 0.02 else "yellow"
            cell = Text(f"{value:.1%}", style=tone)
        table.add_row(Text(row.title), str(row.reviews), cell)
    return table


def leeches_table(r: StatsReport) -> Table:
    """Cards you keep forgetting: rewrite or split them (Anki's advice), then unsuspend."""
    table = Table(title="Leeches (studytui decks leeches)", expand=True, show_edge=False)
    table.add_column("Card", justify="right")
    table.add_column("Lapses", justify="right")
    table.add_column("Deck")
    table.add_column("Front")
    table.add_column("", style="dim")
    for leech in r.leeches[:15]:
        front = leech.front.replace("\n", " ")
        state = "suspended" if leech.suspended else ""
        table.add_row(str(leech.card_id), str(leech.lapses), Text(leech.deck), Text(front[:60]),
                      state)  # fmt: skip
    if not r.leeches:
        table.add_row("", "", Text("No leeches: no card keeps lapsing.", style="dim"), "", "")
    return table


class StatsScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left_square_bracket,comma", "week(-1)", "Prev week", id="stats.prev"),
        Binding("right_square_bracket,full_stop", "week(1)", "Next week", id="stats.next"),
        Binding("w", "this_week", "This week", id="stats.current"),
        Binding("ctrl+r", "reload", "Refresh", id="stats.refresh"),
        Binding("tab", "next_tab(1)", "Next tab", id="stats.next-tab"),
        Binding("shift+tab", "next_tab(-1)", "Previous tab", id="stats.previous-tab", show=False),
    ]

    def __init__(self, services: Services, **_: Any) -> None:
        super().__init__()
        self.services = services
        self.week_label: str | None = None
        self.report: StatsReport | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(initial="stats-time"):
            with TabPane("Time", id="stats-time"), VerticalScroll():
                with Horizontal(classes="stats-row"):
                    yield Static("Loading…", id="st-week", classes="stats-panel")
                    yield PlotextPlot(id="st-days", classes="stats-chart")
                with Horizontal(classes="stats-row"):
                    yield Static(id="st-history", classes="stats-panel")
                    yield PlotextPlot(id="st-history-chart", classes="stats-chart")
                with Horizontal(classes="stats-row"):
                    yield Static(id="st-topics", classes="stats-panel")
                    yield Static(id="st-streak", classes="stats-panel")
            with TabPane("Flashcards", id="stats-cards"), VerticalScroll():
                with Horizontal(classes="stats-row"):
                    yield Static(id="st-reviews", classes="stats-panel")
                    yield PlotextPlot(id="st-forecast", classes="stats-chart")
                yield Static(id="st-retention", classes="stats-panel")
                yield Static(id="st-leeches", classes="stats-panel")
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < 110, "narrow")

    def on_screen_resume(self) -> None:
        self.load()

    def action_reload(self) -> None:
        self.load()

    def action_this_week(self) -> None:
        self.week_label = None
        self.load()

    def action_week(self, step: int) -> None:
        if self.report is None:
            return
        span = self.report.week.week
        from datetime import timedelta

        from studytui.core.studyday import iso_week_label

        if span.kind == "roadmap" and span.number is not None and span.number + step >= 1:
            last = span.last_number or span.number
            self.week_label = str(min(last, span.number + step))
        elif span.kind == "roadmap":  # on before week 1: the calendar week a week earlier
            self.week_label = iso_week_label(span.first_day + timedelta(days=7 * step))
        else:  # calendar weeks: from one Thursday to the next
            self.week_label = iso_week_label(span.first_day + timedelta(days=7 * step + 3))
        self.load()

    def action_next_tab(self, step: int) -> None:
        tabs = self.query_one(TabbedContent)
        panes = ["stats-time", "stats-cards"]
        current = panes.index(tabs.active) if tabs.active in panes else 0
        tabs.active = panes[(current + step) % len(panes)]

    @work(thread=True, exclusive=True, group="stats")
    def load(self) -> None:
        try:
            report = self.services.stats.report(self.week_label)
        except StudyError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="warning", markup=False)
            return
        self.post_message(StatsLoaded(report))

    def on_stats_loaded(self, message: StatsLoaded) -> None:
        r = message.report
        self.report = r
        week_start = self.services.ctx.settings.week_start_index
        self.query_one("#st-week", Static).update(week_text(r))
        self.query_one("#st-history", Static).update(history_table(r))
        self.query_one("#st-topics", Static).update(topics_table(r))
        self.query_one("#st-streak", Static).update(streak_text(r, week_start))
        self.query_one("#st-reviews", Static).update(reviews_text(r))
        self.query_one("#st-retention", Static).update(retention_table(r))
        self.query_one("#st-leeches", Static).update(leeches_table(r))
        self._chart_days(r)
        self._chart_history(r)
        self._chart_forecast(r)

    def _chart_days(self, r: StatsReport) -> None:
        widget = self.query_one("#st-days", PlotextPlot)
        plt = widget.plt
        plt.clear_figure()
        labels = [f"{d.day:%a}" for d in r.week.days]
        values = [minutes_of(d.minutes) for d in r.week.days]
        plt.bar(labels, values, color="cyan")
        whole_minute_ticks(plt, max(values, default=0))
        plt.title("Focus minutes per day")
        widget.refresh()

    def _chart_history(self, r: StatsReport) -> None:
        widget = self.query_one("#st-history-chart", PlotextPlot)
        plt = widget.plt
        plt.clear_figure()
        labels = [
            str(w.week.number) if w.week.number is not None else w.week.iso_label[-3:]
            for w in r.history
        ]
        series = [[minutes_of(w.categories[i].minutes) for w in r.history] for i in range(3)]
        if len(r.history) < 2:  # one bar: plotext draws the legend over it
            plt.title("Minutes per week by category: from the second week on")
            widget.refresh()
            return
        whole_minute_ticks(plt, max((sum(week) for week in zip(*series, strict=True)), default=0))
        # plotext takes a label and a colour per series; its type stubs say otherwise.
        plt.stacked_bar(  # type: ignore[call-arg]
            labels,
            series,
            labels=[c.label for c in CATEGORIES],
            color=[CATEGORY_COLORS[c.value] for c in CATEGORIES],  # type: ignore[arg-type]
        )
        plt.title("Minutes per week by category")
        widget.refresh()

    def _chart_forecast(self, r: StatsReport) -> None:
        widget = self.query_one("#st-forecast", PlotextPlot)
        plt = widget.plt
        plt.clear_figure()
        days = r.reviews.forecast
        plt.bar([f"{d.day:%d}" for d in days], [d.reviews for d in days], color="green")
        whole_minute_ticks(plt, max((d.reviews for d in days), default=0))  # whole cards
        plt.title("Reviews due, next 30 days")
        widget.refresh()
