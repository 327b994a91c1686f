from django.urls import path

from wardkeeper.core.views import accounts, audit, home

app_name = "core"

urlpatterns = [
    path("", home.home, name="home"),
    path("search/", home.search, name="search"),
    path("accounts/login/", accounts.LoginView.as_view(), name="login"),
    path("accounts/logout/", accounts.logout_view, name="logout"),
    path("accounts/mfa/", accounts.mfa, name="mfa"),
    path("accounts/profile/", accounts.profile, name="profile"),
    path(
        "accounts/password/",
        accounts.PasswordChangeView.as_view(),
        name="password-change",
    ),
    path("accounts/tokens/", accounts.tokens, name="token-list"),
    path("admin/users/", accounts.user_list, name="user-list"),
    path("admin/roles/", accounts.role_list, name="role-list"),
    path("admin/audit/", audit.audit_list, name="audit-list"),
]
