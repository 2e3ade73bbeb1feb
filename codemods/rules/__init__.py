"""The rules of `scaffold check`, one module each, named `scfNNN_what_it_checks.py`."""
