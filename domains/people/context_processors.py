def current_person(request):
    """The signed-in person, for the header; None for visitors and bare accounts."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"current_person": None}
    return {"current_person": getattr(user, "person", None)}
