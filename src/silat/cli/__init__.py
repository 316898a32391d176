"""The ``silat`` console script and its subcommands."""
