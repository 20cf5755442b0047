/** Counts the D1 statements a unit of work issues (D1 allows 1,000 per Worker invocation). */
export interface StatementCounter {
  statements: number;
}

class CountingStatement {
  constructor(
    readonly inner: D1PreparedStatement,
    private readonly counter: StatementCounter,
  ) {}
  bind(...values: unknown[]): CountingStatement {
    return new CountingStatement(this.inner.bind(...values), this.counter);
  }
  first<T>(column?: string): Promise<T | null> {
    this.counter.statements++;
    return column === undefined ? this.inner.first<T>() : this.inner.first<T>(column);
  }
  run<T>(): Promise<D1Result<T>> {
    this.counter.statements++;
    return this.inner.run<T>();
  }
  all<T>(): Promise<D1Result<T>> {
    this.counter.statements++;
    return this.inner.all<T>();
  }
  raw<T extends unknown[]>(): Promise<T[]> {
    this.counter.statements++;
    return this.inner.raw<T>();
  }
}

/** Wraps a D1 binding so that every statement run through it, alone or in a batch, is counted. */
export function countingD1(db: D1Database, counter: StatementCounter): D1Database {
  return {
    prepare: (query: string) => new CountingStatement(db.prepare(query), counter),
    batch: (statements: CountingStatement[]) => {
      counter.statements += statements.length;
      return db.batch(statements.map((s) => s.inner));
    },
    exec: (query: string) => {
      counter.statements++;
      return db.exec(query);
    },
    withSession: () => {
      throw new Error("countingD1 does not support sessions");
    },
    dump: () => db.dump(),
  } as unknown as D1Database;
}
