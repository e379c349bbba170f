"""A story's history: identity, versions, sentence alignment, diffs and the changes they amount to; pure."""
