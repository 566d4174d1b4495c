"""Bundled OpenAPI documents -> a self-contained static documentation site."""

from generator.docs.render import SiteStats, render_site

__all__ = ["SiteStats", "render_site"]
