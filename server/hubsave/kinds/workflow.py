"""GitHub Actions workflows (`.github/workflows/*.yml`): each step's `run:` is command lines.

PyYAML's composer (its C parser when available) gives each scalar node the
line and column it starts at, which is all a position map needs; it is already
installed (huggingface_hub requires it) and imported only for a workflow that
mentions a job. A `run: |` block maps line for line at its indent, a one-line
`run: cmd` at its column; a quoted or folded multi-line value is skipped (its
text is not the file's text line for line).
"""

from __future__ import annotations

from .fragment import Fragment, Origin, Piece, file_lines, join


def fragments(text: str) -> list[Fragment]:
    lines, newline = file_lines(text)
    pieces = [piece for node in _run_values(text) if (piece := _piece(node, lines)) is not None]
    return [join("shell", [piece], {0: lines}, {0: newline}) for piece in pieces]


def _run_values(text: str):
    """Every scalar value of a `run` key, anywhere in the document(s)."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        roots = list(yaml.compose_all(text, Loader=loader))
    except yaml.YAMLError:  # half-typed: the next version will parse
        return
    stack = [root for root in roots if root is not None]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value == "run" and isinstance(value, yaml.ScalarNode):
                    yield value
                else:
                    stack.append(value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)


def _piece(node, lines: tuple[str, ...]) -> Piece | None:
    first = node.start_mark.line
    if node.style in ("|", ">"):
        body = [n for n in range(first + 1, min(node.end_mark.line + 1, len(lines)))]
        indents = [len(lines[n]) - len(lines[n].lstrip(" ")) for n in body if lines[n].strip()]
        if not indents:
            return None
        indent = indents[0]
        rows, origins = [], []
        for n in body:
            if lines[n].strip() and len(lines[n]) - len(lines[n].lstrip(" ")) < indent:
                break
            rows.append(lines[n][indent:])
            origins.append(Origin(0, n, min(indent, len(lines[n]))))
        return Piece(f"run at line {first + 1}", tuple(rows), tuple(origins))
    if node.end_mark.line != first:
        return None
    column = node.start_mark.column + (1 if node.style in ("'", '"') else 0)
    if lines[first][column : column + len(node.value)] != node.value:  # escapes: not the file's text
        return None
    return Piece(f"run at line {first + 1}", (node.value,), (Origin(0, first, column),))
