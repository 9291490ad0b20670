"""What the command does with a user's mistake and with Ctrl-C (no imports)."""

EXIT_USER_ERROR = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports Ctrl-C


class UserError(Exception):
    """A mistake in the command's input, reported as one line, no traceback."""
