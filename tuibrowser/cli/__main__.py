"""``python -m tuibrowser.cli``: the command line, as the installed ``tuibrowser`` runs it."""

from . import main

if __name__ == "__main__":
    main()
