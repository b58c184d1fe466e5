"""``python -m tongji``: the same as the ``tongji`` command."""

from tongji.cli import main

main()
