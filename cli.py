"""CLI entry point (also installed as the `pybossa-admin` console script)."""
from pybossa_admin.cli import main

if __name__ == "__main__":
    main()
