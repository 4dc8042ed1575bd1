from django.conf import settings


def site(request):
    return site_context()


def site_context() -> dict:
    """The newsroom's own words, for every page (and the cached header, rendered apart)."""
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_TAGLINE": settings.SITE_TAGLINE,
        "SITE_DESCRIPTION": settings.SITE_DESCRIPTION,
        "SITE_FOOTER_NOTE": settings.SITE_FOOTER_NOTE,
    }
