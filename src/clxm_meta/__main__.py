"""``python -m clxm_meta`` runs the command line."""

from clxm_meta.cli import entry

entry()
