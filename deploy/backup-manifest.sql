-- What a backup must give back, computed on the database backed up (in the same snapshot as the
-- dump, by deploy/backup.sh) and on its restored copy (deploy/restore-drill.sh): the two must be
-- identical, line for line. Published snapshots are compared byte for byte through their digests:
-- they are what the press and ministries quote.
SELECT line FROM (
  SELECT 1 AS position, 'companies=' || count(*) AS line FROM members_company
  UNION ALL SELECT 2, 'declarations=' || count(*) FROM measures_declaration
  UNION ALL SELECT 3, 'published_revisions=' || count(*) FROM bulletins_bulletinrevision
  UNION ALL SELECT 4, 'users=' || count(*) FROM accounts_user
  UNION ALL SELECT 5, 'applied_migrations=' || count(*) FROM django_migrations
  UNION ALL SELECT 6, 'latest_revision_snapshot_md5=' || coalesce(
    (SELECT id || ':' || md5(snapshot::text) FROM bulletins_bulletinrevision ORDER BY published_at DESC, id DESC LIMIT 1),
    'none')
  UNION ALL SELECT 7, 'all_revision_snapshots_md5=' || coalesce(
    (SELECT md5(string_agg(id || ':' || md5(snapshot::text), ',' ORDER BY id)) FROM bulletins_bulletinrevision),
    'none')
) AS manifest
ORDER BY position;
