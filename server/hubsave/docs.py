"""Rule documentation, rendered from the registry: docs/rules.md and the README's table.

`python -m hubsave.docs` rewrites both; a test fails when they are out of date.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from .analysis.rules import RULES

_TABLE = re.compile(r"<!-- rules:start -->.*?<!-- rules:end -->", re.S)


def _rules():
    return sorted(RULES.values(), key=lambda r: r.code)


def rules_table() -> str:
    rows = ["| code | name | default | fix | what goes wrong |", "| --- | --- | --- | --- | --- |"]
    for rule in _rules():
        note = " (opt-in)" if rule.opt_in else ""
        rows.append(
            f"| [{rule.code}](docs/rules.md#{rule.code.lower()}) | {rule.name} | {rule.severity.label}{note} | "
            f"{rule.fix_grades} | {rule.summary.replace('|', '/')} |"
        )
    return "\n".join(rows)


def rules_markdown() -> str:
    parts = ["# hubsave rules", "", "Generated from the rule registry by `python -m hubsave.docs`; do not edit.", ""]
    for rule in _rules():
        body = re.sub(r"^## ", "#### ", rule.doc, flags=re.M)
        parts += [
            f"## {rule.code}",
            "",
            f"**{rule.name}** — default severity: {rule.severity.label}"
            + (" (opt-in)" if rule.opt_in else "")
            + f"; fix: {rule.fix_grades or 'none'}.",
            "",
            body,
            "",
        ]
    return "\n".join(parts)


def rule_page(code: str) -> str | None:
    """One rule's documentation as `hubsave rule CODE` prints it; None for an unknown code."""
    from .analysis.rules import lookup

    rule = lookup(code)
    if rule is None:
        return None
    opt_in = " (opt-in)" if rule.opt_in else ""
    fix = rule.fix_grades or "none"
    return f"# {rule.code} {rule.name}\n\nDefault severity: {rule.severity.label}{opt_in}. Fix: {fix}.\n\n{rule.doc}"


def render(root: Path) -> dict[Path, str]:
    readme = root / "README.md"
    text = readme.read_text(encoding="utf-8")
    table = f"<!-- rules:start -->\n{rules_table()}\n<!-- rules:end -->"
    return {readme: _TABLE.sub(lambda _: table, text), root / "docs" / "rules.md": rules_markdown()}


def main() -> int:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path.cwd()
    for path, content in render(root).items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
