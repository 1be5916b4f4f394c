"""Telegram channel: python-telegram-bot handlers over the channel-neutral coach."""
