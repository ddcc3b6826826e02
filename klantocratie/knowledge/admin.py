"""Editors maintain the knowledge base here (/beheer/); every save keeps search in step."""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from . import services
from .models import LifeEvent, LocalVariant, Product, QuestionAnswer


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "by_municipality",
        "by_national_government",
        "for_residents",
        "for_businesses",
        "sdg_code",
        "last_reviewed",
    ]
    list_filter = [
        "by_municipality",
        "by_national_government",
        "by_province",
        "by_water_board",
        "for_residents",
        "for_businesses",
        "is_application",
        "is_subsidy",
        "is_notification",
        "is_obligation",
        "life_events",
    ]
    search_fields = ["name", "uri", "keywords"]
    readonly_fields = ["uuid", "uri", "legal_bases"]
    ordering = ["name"]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        services.index_products([form.instance])

    def delete_model(self, request: HttpRequest, obj: Product) -> None:
        services.unindex(obj.uuid)
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Product]) -> None:
        for product in queryset:
            services.unindex(product.uuid)
        super().delete_queryset(request, queryset)


@admin.register(LifeEvent)
class LifeEventAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "audience", "position"]
    list_filter = ["audience"]
    list_editable = ["position"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["products"]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        before = set(form.instance.products.values_list("pk", flat=True)) if change else set()
        super().save_related(request, form, formsets, change)
        # Product documents carry their life events' names, both those added and removed.
        after = set(form.instance.products.values_list("pk", flat=True))
        services.index_products(Product.objects.filter(pk__in=before | after))


@admin.register(QuestionAnswer)
class QuestionAnswerAdmin(admin.ModelAdmin):
    list_display = ["question", "status", "audience", "source_name", "last_reviewed"]
    list_filter = ["status", "audience", "organisations", "life_events", "last_reviewed"]
    search_fields = ["question", "answer", "keywords", "slug"]
    prepopulated_fields = {"slug": ["question"]}
    autocomplete_fields = ["products", "related_questions"]
    filter_horizontal = ["organisations", "life_events"]
    readonly_fields = ["uuid"]
    actions = ["deactivate"]
    fieldsets = [
        (None, {"fields": ["question", "slug", "answer", "status", "audience"]}),
        (
            "Bron",
            {"fields": ["source_name", "source_url", "last_reviewed"]},
        ),
        (
            "Indeling",
            {
                "fields": [
                    "organisations",
                    "departments",
                    "life_events",
                    "products",
                    "related_questions",
                    "keywords",
                ]
            },
        ),
        ("Systeem", {"fields": ["uuid"], "classes": ["collapse"]}),
    ]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        services.index_answer(form.instance)
        services.index_products(form.instance.products.all())

    def delete_model(self, request: HttpRequest, obj: QuestionAnswer) -> None:
        services.unindex(obj.uuid)
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[QuestionAnswer]) -> None:
        for answer in queryset:
            services.unindex(answer.uuid)
        super().delete_queryset(request, queryset)

    @admin.action(description="Geselecteerde antwoorden op inactief zetten")
    def deactivate(self, request: HttpRequest, queryset: QuerySet[QuestionAnswer]) -> None:
        count = services.deactivate_answers(queryset)
        self.message_user(request, f"{count} antwoord(en) op inactief gezet.")


@admin.register(LocalVariant)
class LocalVariantAdmin(admin.ModelAdmin):
    list_display = ["product", "municipality", "fee", "last_reviewed"]
    list_filter = ["municipality", "last_reviewed"]
    search_fields = ["product__name", "conditions"]
    autocomplete_fields = ["product"]

    def save_model(self, request: HttpRequest, obj: LocalVariant, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        services.index_products([obj.product])
