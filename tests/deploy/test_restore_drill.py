"""The restore drill (deploy/restore-drill.sh) backs up a running database, restores it into a
throwaway one and proves the copy complete: same companies, declarations, published revisions,
byte-identical published snapshots. It fails loudly when they differ, and never touches the
database it checks."""

import os
import shutil
import subprocess
from pathlib import Path
from typing import NamedTuple

import pytest

from tests.deploy import databases
from tests.deploy.servers import BASE_DIR

pytestmark = pytest.mark.postgres

BACKUP = BASE_DIR / "deploy" / "backup.sh"
DRILL = BASE_DIR / "deploy" / "restore-drill.sh"


def _run(script: Path, *args: str, database_url: str, **env: str) -> subprocess.CompletedProcess:
    inherited = {name: os.environ[name] for name in ("PATH", "HOME", "LANG") if name in os.environ}
    return subprocess.run(
        ["bash", str(script), *args],
        env={**inherited, "DATABASE_URL": database_url, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


class Source(NamedTuple):
    name: str
    url: str
    restored: str


@pytest.fixture(scope="module")
def source(database_copy) -> Source:
    """A copy of the seeded demo, and the name the drill restores it under."""
    name, url = database_copy
    return Source(name, url, f"{name}_restored")


@pytest.fixture(scope="module")
def drill(source) -> subprocess.CompletedProcess:
    """One drill of the whole chain, as an operator runs it: back up now, restore, compare."""
    return _run(DRILL, database_url=source.url, RESTORE_DRILL_DATABASE=source.restored)


@pytest.fixture(scope="module")
def backup(source, tmp_path_factory) -> Path:
    """A backup made earlier, as the nightly job leaves it: the dump and its manifest."""
    result = _run(BACKUP, str(tmp_path_factory.mktemp("backups")), database_url=source.url)
    assert result.returncode == 0, result.stderr
    return Path(result.stdout.strip())


def test_the_drill_restores_a_fresh_backup_and_finds_it_complete(drill):
    assert drill.returncode == 0, drill.stdout + drill.stderr
    assert drill.stdout.rstrip().endswith("restore drill: OK")


def test_the_drill_reports_the_figures_of_the_database_it_backed_up(source, drill):
    [(companies, declarations, revisions)] = databases.query(
        source.name,
        "SELECT (SELECT count(*) FROM members_company), (SELECT count(*) FROM measures_declaration),"
        " (SELECT count(*) FROM bulletins_bulletinrevision)",
    )
    [(latest_id, latest_md5)] = databases.query(
        source.name,
        "SELECT id, md5(snapshot::text) FROM bulletins_bulletinrevision ORDER BY published_at DESC, id DESC LIMIT 1",
    )

    assert companies > 0 and declarations > 0 and revisions > 0
    assert f"companies={companies}\n" in drill.stdout
    assert f"declarations={declarations}\n" in drill.stdout
    assert f"published_revisions={revisions}\n" in drill.stdout
    assert f"latest_revision_snapshot_md5={latest_id}:{latest_md5}\n" in drill.stdout


def test_the_throwaway_database_is_dropped_after_the_drill(source, drill):
    assert drill.returncode == 0
    assert not databases.exists(source.restored)


def test_the_drill_restores_a_backup_made_earlier(source, backup):
    result = _run(DRILL, str(backup), database_url=source.url, RESTORE_DRILL_DATABASE=source.restored)

    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Restoring {backup.name} into {source.restored}" in result.stdout


def test_the_drill_fails_when_the_restored_data_differ_from_the_backup(source, backup, tmp_path):
    dump = Path(shutil.copy(backup, tmp_path))
    manifest = dump.with_suffix(".manifest")
    # A backup that lost a published correction: its manifest promised one revision more.
    manifest.write_text(
        "\n".join(
            f"published_revisions={int(line.partition('=')[2]) + 1}"
            if line.startswith("published_revisions=")
            else line
            for line in backup.with_suffix(".manifest").read_text().splitlines()
        )
        + "\n"
    )

    result = _run(DRILL, str(dump), database_url=source.url, RESTORE_DRILL_DATABASE=source.restored)

    assert result.returncode != 0
    assert "the restored database differs from the backup" in result.stderr
    assert "-published_revisions=" in result.stdout
    assert not databases.exists(source.restored)


def test_the_drill_refuses_to_restore_over_the_database_it_checks(source):
    result = _run(DRILL, database_url=source.url, RESTORE_DRILL_DATABASE=source.name)

    assert result.returncode != 0
    assert "would restore over the database it checks" in result.stderr
    assert databases.query(source.name, "SELECT count(*) FROM members_company")[0][0] > 0


def test_a_backup_is_readable_by_its_owner_only(backup):
    assert backup.stat().st_mode & 0o777 == 0o600
    assert backup.with_suffix(".manifest").stat().st_mode & 0o777 == 0o600
