from django.contrib import admin

from barometre.apps.registry.models import Authority, RegistryLoad


@admin.register(Authority)
class AuthorityAdmin(admin.ModelAdmin[Authority]):
    list_display = (
        "code",
        "name",
        "kind",
        "type",
        "population_municipale",
        "stratum",
        "region",
        "departement",
        "active",
    )
    list_filter = ("kind", "type", "stratum", "region", "active")
    search_fields = ("code", "siren", "name", "name_search")
    raw_id_fields = ("epci", "region_council", "departement_council")
    readonly_fields = ("name_search",)


@admin.register(RegistryLoad)
class RegistryLoadAdmin(admin.ModelAdmin[RegistryLoad]):
    list_display = ("loaded_at", "version", "cog", "population_millesime", "created", "updated", "deactivated")
    readonly_fields = [f.name for f in RegistryLoad._meta.fields]
