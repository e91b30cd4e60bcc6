"""Subcommands of the `tunnelsight` CLI: argument parsing and output only, no domain logic."""
