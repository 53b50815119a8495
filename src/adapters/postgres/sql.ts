/**
 * The little of a PostgreSQL client the registry needs, met by `pg` (a server) and PGlite (embedded): one
 * statement with `$n` parameters, and a function run in one transaction on one connection.
 */
export interface SqlSession {
  query<Row extends Record<string, unknown> = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<Row[]>;
}

export interface SqlDatabase extends SqlSession {
  transaction<T>(work: (session: SqlSession) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
