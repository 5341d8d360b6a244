"""A system whose tables say .js is application/javascript, as macOS's
/etc/apache2/mime.types does and a Windows registry may. CherryPy serves
static files with the type Python's mimetypes gives: its own default where the
system has no table (application/javascript up to 3.11, text/javascript from
3.12 on), else the table's."""
import mimetypes
import sys
from pathlib import Path

# Instead of the system's tables (Debian's /etc/mime.types says text/javascript):
if sys.version_info < (3, 12):
    mimetypes.knownfiles[:] = []  # none: Python's own default
else:
    mimetypes.knownfiles[:] = [str(Path(__file__).with_name("mime.types"))]
