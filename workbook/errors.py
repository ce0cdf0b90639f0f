"""The one exception type the workbook side raises for problems the user can fix.

The command line turns it into Chinese lines on stderr and exit code 2; an add-in shows the same
lines in a message box.  Anything else escaping is a bug (exit code 1).
"""

from __future__ import annotations


class WorkbookInputError(Exception):
    """One or more Chinese messages, each naming the file, sheet or cell concerned."""

    def __init__(self, messages: str | list[str]) -> None:
        self.messages: list[str] = [messages] if isinstance(messages, str) else list(messages)
        super().__init__("\n".join(self.messages))
