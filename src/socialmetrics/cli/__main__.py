"""`python -m socialmetrics.cli`: the same command as the `socialmetrics` script."""

from socialmetrics.cli.app import main

main()
