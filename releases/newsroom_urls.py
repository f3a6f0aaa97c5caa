"""Newsroom routes: lists, search, feeds, sitemap, robots, release media (checked by the gate)."""

app_name = "newsroom"

urlpatterns = []
