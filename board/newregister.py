"""`board init DIR`: a new, empty register for a county, in Chinese.

`board.yaml` is the example's settings with their comments (templates/init/board.yaml), the
fields to fill in left empty (`board check` lists them), and a new `id:`: the register's
identity, which its output and its record of published months carry, so that two counties are
never built into one output (board.published). `projects/` and `reports/` are made empty.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

from .errors import BoardError
from .i18n import Msg
from .load import os_reason
from .render import default_templates


def init_register(folder: Path | str) -> str:
    """Make the register in `folder` (new or empty; anything else is refused) and return its id."""
    folder = Path(folder)
    try:
        if folder.exists() or folder.is_symlink():
            if not folder.is_dir():
                raise BoardError(Msg("msg.init.not_folder", path=folder))
            entries = sorted(p.name for p in folder.iterdir())
            if entries:  # a register's own board.yaml named first: the likeliest mistake
                example = "board.yaml" if "board.yaml" in entries else entries[0]
                raise BoardError(Msg("msg.init.not_empty", path=folder, example=example))
        register_id = str(uuid.uuid4())
        text = (default_templates() / "init" / "board.yaml").read_text(encoding="utf-8")
        folder.mkdir(parents=True, exist_ok=True)
        for sub in ("projects", "reports"):
            (folder / sub).mkdir()
        target = folder / "board.yaml"
        tmp = folder / ".board.yaml.tmp"
        tmp.write_text(text.replace("{{ id }}", register_id), encoding="utf-8")
        os.replace(tmp, target)
    except OSError as exc:
        raise BoardError(
            Msg("msg.init.failed", path=exc.filename or folder, reason=os_reason(exc))
        ) from None
    return register_id
