"""`python -m server …` is the same as the `onoffice-mail-link` command."""

from .cli import main

main()
