"""Registration's back office: the registrations list and exports, registration settings,
sign-up administration and the check-in desk.

Every page loads the event through events' `event_view`: anonymous users go to the login
page, anybody outside the host cluster's team gets 404 on every address and method. Inside
the team, organisers (`registration.manage_registrations`) may use every page; check-in staff
(`registration.check_in`) only the desk, and get 403 elsewhere, as on events' pages.
"""
