"""Development server: `python run.py [--demo] [--host H] [--port P]`, the same as `pybossa-admin run`."""
import sys

from pybossa_admin.cli import main

if __name__ == "__main__":
    sys.argv = [sys.argv[0], "run", *sys.argv[1:]]
    main()
