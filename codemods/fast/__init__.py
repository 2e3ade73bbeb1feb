"""The detection path of `scaffold check` on CPython's `ast` (the C parser): the same rules, findings and positions
as the libcst engine in `lint/`, at a fraction of the cost, and without importing libcst. A file whose findings
need libcst (a fix to mark, a suppression comment to place) is handed back to the libcst engine."""
