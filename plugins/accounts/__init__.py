"""Accounts: every user with search, filters, sort and keyset pages; per-user actions; CSV export."""
from pybossa_admin.plugin import AdminCard, Plugin


def _views():
    from .views import AccountsView
    return [AccountsView(name="Accounts", url="/admin/accounts", endpoint="accounts", category="People")]


def _count():
    from .queries import estimated_user_count
    return estimated_user_count()


plugin = Plugin(
    name="accounts",
    version="1.0.0",
    description="Users: search, filter, sort, activate or deactivate, admin and pro roles, reset links, "
                "sign out everywhere, streamed CSV export.",
    admin_views=_views,
    cards=(AdminCard("Accounts", "accounts.index", "Users, roles, reset links and sign-outs", count=_count),),
    config={"ACCOUNTS_PER_PAGE": 50},
)
