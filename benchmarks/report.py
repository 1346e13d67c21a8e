"""Budgets from issue 7 as ratios within one run, and the markdown report."""

from __future__ import annotations

from typing import Any


def _get(data: dict, *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    return data


def _ratio_budget(name: str, numerator: Any, denominator: Any, limit: float, unit: str, strict: bool = False,
                  cpu: tuple[Any, Any] | None = None) -> dict:
    """numerator / denominator must be <= limit (< limit when strict).

    `cpu`, the same two quantities in server CPU time, is shown beside the wall-time
    ratio: it does not move when other work loads the machine.
    """
    if not isinstance(numerator, (int, float)) or not isinstance(denominator, (int, float)) or denominator <= 0:
        return {"budget": name, "status": "NOT MEASURED", "detail": "missing data"}
    ratio = numerator / denominator
    ok = ratio < limit if strict else ratio <= limit
    row = {
        "budget": name,
        "status": "PASS" if ok else "FAIL",
        "ratio": round(ratio, 2),
        "limit": limit,
        "detail": f"{numerator:g} {unit} vs {denominator:g} {unit}",
    }
    if cpu and all(isinstance(v, (int, float)) for v in cpu) and cpu[1] > 0:
        row["cpu_ratio"] = round(cpu[0] / cpu[1], 2)
        row["detail"] += f"; CPU {cpu[0]:g} vs {cpu[1]:g} ms, ratio {row['cpu_ratio']}"
    return row


# Keystroke series judged against ruff server (benchmarks/run.py SERIES): back to back and
# at typing pace, the scripted edits and the unterminated-string typing.
KEYSTROKE_SERIES = ("full", "full paced", "string typing", "string typing paced")


def _keystroke_budget(lat: dict, size: str, label: str, limit: float) -> dict:
    lines = "5,000" if size == "5000" else size
    return _ratio_budget(f"keystroke p95, {lines} lines, {label}: hubsave <= {limit:g}x ruff server",
                         _get(lat, "hubsave", size, label, "p95"), _get(lat, "ruff", size, label, "p95"), limit, "ms",
                         cpu=(_get(lat, "hubsave", size, label, "cpu", "p95"), _get(lat, "ruff", size, label, "cpu", "p95")))


def budgets(results: dict) -> list[dict]:
    lat = results.get("latency", {})
    rows = [
        *(_keystroke_budget(lat, size, label, limit)
          for size, limit in (("300", 2.0), ("5000", 3.0)) for label in KEYSTROKE_SERIES),
        _ratio_budget("keystroke p95, 5,000 lines: hubsave < one ast.parse of the file (median)",
                      _get(lat, "hubsave", "5000", "full", "p95"), _get(results, "floor", "ast_parse_5000", "median"),
                      1.0, "ms", strict=True, cpu=(_get(lat, "hubsave", "5000", "full", "cpu", "p95"),
                                                   _get(results, "floor", "ast_parse_5000", "cpu", "median"))),
        _ratio_budget("cold start median: hubsave <= 1.2x minimal pygls",
                      _get(results, "cold_start", "hubsave", "median"),
                      _get(results, "cold_start", "minimal-pygls", "median"), 1.2, "ms",
                      cpu=(_get(results, "cold_start", "hubsave", "cpu", "median"),
                           _get(results, "cold_start", "minimal-pygls", "cpu", "median"))),
        _ratio_budget("cold start median: hubsave < jedi-language-server",
                      _get(results, "cold_start", "hubsave", "median"),
                      _get(results, "cold_start", "jedi-language-server", "median"), 1.0, "ms", strict=True,
                      cpu=(_get(results, "cold_start", "hubsave", "cpu", "median"),
                           _get(results, "cold_start", "jedi-language-server", "cpu", "median"))),
        _ratio_budget("RSS with 200 documents: hubsave <= 1.5x minimal pygls",
                      _get(results, "memory", "hubsave", "rss_mib"),
                      _get(results, "memory", "minimal-pygls", "rss_mib"), 1.5, "MiB"),
        _ratio_budget("CLI on the 5,000-file tree (median): hubsave check <= ruff check --no-cache",
                      _get(results, "cli", "hubsave", "median"), _get(results, "cli", "ruff", "median"), 1.0, "ms",
                      cpu=(_get(results, "cli", "hubsave", "cpu", "median"), _get(results, "cli", "ruff", "cpu", "median"))),
        _ratio_budget("CLI on the 5,000-file tree, second run (median): hubsave check <= ruff check, both cached",
                      _get(results, "cli", "hubsave cached", "median"), _get(results, "cli", "ruff cached", "median"),
                      1.0, "ms", cpu=(_get(results, "cli", "hubsave cached", "cpu", "median"),
                                      _get(results, "cli", "ruff cached", "cpu", "median"))),
    ]
    hover_p95 = _get(results, "hover", "cached", "p95")
    if isinstance(hover_p95, (int, float)):
        rows.append({"budget": "cached hover p95 < 5 ms", "status": "PASS" if hover_p95 < 5 else "FAIL",
                     "ratio": round(hover_p95 / 5, 2), "limit": 1.0, "detail": f"{hover_p95:g} ms"})
    else:
        rows.append({"budget": "cached hover p95 < 5 ms", "status": "NOT MEASURED",
                     "detail": _get(results, "hover", "skipped") or "missing data"})
    return rows


def _dist_row(label: str, d: dict | None, cpu: bool = False) -> str:
    """min/median/p95/max; with `cpu`, the server CPU median and p95 as two more columns."""
    blanks = " | |" if cpu else ""
    if not d:
        return f"| {label} | - | - | - | - | - |{blanks}"
    if "skipped" in d:
        return f"| {label} | skipped: {d['skipped']} | | | | |{blanks}"
    if not d.get("n"):
        return f"| {label} | no samples | | | | |{blanks}"
    extra = f" ({d['missing']} missing)" if d.get("missing") else ""
    if d.get("truncated"):
        extra += " (stopped at the time budget)"
    row = f"| {label} | {d['n']}{extra} | {d['min']:.2f} | {d['median']:.2f} | {d['p95']:.2f} | {d['max']:.2f} |"
    if cpu:
        c = d.get("cpu") or {}
        row += f" {c.get('median', '-')} | {c.get('p95', '-')} |"
    return row


def markdown(results: dict) -> str:
    meta = results["meta"]
    out = [
        "# hubsave benchmark report",
        "",
        f"- when: {meta['when']}  mode: {meta['mode']}  wall time: {meta.get('wall_seconds', '?')} s",
        f"- machine: {meta['cpu']}, {meta['cores']} cores, Python {meta['python']}; load average (1/5/15 min) "
        f"{meta['load_average']['start']} at start, {meta['load_average']['end']} at end"
        + (": above the core count, other work shared the CPU, so absolute times are inflated (ratios less so)"
           if max(meta["load_average"]["start"][0], meta["load_average"]["end"][0]) > meta["cores"] else ""),
        f"- tools: {', '.join(f'{k} {v}' for k, v in meta['versions'].items())}",
        f"- command: `{meta['command']}`",
        "",
        "## Budgets (issue 7, ratios within this run)",
        "",
        "| budget | status | ratio | limit | measured |",
        "| --- | --- | --- | --- | --- |",
    ]
    for row in results["budgets"]:
        out.append(f"| {row['budget']} | **{row['status']}** | {row.get('ratio', '-')} | {row.get('limit', '-')} | {row['detail']} |")

    lat = results.get("latency", {})
    if lat:
        inputs = results.get("inputs", {})
        out += ["", "## Keystroke latency: didChange -> publishDiagnostics (ms)", "",
                f"Edits: {inputs.get('edits_desc', '')}", "",
                "Server CPU: CPU time the server process used per edit (all threads, /proc schedstat); unlike "
                "wall time it does not grow when other work loads the machine. A thread that ends between the two "
                "readings is missed: pylsp lints in short-lived timer threads, so its CPU is a lower bound.", "",
                "| server / lines / sync | n | min | median | p95 | max | server CPU median | server CPU p95 |",
                "| --- | --- | --- | --- | --- | --- | --- | --- |"]
        for server, sizes in lat.items():
            for size, modes in sizes.items():
                for mode, d in modes.items():
                    out.append(_dist_row(f"{server} / {size} / {mode}", d, cpu=True))
    if results.get("kinds"):
        out += ["", "## hubsave in the other file kinds: keystroke latency (ms)", "",
                "An option typed into a job's `hf jobs` command line and deleted again (Python files: the "
                "scripted edits), incremental changes, back to back. No budget: no reference tool reads these "
                "files; the Python rows of the same length are the comparison.", "",
                "| document | n | min | median | p95 | max | server CPU median | server CPU p95 |",
                "| --- | --- | --- | --- | --- | --- | --- | --- |"]
        for label, d in results["kinds"].items():
            out.append(_dist_row(label, d, cpu=True))
    if results.get("analysis"):
        out += ["", "## hubsave analysis alone: in-process `Session.analyze()` per edit (ms)", "",
                "The server's analysis of each new version, incremental as in the server, without pygls, "
                "JSON or the pipe: the share of a keystroke that is hubsave's own work.", "",
                "| lines | n | min | median | p95 | max |", "| --- | --- | --- | --- | --- | --- |"]
        for size, d in results["analysis"].items():
            out.append(_dist_row(size, d["timing"]))
        for size, d in results["analysis"].items():
            out += ["", f"Profile of `Session.analyze()` on the {size}-line document ({d['profiled_edits']} edits, cProfile, "
                        "seconds summed over the edits):", "", "```", d["profile_text"].rstrip(), "```"]
    if results.get("floor"):
        out += ["", "## The floor: ast.parse (ms)", "", "| what | n | min | median | p95 | max | CPU median | CPU p95 |",
                "| --- | --- | --- | --- | --- | --- | --- | --- |"]
        for key, d in results["floor"].items():
            out.append(_dist_row(key, d, cpu=True))
    if results.get("cold_start"):
        out += ["", "## Cold start: spawn -> initialize result (ms)", "",
                "| server | n | min | median | p95 | max | server CPU median | server CPU p95 |",
                "| --- | --- | --- | --- | --- | --- | --- | --- |"]
        for server, d in results["cold_start"].items():
            out.append(_dist_row(server, d, cpu=True))
    if results.get("memory"):
        out += ["", "## Memory: VmRSS after opening documents", "",
                "| server | documents | diagnostics published | RSS after initialize (MiB) | RSS with documents (MiB) |",
                "| --- | --- | --- | --- | --- |"]
        for server, d in results["memory"].items():
            if "skipped" in d:
                out.append(f"| {server} | skipped: {d['skipped']} | | | |")
            else:
                out.append(f"| {server} | {d['documents']} | {d['published']} | {d['rss_initialized_mib']} | {d['rss_mib']} |")
    if results.get("cli"):
        tree = results.get("tree", {})
        out += ["", f"## CLI on a generated tree ({tree.get('files', '?')} files, {tree.get('lines', '?')} lines; ms)", "",
                "CPU: user + system time of the command and its worker processes (ruff uses threads, "
                "hubsave check processes; both may use every core).", "",
                "| command | n | min | median | p95 | max | CPU median | CPU p95 |",
                "| --- | --- | --- | --- | --- | --- | --- | --- |"]
        for name, d in results["cli"].items():
            out.append(_dist_row(f"{name}: `{d.get('command', '')}` (exit {d.get('exit_code', '?')})", d, cpu=True))
    hover = results.get("hover")
    if hover:
        out += ["", "## Hover against the local stand-in Hub (ms)", ""]
        if "skipped" in hover:
            out.append(f"skipped: {hover['skipped']}")
        else:
            out += ["| hover | n | min | median | p95 | max |", "| --- | --- | --- | --- | --- | --- |",
                    _dist_row("uncached (first hover per repo)", hover.get("uncached")),
                    _dist_row("cached", hover.get("cached"))]
    for size, prof in results.get("profile", {}).items():
        if "skipped" in prof:
            prof = {"text": f"skipped: {prof['skipped']}"}
        out += ["", f"## Where the hubsave server spends the keystroke path (cProfile, {size} lines)", "",
                f"Server run twice under cProfile, with {prof.get('edits', '?')} edits and with none; the difference "
                "is below (seconds summed over the edits). Latency under the profiler: "
                f"{_get(prof, 'latency_under_profiler', 'median')} ms median.", "", "```", prof["text"].rstrip(), "```"]
    if results.get("profile_cli"):
        prof = results["profile_cli"]
        out += ["", "## Where `hubsave check` spends its time (cProfile, checked serially in one process)", "",
                f"{prof.get('seconds_under_profiler', '?')} s under the profiler, one core: the work the worker "
                "processes share.", "", "```", prof["text"].rstrip(), "```"]
    if results.get("notes"):
        out += ["", "## Notes", ""] + [f"- {note}" for note in results["notes"]]
    return "\n".join(out) + "\n"
