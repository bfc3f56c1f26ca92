import type BetterSqlite3 from 'better-sqlite3';
import type { Compilable, CompiledQuery, Kysely, QueryResult } from 'kysely';
import { directSqliteHandle, runOnSqliteHandle } from './sqlite-handles.js';

/** Stand-ins for a prepared query's parameters, typed as the values they stand for. */
export type Placeholders<P> = { readonly [K in keyof P]: P[K] };

/** What a prepared query compiled to on one dialect: its SQL and where each value goes. */
interface Compiled {
  /** The first compilation: its SQL, operation node and query id serve every run. */
  query: CompiledQuery;
  /**
   * Per SQL parameter: the name of the value to put there (with `index`, one element of that
   * value, a list), or a constant of the query.
   */
  slots: Slot[];
  /** Its statement on each SQLite handle it ran on directly (prepared once per handle). */
  statements: WeakMap<BetterSqlite3.Database, BetterSqlite3.Statement>;
}

type Slot = { kind: 'value'; name: string } | { kind: 'element'; name: string; index: number } | { kind: 'constant'; value: unknown };

const MARK = '\u0000tessera-param:';
/** Separates a list's name from an element's index in a placeholder (`uuids#3`). */
const ELEMENT = '#';

/**
 * A query built with Kysely once per database and then run with new values: the SQL of a hot
 * statement is not rebuilt and recompiled on every call (Kysely spends 5 to 20 µs doing so, as
 * much as SQLite spends running most of them).
 *
 * `build` gets placeholders for the values; each must be used as a whole value (a column
 * compared or set, a row value), not inside an `in` list or a string. The query's shape must not
 * depend on the values: a query with optional clauses is one prepared query per shape.
 *
 * @example
 * const byUuid = prepareQuery((db: Kysely<CellSchema>, p: Placeholders<{ uuid: string }>) =>
 *   db.selectFrom('instances').selectAll().where('uuid', '=', p.uuid));
 * const row = await byUuid.takeFirst(db, { uuid });
 */
export class PreparedQuery<DB, P extends Record<string, unknown>, O> {
  // One compilation per dialect adapter: a database and its transactions share one.
  private readonly compiled = new WeakMap<object, Compiled>();

  constructor(private readonly build: (db: Kysely<DB>, p: Placeholders<P>) => Compilable<O>) {}

  /** Runs it with these values on `db` (a database or a transaction of it). */
  run(db: Kysely<DB>, values: P): Promise<QueryResult<O>> {
    const compiled = this.compiledFor(db);
    const slots = compiled.slots;
    const parameters = new Array<unknown>(slots.length);
    for (let i = 0; i < slots.length; i += 1) {
      const s = slots[i] as Slot;
      parameters[i] = s.kind === 'value' ? values[s.name] : s.kind === 'element' ? (values[s.name] as readonly unknown[])[s.index] : s.value;
    }
    const handle = directSqliteHandle(db);
    if (handle === undefined) return db.executeQuery<O>({ ...compiled.query, parameters });
    return runOnSqliteHandle<O>(handle, compiled.query.sql, compiled.statements, parameters);
  }

  /** The rows it returns. */
  async rows(db: Kysely<DB>, values: P): Promise<O[]> {
    return (await this.run(db, values)).rows;
  }

  /** The first row it returns, if any. */
  async takeFirst(db: Kysely<DB>, values: P): Promise<O | undefined> {
    return (await this.run(db, values)).rows[0];
  }

  private compiledFor(db: Kysely<DB>): Compiled {
    const adapter = db.getExecutor().adapter;
    let compiled = this.compiled.get(adapter);
    if (compiled === undefined) {
      compiled = compile(this.build(db, placeholders<P>()).compile());
      this.compiled.set(adapter, compiled);
    }
    return compiled;
  }
}

/** Shorthand for `new PreparedQuery(build)`. */
export function prepareQuery<DB, P extends Record<string, unknown>, O>(build: (db: Kysely<DB>, p: Placeholders<P>) => Compilable<O>): PreparedQuery<DB, P, O> {
  return new PreparedQuery(build);
}

function placeholders<P>(): Placeholders<P> {
  return new Proxy({}, { get: (_target, name) => `${MARK}${String(name)}` }) as Placeholders<P>;
}

