import type { Database } from '../Database';

/** Project-wide settings (table project_settings), each a JSON value under a key. */
export class SettingsRepository {
  constructor(private readonly database: Database) {}

  async get<T>(key: string): Promise<T | undefined> {
    const row = await this.database.get<{ value: string }>('SELECT value FROM project_settings WHERE key = ?', [key]);
    return row ? (JSON.parse(row.value) as T) : undefined;
  }

  async set(key: string, value: unknown): Promise<void> {
    await this.database.run(
      'INSERT INTO project_settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      [key, JSON.stringify(value)]
    );
  }

  async delete(key: string): Promise<void> {
    await this.database.run('DELETE FROM project_settings WHERE key = ?', [key]);
  }
}
