from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from klantocratie.accounts.permissions import role_required
from klantocratie.accounts.roles import CLIENT_VIEW_ROLES

from . import selectors
from .forms import KnowledgeSearchForm

PAGE_SIZE = 10


@role_required(*CLIENT_VIEW_ROLES)
def search(request: HttpRequest) -> HttpResponse:
    form = KnowledgeSearchForm(request.GET or None)
    hits: list[selectors.SearchHit] = []
    searched = False
    if form.is_valid() and form.cleaned_data["q"].strip():
        searched = True
        data = form.cleaned_data
        hits = selectors.search_knowledge(
            data["q"],
            audience=data["audience"] or None,
            life_event=data["life_event"].slug if data["life_event"] else None,
            organisation=data["organisation"],
        )
    asked: list[selectors.AskedItem] = []
    if not searched:
        # What clients asked about lately: counts per answer or product, no personal data.
        data = form.cleaned_data if form.is_valid() else {}
        asked = selectors.most_asked(
            data.get("last_contacts") or 500,
            life_event=data.get("life_event"),
            organisation=data.get("organisation"),
        )
    page = Paginator(hits, PAGE_SIZE).get_page(request.GET.get("pagina"))
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(
        request,
        "knowledge/search.html",
        {
            "form": form,
            "page": page,
            "searched": searched,
            "query_string": query.urlencode(),
            "life_events": selectors.life_events(),
            "asked": asked,
        },
    )


@role_required(*CLIENT_VIEW_ROLES)
def answer_detail(request: HttpRequest, answer_uuid: str) -> HttpResponse:
    answer = selectors.get_active_answer(answer_uuid)
    if answer is None:
        raise Http404("Dit antwoord bestaat niet of is niet meer actief.")
    return render(
        request,
        "knowledge/answer.html",
        {"answer": answer, "related": selectors.related_active_answers(answer)},
    )


@role_required(*CLIENT_VIEW_ROLES)
def product_detail(request: HttpRequest, product_uuid: str) -> HttpResponse:
    product = selectors.get_product(product_uuid)
    if product is None:
        raise Http404("Onbekend product.")
    return render(
        request,
        "knowledge/product.html",
        {
            "product": product,
            "variants": selectors.local_variants(product),
            "answers": selectors.product_answers(product),
        },
    )


@role_required(*CLIENT_VIEW_ROLES)
def life_event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    event = selectors.get_life_event(slug)
    if event is None:
        raise Http404("Onbekende levensgebeurtenis.")
    return render(
        request,
        "knowledge/life_event.html",
        {
            "event": event,
            "answers": selectors.life_event_answers(event),
            "products": selectors.life_event_products(event),
        },
    )
