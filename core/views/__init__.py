"""The HTML pages of the kernel, rendered in the theme.

Each module holds the views of one feature; views are thin: they read the
request, call :mod:`core.operations` or the model, and render a template.
"""


def includeme(config) -> None:
    config.include("core.errors")
    config.include("core.methods")
    config.include("core.views.users")
    config.scan("core.views")
