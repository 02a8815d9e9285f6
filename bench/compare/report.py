#!/usr/bin/env python3
"""Turn the result files of bench/compare.sh into report.md, results.json
and chart.png (the chart needs gnuplot; without it the chart is skipped).

    report.py --results DIR --out DIR

DIR holds meta.json (date, machine, versions, targets with their family
and storage; the target marked "anchor" is the reference of every ratio)
plus any number of *.json result files written by the bench/compare
runners; files of the same target are concatenated, and a row measured
more than once (the rounds of the workloads) counts with its median.
"""
import argparse
import json
import math
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

# Report order, table titles and what the rows measure.
WORKLOADS = {
    "startup": "Startup",
    "clone": "Clone of a database",
    "memory": "Memory of idle instances (PSS)",
    "memory-inc": "Memory per additional idle instance (PSS)",
    "speed": "Speed suite (SQLite speedtest, PGlite's 18 tests)",
    "select1": "SELECT 1 round trip",
    "rtt": "Round-trip CRUD (trimmed mean)",
    "tpcb": "TPC-B-like, 1 client (per transaction)",
}
DESCRIPTIONS = {
    "startup": "temp-warm: a new database and its first `SELECT 1` in a "
    "warm process (ours `Database::temporary()`, or a new directory on "
    "disk; PGlite `new PGlite()`; native `CREATE DATABASE` + connection); "
    "temp-cold: the same as a whole new process (native: initdb + server "
    "start + psql); reopen: an existing persistent database; connect: a "
    "connection to a running server. Median of the runs.",
    "clone": "The origin is filled with `CREATE TABLE fixture AS SELECT g, "
    "md5(g::text) ...` (its size is the clone-origin row) and left "
    "unchanged; each clone is timed with its first query (`SELECT g FROM "
    "fixture LIMIT 1`) and closed or dropped untimed. Ours "
    "`Database::clone()` of an in-memory (direct-mem) or on-disk "
    "(direct-disk) origin; PGlite `await pg.clone()`; native `CREATE "
    "DATABASE c TEMPLATE fixture` (STRATEGY wal_log, the default, in the "
    "clone rows; file_copy in its own rows) + connection + first query.",
    "memory": "Sum of `Pss:` of /proc/PID/smaps_rollup over every process "
    "involved, with N idle instances that each ran `SELECT 1`: ours N "
    "temporary databases in one process; `pglite serve` with N client "
    "connections (one shared backend); PGlite N `new PGlite()` in one Node "
    "process; native the postmaster and its children with N idle "
    "connections (the clients' own memory is not counted).",
    "memory-inc": "(PSS(N) - PSS(1)) / (N - 1) from the table above.",
    "speed": "Each test is one script, timed once per round; the value is "
    "the median of the rounds.",
    "select1": "`SELECT 1` sent and its result received, simple query "
    "protocol (ours through the C++ API or libpq; native through libpq over "
    "a unix socket), timed one by one after a warm-up; the median.",
    "rtt": "Each statement timed many times per round (mean after dropping "
    "10 % at each end); the median of the rounds.",
    "tpcb": "pgbench's TPC-B-like transaction at scale 1, one statement per "
    "round trip, per transaction; the median of the rounds.",
}
# Only suites of many comparable rows get a geomean; for startup or memory
# a mean over unrelated rows would mean nothing.
GEOMEAN_WORKLOADS = ("speed", "rtt")
GOAL_SPEED_GEOMEAN = 1.10
MISSING = "n/a"

# Ours in blues, PGlite in oranges, native in grey: the same target keeps
# its colour in every panel.
COLOURS = {
    "ours": ["#08519c", "#3182bd", "#6baed6", "#9ecae1"],
    "native": ["#525252", "#969696"],
    "pglite": ["#d94801", "#fd8d3c", "#fdbe85"],
    "other": ["#54278f", "#807dba", "#238b45", "#74c476"],
}


class InputError(Exception):
    """Bad or unreadable input: reported as a message, exit status 2."""


# ---------------------------------------------------------------- loading

