"""Fixes: a finding's FixRequest becomes text edits, built only when asked for.

`recipes` and `apply` import libcst (`registry` holds the recipe table); `text_edit` does not, so the language server
can import it at start-up. Nothing here runs on the keystroke path.
"""
