/**
 * A small promise layer over the `sqlite3` package (an N-API addon, so the same binary loads in Node and Electron).
 * Statements run one at a time in the order they were issued; `transaction` holds the queue for its whole body so
 * that no other statement interleaves with it.
 */
import sqlite3 from 'sqlite3';

export type SqlValue = string | number | bigint | null | Uint8Array;
export type SqlParams = SqlValue[] | Record<string, SqlValue>;
export type Row = Record<string, SqlValue>;

export interface RunResult {
  changes: number;
  lastId: number;
}

export class Database {
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly handle: sqlite3.Database,
    readonly path: string
  ) {}

  static async open(path: string): Promise<Database> {
    const handle = await new Promise<sqlite3.Database>((resolve, reject) => {
      const db = new sqlite3.Database(path, sqlite3.OPEN_READWRITE | sqlite3.OPEN_CREATE, (error) =>
        error ? reject(error) : resolve(db)
      );
    });
    const database = new Database(handle, path);
    await database.exec('PRAGMA journal_mode = WAL');
    // FULL makes every committed transaction durable across power loss, not only across a killed process.
    await database.exec('PRAGMA synchronous = FULL');
    await database.exec('PRAGMA foreign_keys = ON');
    await database.exec('PRAGMA busy_timeout = 5000');
    return database;
  }

  exec(sql: string): Promise<void> {
    return this.enqueue(() => new Promise<void>((resolve, reject) => this.handle.exec(sql, (e) => (e ? reject(e) : resolve()))));
  }

  run(sql: string, params: SqlParams = []): Promise<RunResult> {
    return this.enqueue(() => this.runNow(sql, params));
  }

  get<T extends Row = Row>(sql: string, params: SqlParams = []): Promise<T | undefined> {
    return this.enqueue(() => this.getNow<T>(sql, params));
  }

  all<T extends Row = Row>(sql: string, params: SqlParams = []): Promise<T[]> {
    return this.enqueue(() => this.allNow<T>(sql, params));
  }

  /**
   * Runs `body` inside BEGIN IMMEDIATE ... COMMIT with exclusive use of the connection; rolls back if it throws.
   * Inside, use the `Transaction` handle, not this object (which would wait for the transaction to end).
   */
  transaction<T>(body: (tx: Transaction) => Promise<T>): Promise<T> {
    return this.enqueue(async () => {
      await this.execNow('BEGIN IMMEDIATE');
      try {
        const result = await body({
          run: (sql, params = []) => this.runNow(sql, params),
          get: (sql, params = []) => this.getNow(sql, params),
          all: (sql, params = []) => this.allNow(sql, params)
        });
        await this.execNow('COMMIT');
        return result;
      } catch (error) {
        await this.execNow('ROLLBACK').catch(() => undefined);
        throw error;
      }
    });
  }

  close(): Promise<void> {
    return this.enqueue(() => new Promise<void>((resolve, reject) => this.handle.close((e) => (e ? reject(e) : resolve()))));
  }

  private enqueue<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.queue.then(operation, operation);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private execNow(sql: string): Promise<void> {
    return new Promise((resolve, reject) => this.handle.exec(sql, (e) => (e ? reject(e) : resolve())));
  }

  private runNow(sql: string, params: SqlParams): Promise<RunResult> {
    return new Promise((resolve, reject) =>
      this.handle.run(sql, toDriverParams(params), function (this: sqlite3.RunResult, error: Error | null) {
        if (error) reject(error);
        else resolve({ changes: this.changes, lastId: this.lastID });
      })
    );
  }

  private getNow<T extends Row>(sql: string, params: SqlParams): Promise<T | undefined> {
    return new Promise((resolve, reject) =>
      this.handle.get(sql, toDriverParams(params), (error: Error | null, row: T | undefined) => (error ? reject(error) : resolve(row)))
    );
  }

  private allNow<T extends Row>(sql: string, params: SqlParams): Promise<T[]> {
    return new Promise((resolve, reject) =>
      this.handle.all(sql, toDriverParams(params), (error: Error | null, rows: T[]) => (error ? reject(error) : resolve(rows)))
    );
  }
}

export interface Transaction {
  run(sql: string, params?: SqlParams): Promise<RunResult>;
  get<T extends Row = Row>(sql: string, params?: SqlParams): Promise<T | undefined>;
  all<T extends Row = Row>(sql: string, params?: SqlParams): Promise<T[]>;
}

/** The driver binds only Node Buffers as blobs; plain Uint8Arrays are wrapped without copying. */
function toDriverParams(params: SqlParams): unknown {
  const convert = (value: SqlValue): unknown =>
    value instanceof Uint8Array && !Buffer.isBuffer(value)
      ? Buffer.from(value.buffer, value.byteOffset, value.byteLength)
      : value;
  if (Array.isArray(params)) return params.map(convert);
  return Object.fromEntries(Object.entries(params).map(([key, value]) => [key, convert(value)]));
}
