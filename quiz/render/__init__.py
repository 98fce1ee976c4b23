"""Markdown as Obsidian reads it: a markdown-it-py parser with our plugins.

Free of any UI library: it turns note text into markdown-it tokens; the TUI
draws them (``quiz.tui.obsidian``).
"""
