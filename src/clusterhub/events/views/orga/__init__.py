"""The organiser back office: events, rooms, sessions and the people in them.

Every page needs a logged-in member of the event's host cluster team; `access.event_view`
loads the event and checks the permission once. Writes are POST only and go through the forms,
which call the services.
"""
