"""A local news site for `arsip demo`: two outlets, scripted edits between crawl rounds.

    with DemoSite() as site:          # serves http://127.0.0.1:<free port>
        Path("outlets.toml").write_text(site.outlets_toml())
        ...crawl...
        print(site.advance())         # round 2: the scripted corrections appear
"""

from crawler.demo.site import DemoSite

__all__ = ["DemoSite"]
