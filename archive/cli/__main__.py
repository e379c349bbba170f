import sys

from archive.cli import console

sys.exit(console())
