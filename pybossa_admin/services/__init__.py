"""Mutations: validate, write, audit, emit signals. Views, API and CLI call these."""
