from django.urls import path

from .views import (
    authorisations,
    cases,
    choices,
    contacts,
    data,
    log,
    login,
    overview,
    question,
    requests,
    signals,
)

app_name = "portal"
urlpatterns = [
    path("", overview.overview, name="overview"),
    path("inloggen/", login.login_page, name="login"),
    path("inloggen/demo/<str:username>/", login.demo_login, name="demo-login"),
    path("namens/", login.choose_subject, name="subject"),
    path("machtigingen/", authorisations.authorisations, name="authorisations"),
    path(
        "machtigingen/<uuid:authorisation_uuid>/intrekken/",
        authorisations.withdraw,
        name="authorisation-withdraw",
    ),
    path("gegevens/", data.my_data, name="data"),
    path("gegevens/correctie/<str:element>/", data.request_correction_view, name="correction"),
    path("gegevens/correcties/", data.corrections, name="corrections"),
    path(
        "gegevens/correcties/<uuid:correction_uuid>/",
        data.correction_detail,
        name="correction-detail",
    ),
    path("zaken/", cases.my_cases, name="cases"),
    path("zaken/<uuid:case_uuid>/", cases.case_detail, name="case"),
    path("zaken/<uuid:case_uuid>/upload/", cases.upload, name="case-upload"),
    path("zaken/<uuid:case_uuid>/<slug:action>/", cases.case_action, name="case-action"),
    path(
        "zaken/<uuid:case_uuid>/documenten/<uuid:document_uuid>/",
        cases.document,
        name="case-document",
    ),
    path("contacten/", contacts.my_contacts, name="contacts"),
    path("contacten/<uuid:contact_uuid>/", contacts.contact_detail, name="contact"),
    path("signalen/", signals.my_signals, name="signals"),
    path("signalen/<uuid:signal_uuid>/<slug:action>/", signals.signal_action, name="signal-action"),
    path("aanvragen/", requests.catalogue, name="requests"),
    path("aanvragen/<slug:form>/", requests.request_form, name="request-form"),
    path("privacy/", choices.my_choices, name="choices"),
    path("privacy/<slug:purpose>/", choices.change_choice, name="choice-change"),
    path("privacy/bewijs/<uuid:receipt_uuid>/", choices.receipt, name="receipt"),
    path("inzage/", log.who_looked, name="log"),
    path("vraag/", question.ask, name="question"),
]
