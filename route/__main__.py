"""``python -m route``: the same as the ``route`` command."""

from .cli import main

main()
