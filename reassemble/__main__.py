"""``python -m reassemble``: the same CLI as the ``reassemble`` command."""

from .cli import main

if __name__ == "__main__":
    main()