function compile(q: CompiledQuery): Compiled {
  const slots = q.parameters.map((v): Slot => {
    if (typeof v !== 'string' || !v.includes(MARK)) return { kind: 'constant', value: v };
    if (!v.startsWith(MARK)) throw new Error(`a placeholder was used inside a value in: ${q.sql}`);
    const name = v.slice(MARK.length);
    const at = name.lastIndexOf(ELEMENT);
    return at < 0 ? { kind: 'value', name } : { kind: 'element', name: name.slice(0, at), index: Number(name.slice(at + 1)) };
  });
  if (q.sql.includes(MARK)) throw new Error(`a placeholder ended up in the SQL text of: ${q.sql}`);
  return { query: q, slots, statements: new WeakMap() };
}

/** Placeholders named by the caller at run time: for families whose value names vary with the shape. */
export type AnyPlaceholders = Placeholders<Record<string, unknown>>;

/**
 * Prepared queries whose SQL depends on a few facts of each call: how many values an `in` list
 * holds, which columns an insert or update writes, whether an optional clause is there. Each
 * distinct shape (named by `keyOf`) is one prepared query, built with the shape in hand; a family
 * keeps its `maxShapes` most recent shapes, so an unusual call cannot grow it without bound.
 *
 * @example
 * const byUuids = preparedFamily(
 *   (n: number) => String(n),
 *   (db: Kysely<CellSchema>, p: AnyPlaceholders, n: number) => db.selectFrom('instances').selectAll().where('uuid', 'in', listOf(p, 'u', n)),
 * );
 * const rows = await byUuids.of(uuids.length).rows(db, { u: uuids });
 */
export class PreparedFamily<DB, S, O> {
  private readonly shapes = new Map<string, PreparedQuery<DB, Record<string, unknown>, O>>();

  constructor(
    private readonly keyOf: (shape: S) => string,
    private readonly build: (db: Kysely<DB>, p: AnyPlaceholders, shape: S) => Compilable<O>,
    private readonly maxShapes = 32,
  ) {}

  /** The prepared query of this shape. */
  of(shape: S): PreparedQuery<DB, Record<string, unknown>, O> {
    const key = this.keyOf(shape);
    let query = this.shapes.get(key);
    if (query === undefined) {
      query = new PreparedQuery((db: Kysely<DB>, p: AnyPlaceholders) => this.build(db, p, shape));
      if (this.shapes.size >= this.maxShapes) this.shapes.delete(this.shapes.keys().next().value as string);
      this.shapes.set(key, query);
    }
    return query;
  }
}

/** Shorthand for `new PreparedFamily(keyOf, build)`. */
export function preparedFamily<DB, S, O>(keyOf: (shape: S) => string, build: (db: Kysely<DB>, p: AnyPlaceholders, shape: S) => Compilable<O>, maxShapes?: number): PreparedFamily<DB, S, O> {
  return new PreparedFamily(keyOf, build, maxShapes);
}

/**
 * `n` placeholders for the elements of the list passed as `name`, for an `in` list or the rows of
 * a multi-row insert: run the query with `{ [name]: values }` (an array of at least `n` values).
 */
export function listOf<T = unknown>(p: AnyPlaceholders, name: string, n: number): T[] {
  const out: T[] = [];
  for (let i = 0; i < n; i += 1) out.push(p[`${name}${ELEMENT}${i}`] as T);
  return out;
}

/**
 * Column → its placeholder, for the `.values()` of an insert or the `.set()` of an update prepared
 * for these columns: the values are the list passed as `name`, in the columns' order (what
 * `definedColumns` gives).
 */
export function columnsOf(p: AnyPlaceholders, columns: readonly string[], name = 'columns'): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  columns.forEach((c, i) => {
    out[c] = p[`${name}${ELEMENT}${i}`];
  });
  return out;
}

/**
 * The columns of `row` that hold a value (Kysely leaves undefined ones out: so must the shape),
 * and their values in the same order, for `columnsOf`.
 */
export function definedColumns(row: object): { columns: string[]; values: unknown[] } {
  const columns: string[] = [];
  const values: unknown[] = [];
  for (const c in row) {
    const v = (row as Record<string, unknown>)[c];
    if (v === undefined) continue;
    columns.push(c);
    values.push(v);
  }
  return { columns, values };
}