def read_json(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        raise InputError(f"cannot read {path}: {e}") from e


def load_meta(results_dir):
    meta = read_json(results_dir / "meta.json")
    if not isinstance(meta, dict) or not isinstance(meta.get("targets"), list):
        raise InputError(f"{results_dir}/meta.json: no 'targets' list")
    return meta


def check_row(path, row):
    """Raises unless row is a result row; a null value means not measured."""
    keys = {"workload", "id", "value"}
    if not isinstance(row, dict) or not keys <= row.keys():
        raise InputError(f"{path}: row without workload/id/value: {row}")
    value = row["value"]
    if value is not None and (isinstance(value, bool)
                              or not isinstance(value, (int, float))):
        raise InputError(f"{path}: value is not a number: {row}")


def load_results(results_dir):
    """Returns {target: {"title": str, "rows": [row, ...]}}, the rows of all
    files of one target concatenated in file-name order."""
    targets = {}
    for path in sorted(results_dir.glob("*.json")):
        if path.name == "meta.json":
            continue
        doc = read_json(path)
        if not isinstance(doc, dict) or "target" not in doc \
                or not isinstance(doc.get("results"), list):
            raise InputError(
                f"{path}: expected {{target, title, results: [...]}}")
        for row in doc["results"]:
            check_row(path, row)
        entry = targets.setdefault(doc["target"], {"title": "", "rows": []})
        entry["title"] = entry["title"] or doc.get("title", "")
        entry["rows"].extend(doc["results"])
    if not targets:
        raise InputError(
            f"no result files (*.json besides meta.json) in {results_dir}")
    return targets


# ---------------------------------------------------------------- model

def short_name(target):
    """pglite-direct-memory -> direct-mem, pglite-node-nodefs -> node-fs,
    native-pg17 -> pg17: column headers must stay narrow."""
    words = target.split("-")
    if words[0] in ("pglite", "native") and len(words) > 1:
        words = words[1:]
    words = [{"memory": "mem", "nodefs": "fs"}.get(w, w) for w in words]
    return "-".join(words)


def build_targets(meta, results):
    """Targets that have results: meta order first, then any unknown ones."""
    roles = {t["target"]: t for t in meta["targets"] if "target" in t}
    names = [n for n in roles if n in results]
    extra = [n for n in results if n not in roles]
    for name in extra:
        print(f"warning: target {name} is not in meta.json; "
              "listed last, without ratios", file=sys.stderr)
    targets = []
    for name in names + extra:
        role = roles.get(name, {})
        targets.append({
            "target": name,
            "short": short_name(name),
            "title": results[name]["title"] or name,
            "family": role.get("family", "other"),
            "storage": role.get("storage"),
            "anchor": bool(role.get("anchor")),
        })
    return targets


def assign_colours(targets):
    used = {}
    for t in targets:
        palette = COLOURS.get(t["family"], COLOURS["other"])
        n = used.get(t["family"], 0)
        t["colour"] = palette[n % len(palette)]
        used[t["family"]] = n + 1


def merge_order(sequences):
    """Merges id sequences so that an id missing from the first target still
    lands next to its neighbours (e.g. "2.1" after "2"), not at the end."""
    order = []
    for seq in sequences:
        prev = None
        for item in seq:
            if item not in order:
                at = order.index(prev) + 1 if prev is not None else 0
                order.insert(at, item)
            prev = item
    return order


def collect_workloads(targets, results):
    """Returns {workload: [{"id", "title", "unit", "values": {target: v},
    "samples": {target: [v, ...]}, "notes": {target: text}}]} in report
    order, unknown workloads last. A value is the median of its samples."""
    rows, order = {}, {}
    for t in targets:
        seqs = {}
        for r in results[t["target"]]["rows"]:
            wl, rid = r["workload"], str(r["id"])
            row = rows.setdefault(wl, {}).setdefault(
                rid, {"id": rid, "title": r.get("title", ""),
                      "unit": r.get("unit", ""), "values": {},
                      "samples": {}, "notes": {}})
            if r["value"] is not None:
                row["samples"].setdefault(t["target"], []).append(r["value"])
            if r.get("note"):
                row["notes"][t["target"]] = r["note"]
            if rid not in seqs.get(wl, []):
                seqs.setdefault(wl, []).append(rid)
        for wl, seq in seqs.items():
            order.setdefault(wl, []).append(seq)
    for by_id in rows.values():
        for row in by_id.values():
            row["values"] = {k: statistics.median(v)
                             for k, v in row["samples"].items()}
    names = [w for w in WORKLOADS if w in rows] + \
            [w for w in rows if w not in WORKLOADS]
    return {wl: [rows[wl][rid] for rid in merge_order(order[wl])]
            for wl in names}


def with_per_instance_rows(workloads):
    """Returns workloads with "memory-inc" after "memory": for each row
    "pss-N" (N > 1), "pss-inc-N" = (PSS(N) - PSS(1)) / (N - 1) per target
    where both were measured."""
    rows = workloads.get("memory", [])
    base = next((r for r in rows if r["id"] == "pss-1"), None)
    if base is None:
        return workloads
    derived = []
    for row in rows:
        n = int(row["id"][len("pss-"):])
        if n > 1:
            values = {t: (v - base["values"][t]) / (n - 1)
                      for t, v in row["values"].items()
                      if t in base["values"]}
            derived.append({"id": f"pss-inc-{n}", "unit": "MiB",
                            "title": f"per additional instance, 1 to {n}",
                            "values": values, "samples": {},
                            "notes": row["notes"]})
    out = {}
    for wl, wl_rows in workloads.items():
        out[wl] = wl_rows
        if wl == "memory":
            out["memory-inc"] = derived
    return out


def anchor_of(targets):
    """The reference of the ratios: the target meta.json marks "anchor",
    else the first native one."""
    return next((t for t in targets if t["anchor"]), None) or \
        next((t for t in targets if t["family"] == "native"), None)


def ratio_pairs(targets):
    """For every target of ours: (key, header, ours, reference) against the
    anchor (key .../native, shown in the tables) and against PGlite on the
    same storage (key .../pglite, in results.json only)."""
    anchor = anchor_of(targets)
    pairs = []
    for t in (t for t in targets if t["family"] == "ours"):
        pglite = next((p for p in targets if p["family"] == "pglite"
                       and p["storage"] == t["storage"]), None)
        if anchor:
            pairs.append((f"{t['target']}/native",
                          f"{t['short']}/{anchor['short']}",
                          t["target"], anchor["target"]))
        if pglite:
            pairs.append((f"{t['target']}/pglite", f"{t['short']}/PGlite",
                          t["target"], pglite["target"]))
    return pairs


def shown_pairs(pairs):
    """The ratio columns of the tables: those to the anchor."""
    return [p for p in pairs if p[0].endswith("/native")]


def ratio(a, b):
    if a is None or b is None or a <= 0 or b <= 0:
        return None
    return a / b


def geomean(values):
    values = [v for v in values if v is not None]
    if not values:
        return None
    return math.exp(sum(math.log(v) for v in values) / len(values))


def add_ratios(workloads, pairs):
    """Adds "ratios" to every row; returns {workload: geomean per ratio}."""
    geomeans = {}
    for wl, rows in workloads.items():
        for row in rows:
            vals = row["values"]
            row["ratios"] = {key: ratio(vals.get(a), vals.get(b))
                             for key, _, a, b in pairs}
        if wl in GEOMEAN_WORKLOADS:
            geomeans[wl] = {key: geomean(r["ratios"][key] for r in rows)
                            for key, _, _, _ in pairs}
    return geomeans


# ---------------------------------------------------------------- markdown

def fmt_sig3(v):
    """Three significant digits without exponents: 0.0123, 1.23, 12.3, 1234."""
    if v == 0:
        return "0"
    decimals = max(0, 2 - math.floor(math.log10(abs(v))))
    return f"{v:.{decimals}f}"


def fmt_value(v, unit):
    if v is None:
        return MISSING
    return f"{v:.1f}" if unit == "MiB" else fmt_sig3(v)


def fmt_ratio(r):
    return MISSING if r is None else fmt_sig3(r) + "×"


def md_cell(text):
    return str(text).replace("|", "\\|")


def render_header(meta, targets, anchor):
    machine = meta.get("machine", {})
    versions = meta.get("versions", {})
    lines = [
        "# pglite-native: side-by-side benchmark",
        "",
        f"- date: {meta.get('date', '?')}, scale: {meta.get('scale', '?')}, "
        f"workloads in {meta.get('rounds', 1)} rounds (median per row)",
        "- machine: " + ", ".join(f"{k} {v}" for k, v in machine.items()),
        "- versions: " + ", ".join(f"{k} {v}" for k, v in versions.items()),
        "",
        "Targets (column headers):",
        "",
    ]
    lines += [f"- `{t['short']}`: {md_cell(t['title'])}"
              + (" — **the reference of every ratio**" if t is anchor else "")
              for t in targets]
    lines += [
        "",
        f"Ratio columns: `<ours>/{anchor['short'] if anchor else '?'}` = "
        "ours ÷ native PostgreSQL 17.5 (time, or MiB for memory): below 1 "
        f"means ours is faster or smaller. {MISSING} = not measured (a "
        "numbered note says why where the runner gave a reason). Geomean rows "
        "take the geometric mean over the rows where both values exist. "
        "results.json has every value, the samples behind it (one per "
        "round) and the ratios of ours ÷ PGlite as well.",
        "",
    ]
    return lines


def render_headline(meta, geomeans, pairs):
    """The speed suite's geomean ratios to the anchor, against the goal."""
    speed = geomeans.get("speed", {})
    lines = [f"## Speed suite geomean ratio to native PostgreSQL 17.5 "
             f"(goal ≤ {GOAL_SPEED_GEOMEAN:.2f}×)", ""]
    if meta.get("scale") == "quick":
        lines += ["Quick scale (a tenth of the rows, 2 rounds): a smoke test "
                  "of the harness, not a measurement.", ""]
    for key, header, _, _ in pairs:
        g = speed.get(key)
        verdict = "" if g is None else \
            (" — met" if g <= GOAL_SPEED_GEOMEAN else " — not met")
        lines.append(f"- **{header}: {fmt_ratio(g)}**{verdict}")
    return lines + [""]


class Notes:
    """The numbered notes of one table."""

    def __init__(self):
        self.texts = []

    def mark(self, text):
        if text not in self.texts:
            self.texts.append(text)
        return f" [{self.texts.index(text) + 1}]"

    def render(self):
        return [f"[{i}] {md_cell(t)}  " for i, t in
                enumerate(self.texts, 1)] + ([""] if self.texts else [])


def render_table(wl, rows, geomean_row, targets, pairs):
    units = sorted({r["unit"] for r in rows if r["unit"]})
    title = WORKLOADS.get(wl, wl)
    lines = [f"## {title}" + (f" ({', '.join(units)})" if units else ""), ""]
    if wl in DESCRIPTIONS:
        lines += [DESCRIPTIONS[wl], ""]
    header = ["test"] + [t["short"] for t in targets] + [p[1] for p in pairs]
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|---" + "|---:" * (len(header) - 1) + "|")
    notes = Notes()
    for r in rows:
        label = f"{r['id']}: {r['title']}" if r["title"] else r["id"]
        cells = [md_cell(label)]
        for t in targets:
            note = r["notes"].get(t["target"])
            cells.append(fmt_value(r["values"].get(t["target"]), r["unit"])
                         + (notes.mark(note) if note else ""))
        cells += [fmt_ratio(r["ratios"][p[0]]) for p in pairs]
        lines.append("| " + " | ".join(cells) + " |")
    if geomean_row is not None:
        cells = ["**geomean**"] + [""] * len(targets)
        cells += [f"**{fmt_ratio(geomean_row[p[0]])}**" for p in pairs]
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    return lines + notes.render()


def render_markdown(meta, targets, pairs, workloads, geomeans):
    lines = render_header(meta, targets, anchor_of(targets))
    pairs = shown_pairs(pairs)
    lines += render_headline(meta, geomeans, pairs)
    for wl, rows in workloads.items():
        lines += render_table(wl, rows, geomeans.get(wl), targets, pairs)
    return "\n".join(lines)


# ---------------------------------------------------------------- json

def results_document(meta, targets, pairs, workloads, geomeans):
    """Missing values and undefined ratios are left out, not null; samples
    are every measurement behind a value (one per round)."""
    doc = {"meta": meta,
           "targets": [{k: t[k] for k in ("target", "short", "title",
                                          "family", "storage", "anchor")}
                       for t in targets],
           "workloads": {}}
    for wl, rows in workloads.items():
        entry = {"title": WORKLOADS.get(wl, wl), "rows": [
            {"id": r["id"], "title": r["title"], "unit": r["unit"],
             "values": r["values"], "samples": r["samples"],
             "notes": r["notes"],
             "ratios": {k: v for k, v in r["ratios"].items() if v is not None}}
            for r in rows]}
        if wl in geomeans:
            entry["geomean"] = {k: v for k, v in geomeans[wl].items()
                                if v is not None}
        doc["workloads"][wl] = entry
    return doc


# ---------------------------------------------------------------- chart

def chart_series(rows, targets, reference=None):
    """Returns (labels, [(target, [value or None per label])]) for grouped
    bars, divided by the reference target's value when given. Rows and
    series without any value are dropped so that no empty gap is drawn."""
    series = []
    for t in targets:
        if reference and t["target"] == reference["target"]:
            continue
        if reference:
            vals = [ratio(r["values"].get(t["target"]),
                          r["values"].get(reference["target"])) for r in rows]
        else:
            vals = [r["values"].get(t["target"]) for r in rows]
        series.append((t, vals))
    keep = [i for i in range(len(rows))
            if any(v[i] is not None for _, v in series)]
    labels = [rows[i]["id"] for i in keep]
    series = [(t, [v[i] for i in keep]) for t, v in series]
    return labels, [(t, v) for t, v in series if any(x is not None for x in v)]


def gp_string(text):
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_dat(path, series):
    """One line per group: index, then one column per series (NaN = gap)."""
    with open(path, "w", encoding="utf-8") as f:
        for i in range(len(series[0][1]) if series else 0):
            vals = ["NaN" if v[i] is None else repr(v[i]) for _, v in series]
            f.write(f"{i} " + " ".join(vals) + "\n")


def panel_script(dat, title, ylabel, labels, series, scale):
    """Gnuplot commands for one panel of grouped bars. scale: "ratio" (log,
    bars grow from 1 so faster points down), "log" or "linear" (from 0)."""
    lines = ["reset", "set termoption noenhanced",
             f"set title {gp_string(title)}",
             f"set ylabel {gp_string(ylabel)}", "set grid ytics",
             # Outside the plot so that a key never hides a tall bar.
             "set key below horizontal samplen 2",
             "set style fill solid 0.9 noborder"]
    if not series:
        return lines + ['set label "no data" at graph 0.5,0.5 center',
                        "set xrange [0:1]", "set yrange [0:1]",
                        "unset xtics", "unset ytics", "plot NaN notitle"]
    tics = ", ".join(f"{gp_string(name)} {i}"
                     for i, name in enumerate(labels))
    lines += [f"set xtics ({tics})",
              f"set xrange [-0.6:{len(labels) - 0.4}]"]
    # A panel is about 90 characters wide at this size.
    if len(labels) * (max(map(len, labels)) + 1) > 90:
        lines.append("set xtics rotate by -45")
    if scale == "ratio":
        base = 1
        lines += ["set logscale y", 'set format y "%g×"',
                  "set arrow from graph 0, first 1 to graph 1, first 1 "
                  "nohead lw 2"]
    elif scale == "log":
        smallest = min(x for _, v in series for x in v
                       if x is not None and x > 0)
        base = 10 ** math.floor(math.log10(smallest))
        lines += ["set logscale y", f"set yrange [{base!r}:*]"]
    else:
        base = 0
        # Room above the tallest bar, which would otherwise touch the frame.
        lines += ["set yrange [0:*]", "set offsets 0, 0, graph 0.08, 0"]
    width = 0.8 / len(series)
    plots = []
    for n, (t, _) in enumerate(series):
        x = f"($1{-0.4 + width * (n + 0.5):+.4f})"
        plots.append(
            f"{gp_string(dat)} using {x}:{n + 2}:({x}-{width / 2:.4f}):"
            f"({x}+{width / 2:.4f}):({base!r}):{n + 2} with boxxyerror "
            f"lc rgb {gp_string(t['colour'])} title {gp_string(t['short'])}")
    return lines + ["plot " + ", \\\n     ".join(plots)]


def png_terminal():
    """gnuplot-nox normally has pngcairo; the libgd png terminal is the
    fallback (gnuplot lists its terminals on stderr)."""
    listing = subprocess.run(["gnuplot", "-e", "set terminal"],
                             capture_output=True, text=True)
    if "pngcairo" in listing.stdout + listing.stderr:
        return 'pngcairo size 1600,1100 font "DejaVu Sans,11"'
    return "png size 1600,1100"


def chart_panels(workloads, targets):
    """The four panels: (dat name, title, ylabel, labels, series, scale)."""
    anchor = anchor_of(targets)
    panels = []
    for wl, title in (("speed", "(a) Speed suite: time ÷ native 17.5"),
                      ("rtt", "(b) Round-trip CRUD: time ÷ native 17.5")):
        labels, series = chart_series(workloads.get(wl, []), targets, anchor) \
            if anchor else ([], [])
        panels.append((f"chart-{wl}.dat", title,
                       "time ÷ native 17.5 (log, <1 = faster)",
                       labels, series, "ratio"))
    rows = [r for r in workloads.get("startup", []) + workloads.get("clone", [])
            if r["unit"] == "ms" and not r["id"].endswith("-first")]
    panels.append(("chart-startup.dat", "(c) Startup and clone",
                   "ms (log)", *chart_series(rows, targets), "log"))
    panels.append(("chart-memory.dat", "(d) PSS of N idle instances",
                   "MiB (log)",
                   *chart_series(workloads.get("memory", []), targets), "log"))
    return panels


def write_chart(out_dir, meta, workloads, targets):
    """Writes chart.png; a missing or failing gnuplot only costs the chart."""
    if shutil.which("gnuplot") is None:
        print("warning: gnuplot not found; chart.png skipped "
              "(apt-get install gnuplot-nox)", file=sys.stderr)
        return
    title = (f"pglite-native side-by-side, {meta.get('date', '')}, "
             f"scale {meta.get('scale', '')}")
    script = [f"set terminal {png_terminal()}", 'set output "chart.png"',
              f"set multiplot layout 2,2 title {gp_string(title)}"]
    for dat, *panel in chart_panels(workloads, targets):
        write_dat(out_dir / dat, panel[3])
        script += panel_script(dat, *panel)
    script.append("unset multiplot")
    (out_dir / "chart.gp").write_text("\n".join(script) + "\n",
                                      encoding="utf-8")
    run = subprocess.run(["gnuplot", "chart.gp"], cwd=out_dir,
                         capture_output=True, text=True)
    if run.returncode != 0:
        print(f"warning: gnuplot failed, chart.png skipped:\n{run.stderr}",
              file=sys.stderr)


# ---------------------------------------------------------------- main

def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", required=True, type=Path,
                        help="directory with meta.json and the result *.json")
    parser.add_argument("--out", required=True, type=Path,
                        help="where report.md, results.json and chart.png "
                        "go (created)")
    return parser.parse_args()  # exits 2 on bad arguments


def main():
    args = parse_args()
    try:
        if not args.results.is_dir():
            raise InputError(f"--results {args.results}: not a directory")
        meta = load_meta(args.results)
        results = load_results(args.results)
        args.out.mkdir(parents=True, exist_ok=True)
    except (InputError, OSError) as e:
        print(f"report.py: {e}", file=sys.stderr)
        return 2
    targets = build_targets(meta, results)
    assign_colours(targets)
    workloads = collect_workloads(targets, results)
    workloads = with_per_instance_rows(workloads)
    pairs = ratio_pairs(targets)
    geomeans = add_ratios(workloads, pairs)
    markdown = render_markdown(meta, targets, pairs, workloads, geomeans)
    (args.out / "report.md").write_text(markdown, encoding="utf-8")
    doc = results_document(meta, targets, pairs, workloads, geomeans)
    (args.out / "results.json").write_text(
        json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    write_chart(args.out, meta, workloads, targets)
    print(markdown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
