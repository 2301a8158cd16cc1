from django.urls import path
from oauth2_provider.views import TokenView

from cases.clients import views

urlpatterns = [
    # The OAuth 2.0 token endpoint (client-credentials grant) for agencies' systems.
    path("oauth/token/", TokenView.as_view(), name="oauth-token"),
    path("clients/", views.client_list, name="client-list"),
    path("clients/new/", views.client_register, name="client-register"),
    path("clients/<int:client_id>/", views.client_detail, name="client-detail"),
    path("clients/<int:client_id>/suspend/", views.client_suspend, name="client-suspend"),
    path("clients/<int:client_id>/reactivate/", views.client_reactivate, name="client-reactivate"),
    path("clients/<int:client_id>/rotate/", views.client_rotate, name="client-rotate"),
]
