import type { Statement } from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** A bound value of a prepared statement: text, a number, or null. */
export type HeldValue = string | number | null;

/** Runs a statement text through the prepared statement kept for it on a held SQLite connection. */
export interface HeldStatements {
  all<R>(text: string, params: readonly HeldValue[]): R[];
  run(text: string, params: readonly HeldValue[]): void;
}

const held = new WeakMap<Kysely<Database>, HeldStatements>();

/** Marks `db` as a held-connection handle (see `heldConnectionDb`) whose statements are kept prepared. */
export function registerHeld(db: Kysely<Database>, prepared: (text: string) => Statement): void {
  held.set(db, {
    all: <R>(text: string, params: readonly HeldValue[]) => prepared(text).all(params) as R[],
    run: (text, params) => {
      prepared(text).run(params);
    },
  });
}

/**
 * The prepared statements of `db` when it is the held SQLite connection of a group commit (the hot path of
 * order intake), else undefined. A repository may then run a fixed text directly instead of building the
 * query with Kysely (which compiles it anew each time, more than a small insert costs). Texts use `?`
 * placeholders; callers keep a Kysely path for every other handle.
 */
export function heldStatements(db: Kysely<Database>): HeldStatements | undefined {
  return held.get(db);
}
