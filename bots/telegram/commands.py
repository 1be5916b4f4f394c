"""Telegram commands, translated into what a learner would type to the coach."""

from __future__ import annotations

#: Command -> (message sent to the coach, description shown in Telegram's menu).
#: ``{args}`` is replaced by whatever follows the command.
COMMANDS: dict[str, tuple[str, str]] = {
    "start": ("hello", "Meet the coach"),
    "help": ("help", "What the coach can do"),
    "goal": ("my goal is {args}", "Set or change your goal"),
    "assess": ("start the self-assessment", "Find where you stand"),
    "plan": ("make me a plan {args}", "A stacking plan to your goal"),
    "wallet": ("show my wallet", "Your badges and credentials"),
    "verify": ("how do I verify a badge", "Check a badge is authentic"),
    "reset": ("reset the conversation", "Start the conversation over"),
}

#: Commands handled by the adapter itself (data rights need files and confirmations).
EXPORT = "export"
ERASE = "erase"
ERASE_CONFIRM = "erase:confirm"
ERASE_CANCEL = "erase:cancel"


def command_message(command: str, args: list[str]) -> str | None:
    """The coach message for ``/command args``, or None for an unknown command."""
    entry = COMMANDS.get(command)
    if entry is None:
        return None
    return entry[0].replace("{args}", " ".join(args)).strip()
