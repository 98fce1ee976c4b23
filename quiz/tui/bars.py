"""Today's title bar and key bar: Textual's Header and Footer, each one widget.

Textual's ``Header`` is four widgets and its ``Footer`` one widget per key,
composed again once the screen's keys are known: on Today, the first screen,
the two cost a fifth of the time from start to painted list. These draw the
same lines, each as one widget that renders one line of text: the title bar
the app's title and sub-title between the command palette's icon and the
clock's place, the key bar the screen's shown keys and the palette's key.
Both keep what the learner uses of the originals: a click on the icon opens
the command palette, a click on a key presses it.

Titles and key names are text, never markup (``rich.text.Text``).
"""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.widget import Widget

#: Cells of the icon on the left of the title bar, and of the clock's place on the right.
ICON_WIDTH = 8
CLOCK_WIDTH = 10


class TitleBar(Widget):
    """The app's title and sub-title, centred, as Textual's ``Header`` shows them."""

    DEFAULT_CSS = """
    TitleBar {
        dock: top;
        width: 100%;
        height: 1;
        background: $panel;
        color: $foreground;
    }
    """

    ICON = "⭘"

    def on_mount(self) -> None:
        for owner in (self.app, self.screen):
            self.watch(owner, "title", self._retitle, init=False)
            self.watch(owner, "sub_title", self._retitle, init=False)

    def _retitle(self) -> None:
        self.refresh()

    def _titles(self) -> tuple[str, str]:
        screen, app = self.screen, self.app
        title = screen.title if screen.title is not None else app.title
        sub_title = screen.sub_title if screen.sub_title is not None else app.sub_title
        return title, sub_title

    def render(self) -> Text:
        title, sub_title = self._titles()
        text = Text(title, no_wrap=True, end="")
        if sub_title:
            text.append(" — ", "dim")
            text.append(sub_title, "dim")
        middle = max(0, self.size.width - ICON_WIDTH - CLOCK_WIDTH)
        if cell_len(text.plain) > middle:
            text.truncate(middle, overflow="ellipsis")
        left = (middle - cell_len(text.plain)) // 2
        # The icon, the gap and the title styled apart (the meta), so that a
        # screenshot draws each where the terminal would.
        line = Text(" ", no_wrap=True, end="")
        line.append(self.ICON, Style.from_meta({"icon": True}))
        line.append(" " * (ICON_WIDTH - 2 + left))
        text.stylize(Style.from_meta({"title": True}))
        line.append_text(text)
        return line

    async def _on_click(self, event: events.Click) -> None:
        if event.style.meta.get("icon"):
            event.stop()
            await self.run_action("app.command_palette")


class KeyBar(Widget):
    """The screen's shown keys and the command palette's, as Textual's ``Footer`` shows them."""

    ALLOW_SELECT = False

    COMPONENT_CLASSES: ClassVar[set[str]] = {"key-bar--key", "key-bar--description"}

    # Textual's Footer and FooterKey styles, on one widget.
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        text-wrap: nowrap;
        & > .key-bar--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .key-bar--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
    }
    """

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._keys_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _keys_changed(self, _screen: object) -> None:
        self.refresh()

    def _item(
        self, key: str, display: str, description: str, enabled: bool, *, compact: bool = False
    ) -> Text:
        # " a All due " as the Footer spaces a key; compact "^p palette".
        meta = Style.from_meta({"key": key, "enabled": enabled})
        dim = Style(dim=not enabled)
        item = Text(no_wrap=True, end="")
        item.append(
            display if compact else f" {display} ",
            self.get_component_rich_style("key-bar--key") + dim + meta,
        )
        if description:
            item.append(
                f" {description}" if compact else f"{description} ",
                self.get_component_rich_style("key-bar--description") + dim + meta,
            )
        return item

    def render(self) -> Text:
        app = self.app
        active = self.screen.active_bindings
        shown: dict[str, Text] = {}  # one item per action, as the Footer
        for _node, binding, enabled, _tooltip in active.values():
            if binding.show and binding.action not in shown:
                shown[binding.action] = self._item(
                    binding.key, app.get_key_display(binding), binding.description, enabled
                )
        keys = Text(no_wrap=True, end="").join(shown.values())
        palette = Text(no_wrap=True, end="")
        found = active.get(app.COMMAND_PALETTE_BINDING) if app.ENABLE_COMMAND_PALETTE else None
        if found is not None:
            _node, binding, enabled, _tooltip = found
            palette.append("▏", self._separator_style())
            palette.append_text(
                self._item(
                    binding.key,
                    app.get_key_display(binding),
                    binding.description,
                    enabled,
                    compact=True,
                )
            )
            palette.append(" ")
        room = max(0, self.size.width - palette.cell_len)
        keys.truncate(room, pad=True)
        return keys + palette

    def _separator_style(self) -> Style:
        # The Footer's "border-left: vkey $foreground 20%" on its background.
        styles = self.styles
        color = styles.background + styles.color.with_alpha(0.2)
        return Style(color=color.rich_color, bgcolor=styles.background.rich_color)

    async def _on_click(self, event: events.Click) -> None:
        meta = event.style.meta
        if "key" not in meta:
            return
        event.stop()
        if meta.get("enabled"):
            self.app.simulate_key(meta["key"])
        else:
            self.app.bell()
