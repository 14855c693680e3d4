"""Carrying an agreement out: its action plan and monitoring reports (actions, forms, selectors,
views), the reporting periods (periods.py) and the daily reminders (reminders.py)."""
