from django.urls import path

from wardkeeper.core.api_me import MeView
from wardkeeper.core.notifications import urls as notification_urls
from wardkeeper.core.views import accounts, audit, home, profile, roles, users

app_name = "core"

urlpatterns = [
    path("", home.home, name="home"),
    path("search/", home.search, name="search"),
    path("accounts/login/", accounts.LoginView.as_view(), name="login"),
    path("accounts/logout/", accounts.logout_view, name="logout"),
    path("accounts/mfa/", accounts.mfa_step, name="mfa"),
    path("accounts/mfa/enrol/", accounts.mfa_enrol, name="mfa-enrol"),
    path("accounts/mfa/remove/", accounts.mfa_remove, name="mfa-remove"),
    path("accounts/profile/", profile.profile, name="profile"),
    path(
        "accounts/password/",
        accounts.PasswordChangeView.as_view(),
        name="password-change",
    ),
    path("accounts/tokens/", profile.tokens, name="token-list"),
    path("accounts/tokens/<int:pk>/revoke/", profile.token_revoke, name="token-revoke"),
    path("admin/users/", users.user_list, name="user-list"),
    path("admin/users/new/", users.user_add, name="user-add"),
    path("admin/users/<int:pk>/", users.user_detail, name="user-detail"),
    path("admin/users/<int:pk>/edit/", users.user_edit, name="user-edit"),
    path("admin/users/<int:pk>/disable/", users.user_disable, name="user-disable"),
    path("admin/users/<int:pk>/enable/", users.user_enable, name="user-enable"),
    path(
        "admin/users/<int:pk>/password/",
        users.user_password_reset,
        name="user-password-reset",
    ),
    path("admin/roles/", roles.role_list, name="role-list"),
    path("admin/roles/users/", roles.role_user_list, name="role-user-list"),
    path("admin/roles/users/<int:pk>/", roles.user_roles, name="user-roles"),
    path(
        "admin/roles/users/<int:pk>/mfa-reset/",
        roles.user_mfa_reset,
        name="user-mfa-reset",
    ),
    path("admin/audit/", audit.audit_list, name="audit-list"),
    path("admin/audit/export/", audit.audit_export, name="audit-export"),
    path("admin/audit/<int:pk>/", audit.audit_detail, name="audit-detail"),
    path("api/me/", MeView.as_view(), name="api-me"),
    *notification_urls.urlpatterns,
]
