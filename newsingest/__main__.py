"""python -m newsingest, and the installed `newsingest` command: the same command line."""

import os
import signal


def _interrupted_while_starting(signum, frame):
    os.write(2, b"interrupted\n")
    os._exit(130)  # EXIT_INTERRUPTED; nothing is open yet


def main() -> None:
    """Run the command line; Ctrl-C while Python is still importing it is one line too."""
    # Importing click and the rest takes a few hundred milliseconds on a busy machine; a
    # KeyboardInterrupt there would print an import traceback. The command line puts Python's
    # usual handler back as soon as a command starts (see cli._Group).
    if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:
        signal.signal(signal.SIGINT, _interrupted_while_starting)
    from .cli import cli

    cli(prog_name="newsingest")


if __name__ == "__main__":
    main()
