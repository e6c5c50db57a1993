def session_url(project, number):
    return f"/projects/{project.slug}/sessions/{number}/"


def field_url(project, number, name):
    return f"/projects/{project.slug}/sessions/{number}/fields/{name}/"


HTMX = {"HX-Request": "true"}
