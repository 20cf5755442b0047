export type BatchFn = (statements: D1PreparedStatement[]) => Promise<D1Result[]>;

export type RunFn = (query: string, run: () => Promise<D1Result>) => Promise<D1Result>;

/**
 * TEST DOUBLE of D1: the real database, with every batch passed through `onBatch` and every
 * bound statement's run() through `onRun`.
 */
export function d1Double(
  db: D1Database,
  onBatch: (statements: D1PreparedStatement[], run: BatchFn) => Promise<D1Result[]>,
  onRun: RunFn = (_query, run) => run(),
) {
  return {
    prepare: (query: string) => {
      const statement = db.prepare(query);
      sqlText.set(statement, query);
      return rebinding(statement, query, onRun);
    },
    batch: (statements: D1PreparedStatement[]) => onBatch(statements, (s) => db.batch(s)),
    exec: (query: string) => db.exec(query),
    dump: () => db.dump(),
    withSession: () => {
      throw new Error("not supported by this test double");
    },
  } as unknown as D1Database;
}

const sqlText = new WeakMap<object, string>();
/** Keeps the SQL text of bound statements so the double can tell which batch is which. */
function rebinding(statement: D1PreparedStatement, query: string, onRun: RunFn): D1PreparedStatement {
  const bind = statement.bind.bind(statement);
  statement.bind = (...values: unknown[]) => {
    const bound = bind(...values);
    sqlText.set(bound, query);
    const run = bound.run.bind(bound);
    bound.run = (() => onRun(query, run)) as typeof bound.run;
    return bound;
  };
  return statement;
}
export function sqlOf(statement: unknown): string {
  return sqlText.get(statement as object) ?? "";
}
