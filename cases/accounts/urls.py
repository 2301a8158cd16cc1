from django.urls import path

from cases.accounts import views

urlpatterns = [
    path(
        "sign-in/set-up-second-factor/",
        views.second_factor_enrol,
        name="second-factor-enrol",
    ),
    path("sign-in/second-factor/", views.second_factor_verify, name="second-factor-verify"),
    path("sign-in/confirm-it-is-you/", views.reauthenticate, name="reauthenticate"),
    path("signed-out/", views.signed_out, name="signed-out"),
    path("accounts/", views.account_list, name="account-list"),
    path("accounts/new/", views.account_create, name="account-create"),
    path("accounts/<int:account_id>/", views.account_detail, name="account-detail"),
    path("accounts/<int:account_id>/change/", views.account_change, name="account-change"),
    path(
        "accounts/<int:account_id>/deactivate/",
        views.account_deactivate,
        name="account-deactivate",
    ),
    path(
        "accounts/<int:account_id>/reactivate/",
        views.account_reactivate,
        name="account-reactivate",
    ),
    path(
        "accounts/<int:account_id>/reset-second-factor/",
        views.second_factor_reset,
        name="second-factor-reset",
    ),
    path("agency-accounts/", views.agency_accounts, name="agency-accounts"),
    path(
        "agency-accounts/<int:account_id>/confirm/",
        views.account_confirm,
        name="account-confirm",
    ),
    path(
        "agency-accounts/<int:account_id>/reject/",
        views.account_reject,
        name="account-reject",
    ),
]
