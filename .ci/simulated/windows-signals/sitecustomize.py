"""Windows' signals, as far as CherryPy asks: no SIGHUP, no SIGUSR1."""
import signal

del signal.SIGHUP, signal.SIGUSR1
