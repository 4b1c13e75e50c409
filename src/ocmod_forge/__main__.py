"""``python -m ocmod_forge``."""

from .cli import main

main(prog_name="ocmod-forge")
