"""Outside formats and systems: media storage, images, importers, feeds, webhooks, mail."""
