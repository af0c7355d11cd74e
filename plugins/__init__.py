"""Built-in plugins, one package each; registered through the ``cong.plugins``
entry-point group exactly like third-party plugins."""
