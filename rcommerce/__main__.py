"""``python -m rcommerce`` is the ``rcommerce`` command."""

from rcommerce.cli import main

main()
