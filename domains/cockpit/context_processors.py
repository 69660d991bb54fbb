from .views import menu


def cockpit(request):
    """The cockpit menu and the acting person, for the header of every page."""
    return {"cockpit_menu": menu(request), "actor": getattr(request, "actor", None)}
