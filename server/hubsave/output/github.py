"""`--format github`: GitHub Actions workflow commands, shown as annotations on the diff.

`::error file=F,line=L,col=C,endLine=L2,endColumn=C2,title=T::message`. Values are
escaped as the Actions runner unescapes them: `%`, CR and LF everywhere, and `:` and
`,` in properties too (they would end the property). Paths are relative to the
working directory (the checkout), as annotations need.
"""

from __future__ import annotations

from typing import TextIO

from . import cell_prefix, display_path, not_checked

COMMANDS = {"error": "error", "warning": "warning", "information": "notice", "hint": "notice"}


def escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def command(name: str, message: str, **properties: object) -> str:
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
    return f"::{name} {props}::{escape_data(message)}"


def write(results: list, out: TextIO) -> None:
    for result in results:
        problem = not_checked(result)
        if problem:
            out.write(command(problem[0], problem[1], file=display_path(result.path), title="hubsave") + "\n")
        for f in result.findings:
            where = {} if "cell" in f else {
                "line": f["line"], "col": f["column"], "endLine": f["end_line"], "endColumn": f["end_column"]
            }
            name, message = COMMANDS[f["severity"]], cell_prefix(f) + f["message"]
            out.write(command(name, message, file=display_path(f["path"]), **where, title=f"hubsave {f['code']}") + "\n")
