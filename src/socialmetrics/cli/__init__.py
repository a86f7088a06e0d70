"""The `socialmetrics` command: parse options, call one library function, print.

`app` holds the commands, `mapping` and `dev` their sub-commands, `render` how output looks.
"""

from socialmetrics.cli.app import app, main

__all__ = ["app", "main"]
