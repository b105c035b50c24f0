"""The Textual UI. Only imported when the TUI starts."""
