import type { Database } from './Database';
import { migrations as defaultMigrations, type Migration } from './migrations';

/** Brings the schema to the newest version; returns the versions applied now. */
export async function migrate(database: Database, migrations: Migration[] = defaultMigrations): Promise<number[]> {
  await database.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)'
  );
  const applied = new Set(
    (await database.all<{ version: number }>('SELECT version FROM schema_migrations')).map((row) => row.version)
  );
  const newest = Math.max(0, ...applied);
  const known = Math.max(0, ...migrations.map((m) => m.version));
  if (newest > known) {
    throw new Error(`This project was saved by a newer version of the app (schema ${newest}, this app knows ${known}).`);
  }
  const done: number[] = [];
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    if (applied.has(migration.version)) continue;
    await database.transaction(async (tx) => {
      for (const statement of splitStatements(migration.sql)) await tx.run(statement);
      await tx.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [
        migration.version,
        migration.name,
        new Date().toISOString()
      ]);
    });
    done.push(migration.version);
  }
  return done;
}

/** Splits a migration into statements (the driver's `run` takes one at a time). Migrations hold no triggers. */
function splitStatements(sql: string): string[] {
  return sql
    .split('\n')
    .map((line) => line.replace(/--.*$/, ''))
    .join('\n')
    .split(';')
    .map((statement) => statement.trim())
    .filter((statement) => statement.length > 0);
}
