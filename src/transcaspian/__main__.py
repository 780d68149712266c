"""``python -m transcaspian`` runs the CLI."""

from transcaspian.cli.app import main

main()
