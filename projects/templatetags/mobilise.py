from django import template
from django.urls import reverse

from projects.models import OverallRAG

register = template.Library()

# A project's areas in the order people work through them. Every entry must reverse: a
# missing area is an error (a failing page and test), never a quietly shorter menu.
PROJECT_NAV = [
    ("Dashboard", "projects:detail", ()),
    ("Stakeholders", "projects:stakeholders", ()),
    ("Session 1", "alignment:session", (1,)),
    ("Session 2", "alignment:session", (2,)),
    ("Session 3", "alignment:session", (3,)),
    ("Brief", "alignment:brief", ()),
    ("Work plan", "plan:plan", ()),
    ("Communications", "plan:communications", ()),
    ("RACI", "raci:matrix", ()),
    ("Risks", "risks:register", ()),
    ("Issues", "risks:issues", ()),
    ("Reports", "reports:reports", ()),
    ("Documents", "reports:documents", ()),
    ("Data", "exchange:data", ()),
    ("History", "projects:history", ()),
]


@register.inclusion_tag("includes/project_nav.html", takes_context=True)
def project_nav(context, project):
    path = context["request"].path
    links = []
    for label, name, extra in PROJECT_NAV:
        url = reverse(name, args=[project.slug, *extra])
        current = path == url or (name != "projects:detail" and path.startswith(url))
        links.append({"label": label, "url": url, "current": current})
    return {"links": links}


RAG_CLASSES = {"green": "rag-green", "amber": "rag-amber", "red": "rag-red"}


def rag_css(value):
    """The badge's class: grey ("rag-none") for not assessed or not set."""
    return RAG_CLASSES.get(value, "rag-none")


@register.inclusion_tag("includes/rag.html")
def rag(value, label=""):
    """A RAG badge that carries its word, so colour is never the only signal."""
    word = OverallRAG(value).label if value in OverallRAG.values else "Not set"
    return {"value": value or "", "word": word, "css": rag_css(value), "label": label}


@register.filter(is_safe=True)
def full_stop(value):
    """Ends a sentence that ends in user text: "... a market sounding." never "sounding.."."""
    text = str(value).rstrip()
    return text if not text or text[-1] in ".!?…" else text + "."
