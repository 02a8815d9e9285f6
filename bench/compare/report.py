#!/usr/bin/env python3
"""Turn the result files of bench/compare.sh into report.md, results.json
and chart.png (the chart needs gnuplot; without it the chart is skipped).

    report.py --results DIR --out DIR

DIR holds meta.json (date, machine, versions, targets with their family
and storage) plus any number of *.json result files written by the
bench/compare runners; files of the same target are concatenated.
"""
import argparse
import json
import math
import shutil
import subprocess
import sys
from pathlib import Path

# Report order and table titles.
WORKLOADS = {
    "speed": "Speed suite (SQLite speedtest, PGlite's 18 tests)",
    "rtt": "Round-trip CRUD (trimmed mean)",
    "tpcb": "TPC-B-like, 1 client (per transaction)",
    "startup": "Startup",
    "memory": "Memory (PSS)",
}
# Only suites of many comparable rows get a geomean; for startup or memory
# a mean over unrelated rows would mean nothing.
GEOMEAN_WORKLOADS = ("speed", "rtt")
MISSING = "—"

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
    native-pg15 -> native: column headers must stay narrow."""
    words = target.split("-")
    if words[0] == "pglite" and len(words) > 1:
        words = words[1:]
    words = [{"memory": "mem", "nodefs": "fs"}.get(w, w) for w in words]
    if words[0] == "native":
        words = ["native"]
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
    """Returns {workload: [{"id", "title", "unit", "values": {target: v}}]}
    in report order, unknown workloads last."""
    rows, order = {}, {}
    for t in targets:
        seqs = {}
        for r in results[t["target"]]["rows"]:
            wl, rid = r["workload"], str(r["id"])
            row = rows.setdefault(wl, {}).setdefault(
                rid, {"id": rid, "title": r.get("title", ""),
                      "unit": r.get("unit", ""), "values": {}})
            if t["target"] in row["values"]:
                print(f"warning: {t['target']} has {wl}/{rid} twice; "
                      "the last one counts", file=sys.stderr)
            if r["value"] is not None:
                row["values"][t["target"]] = r["value"]
            seqs.setdefault(wl, []).append(rid)
        for wl, seq in seqs.items():
            order.setdefault(wl, []).append(seq)
    names = [w for w in WORKLOADS if w in rows] + \
            [w for w in rows if w not in WORKLOADS]
    return {wl: [rows[wl][rid] for rid in merge_order(order[wl])]
            for wl in names}


def ratio_pairs(targets):
    """For every target of ours: (key, header, ours, reference) against the
    native server and against PGlite on the same storage, when present."""
    native = next((t for t in targets if t["family"] == "native"), None)
    pairs = []
    for t in (t for t in targets if t["family"] == "ours"):
        pglite = next((p for p in targets if p["family"] == "pglite"
                       and p["storage"] == t["storage"]), None)
        if native:
            pairs.append((f"{t['target']}/native", f"{t['short']}/native",
                          t["target"], native["target"]))
        if pglite:
            pairs.append((f"{t['target']}/pglite", f"{t['short']}/PGlite",
                          t["target"], pglite["target"]))
    return pairs


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


def render_header(meta, targets):
    machine = meta.get("machine", {})
    versions = meta.get("versions", {})
    lines = [
        "# pglite-native: side-by-side benchmark",
        "",
        f"- date: {meta.get('date', '?')}, scale: {meta.get('scale', '?')}",
        "- machine: " + ", ".join(f"{k} {v}" for k, v in machine.items()),
        "- versions: " + ", ".join(f"{k} {v}" for k, v in versions.items()),
        "",
        "Targets (column headers):",
        "",
    ]
    lines += [f"- `{t['short']}`: {md_cell(t['title'])} "
              f"({t['family']}, {t['storage'] or 'storage unknown'})"
              for t in targets]
    lines += [
        "",
        "Ratio columns: `<ours>/native` = time of ours ÷ time of the native "
        "PostgreSQL server; `<ours>/PGlite` = time of ours ÷ time of PGlite "
        "on Node.js with the same storage (memory or disk). Below 1 means "
        "ours is faster; for memory the ratio is MiB ÷ MiB (below 1 = ours "
        f"uses less). {MISSING} = not measured. The geomean rows take the "
        "geometric mean over the rows where both values exist.",
        "",
    ]
    return lines


def render_table(wl, rows, geomean_row, targets, pairs):
    units = sorted({r["unit"] for r in rows if r["unit"]})
    title = WORKLOADS.get(wl, wl)
    lines = [f"## {title}" + (f" ({', '.join(units)})" if units else ""), ""]
    header = ["test"] + [t["short"] for t in targets] + [p[1] for p in pairs]
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|---" + "|---:" * (len(header) - 1) + "|")
    for r in rows:
        label = f"{r['id']}: {r['title']}" if r["title"] else r["id"]
        cells = [md_cell(label)]
        cells += [fmt_value(r["values"].get(t["target"]), r["unit"])
                  for t in targets]
        cells += [fmt_ratio(r["ratios"][p[0]]) for p in pairs]
        lines.append("| " + " | ".join(cells) + " |")
    if geomean_row is not None:
        cells = ["**geomean**"] + [""] * len(targets)
        cells += [f"**{fmt_ratio(geomean_row[p[0]])}**" for p in pairs]
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    return lines


def render_markdown(meta, targets, pairs, workloads, geomeans):
    lines = render_header(meta, targets)
    for wl, rows in workloads.items():
        lines += render_table(wl, rows, geomeans.get(wl), targets, pairs)
    return "\n".join(lines)


# ---------------------------------------------------------------- json

def results_document(meta, targets, pairs, workloads, geomeans):
    """Missing values and undefined ratios are left out, not null."""
    doc = {"meta": meta,
           "targets": [{k: t[k] for k in ("target", "short", "title",
                                          "family", "storage")}
                       for t in targets],
           "workloads": {}}
    for wl, rows in workloads.items():
        entry = {"title": WORKLOADS.get(wl, wl), "rows": [
            {"id": r["id"], "title": r["title"], "unit": r["unit"],
             "values": r["values"],
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
    native = next((t for t in targets if t["family"] == "native"), None)
    panels = []
    for wl, title in (("speed", "(a) Speed suite: time ÷ native"),
                      ("rtt", "(b) Round-trip CRUD: time ÷ native")):
        labels, series = chart_series(workloads.get(wl, []), targets, native) \
            if native else ([], [])
        panels.append((f"chart-{wl}.dat", title,
                       "time ÷ native (log, <1 = faster)",
                       labels, series, "ratio"))
    rows = workloads.get("startup", []) + workloads.get("tpcb", [])
    panels.append(("chart-startup.dat",
                   "(c) Startup and TPC-B-like transaction",
                   "ms (log)", *chart_series(rows, targets), "log"))
    panels.append(("chart-memory.dat", "(d) Memory (PSS)", "MiB",
                   *chart_series(workloads.get("memory", []), targets),
                   "linear"))
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
