# output/ holds the installed extension (with its bundled libraries' own test files)
# and the workspace copy: never collect from it.
collect_ignore = ["output"]
