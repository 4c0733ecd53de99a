from django.contrib import admin

from clusterhub.common.models import ActivityLogEntry


@admin.register(ActivityLogEntry)
class ActivityLogEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "action", "actor", "object_repr"]
    list_filter = ["action"]
    search_fields = ["object_repr", "action"]
    readonly_fields = [f.name for f in ActivityLogEntry._meta.fields]
