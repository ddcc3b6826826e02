"""Ask once: request forms that government fills in from what it already knows.

A form is a versioned definition in the pack (`forms/*.yaml`) that starts a case of
one case type. Its fields are *known* (read from a source through the privacy gate and
shown for confirmation, never editable) or *asked* (what government does not know).
See docs/ask-once.md.
"""
