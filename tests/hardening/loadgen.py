"""Load for the running server: many open training scripts, typed into fast.

`Typist` plays an editor: per document a cursor that types code a character at a
time (one incremental didChange per keystroke, as editors send them), with
backspaces and jumps to other lines. It keeps every document's text so the test
knows what the server should have analyzed last. `proc_status` reads the server's
memory and thread count from /proc, from outside, as a user's `top` would.
"""

from __future__ import annotations

import ast
import os
import random
from dataclasses import dataclass

from lsprotocol import types

from tests.hardening.strategies import TEXTS

# What people type into training scripts: configs, Hub pushes, job submissions. Each is
# a top-level statement, typed after the end of one, so the finished text parses.
TYPED = [
    '\nconfig = SFTConfig(output_dir="out", push_to_hub=True, hub_model_id="alice/sft")',
    "\nargs = TrainingArguments(output_dir='o', learning_rate=2e-5, save_strategy=\"steps\")",
    '\nrun_uv_job("train.py", flavor="a10g-small", timeout="2h", secrets={"HF_TOKEN": "$HF_TOKEN"})',
    "\n# tune the schedule: warmup first, then cosine decay",
    "\ntrainer.push_to_hub()",
    "\nmodel.save_pretrained('final')",
]


def _parses(text: str) -> bool:
    try:
        ast.parse(text)
    except (SyntaxError, ValueError, RecursionError):
        return False
    return True


def training_script(rng: random.Random) -> str:
    """A realistic-sized script (~60-150 lines): a few corpus scripts one after another."""
    clean = [t.replace("\r", "") for t in TEXTS if "hubsave-settings" not in t and _parses(t)]
    while True:
        text = "\n\n".join(rng.sample(clean, 4))
        if _parses(text):
            return text


def position(text: str, offset: int, encoding: str) -> types.Position:
    """The LSP position of `offset`, in the position encoding the client negotiated."""
    head = text[:offset]
    line = head.count("\n")
    column = head[head.rfind("\n") + 1 :]
    units = {"utf-8": len(column.encode("utf-8")), "utf-32": len(column)}.get(encoding)
    return types.Position(line, len(column.encode("utf-16-le")) // 2 if units is None else units)


@dataclass
class Buffer:
    uri: str
    text: str
    version: int = 1
    cursor: int = 0
    typing: str = ""  # what is left of the statement being typed
    typed: int = 0  # characters of it typed so far


def statement_ends(text: str) -> list[int]:
    """Offsets of the ends of the lines where top-level statements end."""
    line_ends = [i for i, c in enumerate(text) if c == "\n"] + [len(text)]
    return [line_ends[node.end_lineno - 1] for node in ast.parse(text).body] or [len(text)]


class Typist:
    def __init__(self, rng: random.Random, buffers: list[Buffer], encoding: str) -> None:
        self.rng = rng
        self.buffers = buffers
        self.encoding = encoding

    def _change(self, buf: Buffer, start: int, end: int, new: str) -> types.DidChangeTextDocumentParams:
        change = types.TextDocumentContentChangePartial(
            range=types.Range(position(buf.text, start, self.encoding), position(buf.text, end, self.encoding)),
            text=new,
        )
        buf.text = buf.text[:start] + new + buf.text[end:]
        buf.cursor = start + len(new)
        buf.version += 1
        return types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=buf.uri, version=buf.version),
            content_changes=[change],
        )

    def keystroke(self) -> types.DidChangeTextDocumentParams:
        """The next keystroke, in a random document: its didChange, already applied here.
        Mid-statement the text does not parse, as while anyone types."""
        buf = self.rng.choice(self.buffers)
        if not buf.typing:  # the statement is done: start one after another statement
            buf.typing = self.rng.choice(TYPED)
            buf.cursor = self.rng.choice(statement_ends(buf.text))
            buf.typed = 0
        if self.rng.random() < 0.1 and buf.typed:  # backspace over what was just typed
            buf.typing = buf.text[buf.cursor - 1] + buf.typing
            buf.typed -= 1
            return self._change(buf, buf.cursor - 1, buf.cursor, "")
        char, buf.typing = buf.typing[0], buf.typing[1:]
        buf.typed += 1
        return self._change(buf, buf.cursor, buf.cursor, char)

    def finish(self) -> list[types.DidChangeTextDocumentParams]:
        """Complete every statement being typed in one change (a completion accepted), so
        every document ends in text that parses."""
        done = [self._change(buf, buf.cursor, buf.cursor, buf.typing) for buf in self.buffers if buf.typing]
        for buf in self.buffers:
            buf.typing, buf.typed = "", 0
        return done


# The server's threads: the main one; pygls's pool that reads stdin, at its largest
# (ThreadPoolExecutor's default size); the Hub pool (4); and one short-lived jedi
# lookup per config class the scripts use, once per session (a dozen classes at most).
# Nothing starts a thread per document, change or request.
THREAD_LIMIT = 1 + min(32, (os.cpu_count() or 1) + 4) + 4 + 12


def proc_status(pid: int) -> dict[str, int]:
    """The server's resident memory (kB) and thread count, from /proc."""
    values = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "Threads"):
                values[key] = int(value.split()[0])
    return values
