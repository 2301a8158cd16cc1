"""Accounts: the second factor at sign-in, idle timeout, re-authentication, and the GOV.UK pages
administrators and leads use to create, change, confirm and deactivate accounts."""
