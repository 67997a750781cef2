"""`spacecoop plot timeline|network`: the package as pictures, SVG and PNG, from the loaded tables.

Output is deterministic: a fixed SVG hash salt, no creation date in the metadata, matplotlib's own
bundled font. Needs matplotlib (the [plot] extra).
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display; set before pyplot is imported
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from .load import load  # noqa: E402

COLORS = {"agreement": "#1b6ca8", "meeting": "#d1495b", "program": "#2a9d5c", "outcome": "#6a4c93", "framework": "#8d6e63"}
PARTICIPANT_COLORS = {"state": "#444444", "government_body": "#8a5a9e", "space_agency": "#3d5a80", "company": "#7a7a2a",
                      "person": "#e08a1e", "international_body": "#2b8c8c"}
# The line style of a link names what the role is: a side, someone acting for a side, or not a party.
ROLE_STYLES = (("-", "a side: party, partner, host, visitor", {"party", "partner", "host", "visitor"}),
               (":", "acting for a side: delegate, delegation, ratifier, announcer", {"delegate", "delegation", "ratifier", "announcer"}),
               ("--", "not a party: subject, interested, leader", {"subject", "interested", "leader"}))
# Items whose dates are further apart than this are drawn in separate panels of a broken axis.
PANEL_GAP_DAYS = 730


def _style() -> None:
    plt.rcParams.update({
        "svg.hashsalt": "spacecoop",       # stable ids inside the SVG
        "font.family": "DejaVu Sans",      # bundled with matplotlib: same glyphs everywhere
        "font.size": 9,
        "axes.spines.top": False,
        "axes.spines.right": False,
    })


def _save(fig, out_dir: Path, name: str) -> list[Path]:
    import io

    from .atomic import write_file

    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    # The renderer's version is recorded (and nothing else that varies): the same version gives
    # the same bytes, which is what the test of the committed pictures relies on.
    made_by = f"spacecoop plot, matplotlib {matplotlib.__version__}"
    for ext, meta in (("svg", {"Date": None, "Creator": made_by}), ("png", {"Software": made_by})):
        buf = io.BytesIO()
        fig.savefig(buf, format=ext, metadata=meta, dpi=150 if ext == "png" else None, bbox_inches="tight")
        write_file(out_dir / f"{name}.{ext}", buf.getvalue())
        paths.append(out_dir / f"{name}.{ext}")
    plt.close(fig)
    return paths


def _short(text: str, n: int = 56) -> str:
    """Clip at a word boundary, so a label never ends mid-word."""
    if len(text) <= n:
        return text
    cut = text[: n - 1].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + "…"


def timeline_rows(tables: dict) -> tuple[list[dict], list[str]]:
    """One row per dated event (a meeting held; a stage of a program or agreement from milestones),
    sorted by earliest day; and the names of programs and agreements the seeds give no date for."""
    import pandas as pd

    names = {}
    for kind, table, label_col in (("agreement", "agreements", "title"), ("program", "programs", "name")):
        for _, r in tables[table].iterrows():
            names[r.iloc[0]] = (kind, str(r[label_col]))
    events = [("meeting", str(r["label"]), "held", r) for _, r in tables["meetings"].iterrows()]
    events += [(*names[r["record_id"]], str(r["kind"]), r) for _, r in tables["milestones"].iterrows()]
    rows, dated = [], set()
    for kind, label, stage, r in events:
        lo, hi = r["date_earliest"], r["date_latest"]
        if pd.isna(lo) or pd.isna(hi):
            continue
        dated.add(r.get("record_id", label))
        rows.append({"kind": kind, "label": f"{_short(label)} ({stage})", "earliest": lo, "latest": hi,
                     "value": str(r["date"]) if not pd.isna(r["date"]) else "",
                     "precision": str(r["date_precision"]), "basis": str(r["date_basis"])})
    undated = [f"“{label}” ({kind})" for rid, (kind, label) in names.items() if rid not in dated]
    rows.sort(key=lambda x: (x["earliest"], x["latest"], x["kind"], x["label"]))
    return rows, undated


def panels(rows: list[dict], gap_days: int = PANEL_GAP_DAYS) -> list[tuple]:
    """The x ranges of a broken time axis: one panel per cluster of dated items, a new panel wherever
    no item covers more than gap_days in a row, each widened to whole calendar years (so every panel
    starts with a year label). Every item lies inside exactly one panel."""
    import pandas as pd

    clusters: list[list] = []
    for r in sorted(rows, key=lambda x: x["earliest"]):
        if clusters and (r["earliest"] - clusters[-1][1]).days <= gap_days:
            clusters[-1][1] = max(clusters[-1][1], r["latest"])
        else:
            clusters.append([r["earliest"], r["latest"]])
    out: list[tuple] = []
    for lo, hi in clusters:
        lo, hi = pd.Timestamp(lo.year, 1, 1), pd.Timestamp(hi.year + 1, 1, 1)
        if out and lo <= out[-1][1]:  # whole years touch: one panel
            lo = out.pop()[0]
        out.append((lo, hi))
    return out


def timeline(package_dir: Path, out_dir: Path, progress: Callable[[str], None] = lambda _s: None) -> list[Path]:
    progress("loading tables")
    tables = load(package_dir)
    progress("drawing")
    return _save(timeline_figure(tables), out_dir, "timeline")


def timeline_figure(tables: dict):
    import pandas as pd

    _style()
    rows, undated = timeline_rows(tables)
    # A broken axis, one panel per cluster of dates: events cluster in 2024, the rest spread over a decade.
    ranges = panels(rows) or [(pd.Timestamp("2000-01-01"), pd.Timestamp("2001-01-01"))]
    ranges = [(lo, hi - pd.Timedelta(days=1)) for lo, hi in ranges]  # end on 31 December: no next-year tick
    height = 0.4 * len(rows) + 2.4
    # One scale for time: each panel's width is its number of days, so a year is as wide everywhere;
    # only the gaps between panels are cut out, and the break marks say so.
    widths = [(hi - lo).days for lo, hi in ranges]
    fig, axes = plt.subplots(1, len(ranges), sharey=True, figsize=(11, height), squeeze=False,
                             gridspec_kw={"width_ratios": widths, "wspace": 0.06})
    axes = list(axes[0])
    ys = {id(r): len(rows) - 1 - i for i, r in enumerate(rows)}
    import matplotlib.dates as mdates

    for ax, (lo, hi) in zip(axes, ranges):
        for r in (r for r in rows if lo <= r["earliest"] and r["latest"] <= hi):
            y, c = ys[id(r)], COLORS[r["kind"]]
            filled = r["basis"] == "stated"
            face = c if filled else "white"
            end = r["latest"] + pd.Timedelta(days=1)
            narrow = (end - r["earliest"]) < (hi - lo) * 0.015
            if r["earliest"] != r["latest"]:
                # A span: every day it could be, from earliest to the end of latest.
                ax.barh(y, end - r["earliest"], left=r["earliest"], height=0.5, color=face, edgecolor=c,
                        linewidth=1.6, hatch=None if filled else "////", zorder=3)
                ax.plot([r["earliest"], end], [y, y], ls="none", marker="|", ms=12, mew=1.6, color=c, zorder=4)
            if r["earliest"] == r["latest"] or narrow:
                # A day, or a span too narrow to show its fill: the diamond says stated or refined.
                mid = r["earliest"] + (end - r["earliest"]) / 2
                ax.plot([mid], [y], marker="D", ms=7, mfc=face, mec=c, mew=1.6, ls="none", zorder=5)
        ax.grid(axis="x", color="#dddddd", lw=0.6)
        ax.set_ylim(-0.7, len(rows) - 0.3)
        ax.set_xlim(lo, hi)
        # A tick each quarter, the year under every January: each panel begins with one.
        ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=(1, 4, 7, 10)))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%b"))
        ax.xaxis.set_minor_locator(mdates.YearLocator())
        ax.xaxis.set_minor_formatter(mdates.DateFormatter("\n%Y"))
        ax.tick_params(axis="x", which="minor", length=0, labelsize=9)
        ax.tick_params(axis="x", which="major", labelsize=7)
        ax.xaxis.remove_overlapping_locs = False  # the year sits under January's tick
    first, last = axes[0], axes[-1]
    first.set_yticks([ys[id(r)] for r in rows], [r["label"] for r in rows])
    for t, r in zip(first.get_yticklabels(), rows):
        t.set_color(COLORS[r["kind"]])
    for ax in axes[1:]:
        ax.spines["left"].set_visible(False)
        ax.tick_params(axis="y", left=False)
    # The right edge names each date: its value, precision and basis.
    right = last.secondary_yaxis("right")
    right.set_yticks([ys[id(r)] for r in rows], [f"{r['value'] or '—'}  {r['precision']}, {r['basis']}" for r in rows])
    right.tick_params(length=0)
    right.spines["right"].set_visible(False)
    for left_ax, right_ax in zip(axes, axes[1:]):  # the break marks
        for ax, side in ((left_ax, 1), (right_ax, 0)):
            ax.plot([side], [0], transform=ax.transAxes, marker=[(-1, -1.5), (1, 1.5)], ms=10, mec="k", mew=1, clip_on=False)
    grey = "#666666"
    legend = [
        Patch(facecolor=COLORS["agreement"], label="agreement"),
        Patch(facecolor=COLORS["meeting"], label="meeting"),
        Patch(facecolor=COLORS["program"], label="program"),
        Line2D([], [], marker="D", ls="none", mfc=grey, mec=grey, mew=1.6, label="a known day, stated in a seed"),
        Line2D([], [], marker="D", ls="none", mfc="white", mec=grey, mew=1.6, label="a known day, refined by an external reference"),
        Patch(facecolor=grey, edgecolor=grey, label="a span (year, month, days), stated in a seed"),
        Patch(facecolor="white", edgecolor=grey, hatch="////", label="a span, refined by an external reference"),
    ]
    fig.legend(handles=legend, loc="upper center", ncol=4, frameon=False, bbox_to_anchor=(0.5, 1.05 / height))
    fig.subplots_adjust(top=1 - 0.7 / height, bottom=1.45 / height)
    fig.suptitle("China–Russia space cooperation: every dated record (hollow: the date is refined by an external reference)",
                 y=1 - 0.15 / height, fontsize=11)
    if undated:
        fig.text(0.02, 0.12 / height, "Not dated by the seeds: " + "; ".join(undated) + ".", fontsize=8,
                 color="#555555", wrap=True)
    return fig


def network_graph(tables: dict) -> tuple[list[dict], list[dict], list[tuple[str, str, str]]]:
    """Participants, the agreements/programs/meetings they link to, and the links (pid, entity id, role)."""
    import pandas as pd

    pt = tables["participants"]
    names = dict(zip(pt.participant_id, pt.name))
    states = {r.country: r.name for r in pt.itertuples() if str(r.kind) == "state" and not pd.isna(r.country)}
    # A body or person says whose it is: its affiliation, else its country ("Sergey Belousko (Russia)").
    def whose(r) -> str:
        if not pd.isna(r.affiliation_id):
            return f" ({names.get(r.affiliation_id, r.affiliation_id)})"
        return "" if str(r.kind) == "state" or pd.isna(r.country) or r.country not in states else f" ({states[r.country]})"
    parts = [{"id": r.participant_id, "kind": str(r.kind), "label": str(r.name) + whose(r)} for r in pt.itertuples()]
    ents = []
    for kind, table, label in (("meeting", "meetings", "label"), ("agreement", "agreements", "title"),
                               ("outcome", "outcomes", "text"), ("framework", "frameworks", "name"),
                               ("program", "programs", "name")):
        for r in tables[table].itertuples(index=False):
            ents.append({"id": r[0], "label": _short(str(getattr(r, label)), 58), "kind": kind})
    edges = []
    for table, key in (("meeting_participants", "meeting_id"), ("agreement_participants", "agreement_id"),
                       ("outcome_participants", "outcome_id"), ("program_participants", "program_id")):
        for r in tables[table].itertuples():
            edges.append((r.participant_id, getattr(r, key), str(r.role)))
    edges += [(r.leader_id, r.framework_id, "leader") for r in tables["frameworks"].itertuples() if not pd.isna(r.leader_id)]
    return parts, ents, edges


def network(package_dir: Path, out_dir: Path, progress: Callable[[str], None] = lambda _s: None) -> list[Path]:
    _style()
    progress("loading tables")
    parts, ents, edges = network_graph(load(package_dir))
    progress("drawing")
    # Order each side by the mean position of its neighbours (two sweeps): fewer crossings.
    kind_rank = {k: i for i, k in enumerate(PARTICIPANT_COLORS)}
    ent_rank = {k: i for i, k in enumerate(COLORS)}
    parts.sort(key=lambda p: (kind_rank.get(p["kind"], 9), p["label"]))
    pos_p = {p["id"]: i for i, p in enumerate(parts)}
    for _ in range(2):
        def bary(eid):
            ns = [pos_p[a] for a, b, _ in edges if b == eid]
            return sum(ns) / len(ns) if ns else len(parts)
        ents.sort(key=lambda e: (ent_rank[e["kind"]], bary(e["id"]), e["label"]))
        pos_e = {e["id"]: i for i, e in enumerate(ents)}

        def bary_p(pid):
            ns = [pos_e[b] for a, b, _ in edges if a == pid]
            return sum(ns) / len(ns) if ns else len(ents)
        parts.sort(key=lambda p: (kind_rank.get(p["kind"], 9), bary_p(p["id"]), p["label"]))
        pos_p = {p["id"]: i for i, p in enumerate(parts)}
    n = max(len(parts), len(ents))
    y_p = {p["id"]: (n - 1) - i * (n - 1) / max(len(parts) - 1, 1) for i, p in enumerate(parts)}
    y_e = {e["id"]: (n - 1) - i * (n - 1) / max(len(ents) - 1, 1) for i, e in enumerate(ents)}
    fig, ax = plt.subplots(figsize=(11, 0.36 * n + 1.6))
    x_p, x_e = 0.0, 1.0
    for a, b, role in edges:
        if a in y_p and b in y_e:
            kind = next(e["kind"] for e in ents if e["id"] == b)
            ax.plot([x_p, x_e], [y_p[a], y_e[b]], color=COLORS[kind], alpha=0.45, lw=1.3,
                    ls=next(ls for ls, _, roles in ROLE_STYLES if role in roles), zorder=1)
    for p in parts:
        c = PARTICIPANT_COLORS.get(p["kind"], "#999999")
        ax.scatter([x_p], [y_p[p["id"]]], s=60, color=c, zorder=3)
        ax.text(x_p - 0.03, y_p[p["id"]], p["label"], ha="right", va="center", color=c)
    for e in ents:
        c = COLORS[e["kind"]]
        ax.scatter([x_e], [y_e[e["id"]]], s=60, marker="s", color=c, zorder=3)
        ax.text(x_e + 0.03, y_e[e["id"]], e["label"], ha="left", va="center", color=c)
    ax.set_xlim(-0.9, 2.1)
    ax.set_ylim(-1, n)
    ax.axis("off")
    ax.text(x_p, n - 0.2, "participants", ha="center", fontweight="bold")
    ax.text(x_e, n - 0.2, "meetings, agreements, outcomes, frameworks, programs", ha="center", fontweight="bold")
    legend = [Line2D([], [], marker="o", ls="none", color=c, label=k.replace("_", " "))
              for k, c in PARTICIPANT_COLORS.items() if any(p["kind"] == k for p in parts)]
    legend += [Line2D([], [], marker="s", ls="none", color=c, label=k) for k, c in COLORS.items()]
    legend += [Line2D([], [], color="grey", ls=ls, label=label) for ls, label, _ in ROLE_STYLES]
    ax.legend(handles=legend, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=5, frameon=False)
    ax.set_title("Who takes part in what: participants and the records that link them", fontsize=12)
    return _save(fig, out_dir, "network")


def draw(kind: str, package_dir: Path, out_dir: Path, progress: Callable[[str], None] = lambda _s: None) -> list[Path]:
    if kind == "timeline":
        return timeline(package_dir, out_dir, progress)
    if kind == "network":
        return network(package_dir, out_dir, progress)
    raise ValueError(f"unknown picture {kind!r}; choose timeline or network")
