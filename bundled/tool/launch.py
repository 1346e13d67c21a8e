"""Start the hubsave language server for the VS Code extension (stdio).

HUBSAVE_IMPORT_STRATEGY=useBundled (default): the extension's bundled/libs comes
first on sys.path, so the server runs with no pip install in the user's Python.
fromEnvironment: the interpreter's own hubsave and libraries come first, and
bundled/libs is only the fallback for what the environment lacks.
"""

import os
import runpy
import sys

LIBS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "libs")


def main() -> None:
    if os.environ.get("HUBSAVE_IMPORT_STRATEGY") == "fromEnvironment":
        sys.path.append(LIBS)
    else:
        sys.path.insert(0, LIBS)
    import hubsave

    # stdout carries LSP messages; the log line goes to stderr (the Output channel).
    print(f"hubsave server from {os.path.dirname(hubsave.__file__)}", file=sys.stderr, flush=True)
    sys.argv = ["hubsave", "lsp"]
    runpy.run_module("hubsave", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
