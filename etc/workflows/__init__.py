"""The built-in workflows, as declarative JSON (see :mod:`core.workflow`)."""
