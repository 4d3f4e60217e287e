import type { Kysely } from 'kysely';
import type { Store } from '../../db/connection.js';
import { heldConnectionDb, orderIntakeRepository } from '../../db/repositories/order-intake-repository.js';
import type { Database } from '../../db/schema.js';
import { backgroundCheckpoints } from '../../db/sqlite/checkpointer.js';
import { withConnectionSettings } from '../../db/sqlite/held-pragmas.js';

/** Most units of work one shared transaction carries, so none waits long behind the others. */
const MAX_GROUP = 64;
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 1));

interface Job {
  work: (trx: Kysely<Database>) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for a store that runs one transaction at a time (SQLite: one connection). Units of work
 * that arrive while a transaction runs wait and then share the next one, each inside its own savepoint:
 * a unit that throws is rolled back alone (as if it had had its own transaction) and the others commit.
 * A unit alone is the transaction itself (no savepoint): it throws by rolling the transaction back.
 * Each caller gets its own result or error once the shared transaction has committed, so nothing is
 * reported before it is durable. Units see the ones committed (or released) before them, in arrival order,
 * exactly as one transaction each would. The commit, and the fsync it may bring, is paid once per group.
 */
export class GroupCommit {
  private readonly queue: Job[] = [];
  private running = false;
  /** How many units the last group held. */
  private lastGroup = 0;

  constructor(private readonly store: Store) {
    // The WAL checkpoints of a SQLite file run on a thread of their own, never inside a group's commit.
    backgroundCheckpoints(store);
  }

  run<T>(work: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (v: unknown) => void, reject });
      if (!this.running) {
        this.running = true;
        // One turn of the event loop first, so requests already on their way (reading their body,
        // authenticating) join the group.
        setImmediate(() => void this.drain());
      }
    });
  }

  /**
   * The group's transaction, with SQLite's temporary storage in memory meanwhile (the connection held, the
   * setting restored after): under each unit's savepoint SQLite first copies every page the unit changes to
   * a statement journal, a temporary file once past 64 KiB, so a group of orders wrote about 700 KB per
   * order to a file (each unit copies again the pages the units before it changed) that is read only to
   * roll a unit back.
   */
  private transaction(body: (trx: Kysely<Database>) => Promise<void>): Promise<void> {
    if (this.store.capabilities.kind !== 'sqlite') return this.store.db.transaction().execute(body);
    return withConnectionSettings(this.store.db, [['temp_store', 2]], (conn) =>
      conn.transaction().execute(body),
    );
  }

  private async drain(): Promise<void> {
    try {
      for (;;) {
        if (this.queue.length === 0) {
          // Requests held back while the group ran (their sign-in check needs the connection) arrive now.
          await turn();
          if (this.queue.length === 0) break;
        }
        // A group runs without yielding to I/O (its statements are synchronous on SQLite), so only the units
        // queued when it begins join it. Under load the answers of the last group bring their clients' next
        // orders back a few at a time: when far fewer are queued than the last group held, wait a moment
        // (one timer tick, about a millisecond; I/O is served meanwhile) for the others, rather than have the
        // first ones pay a commit of their own and the rest wait behind it. At low load (small groups) a
        // group begins at once.
        if (this.queue.length < this.lastGroup >> 1) await tick();
        const group: Job[] = [];
        const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
        try {
          await this.transaction(async (outer) => {
            // The units run on the held connection: their Kysely queries reuse prepared statements.
            const trx = heldConnectionDb(this.store) ?? outer;
            const repo = orderIntakeRepository(trx, this.store);
            // A unit alone (the usual case below full load) runs as the transaction itself, with no
            // savepoint: it fails by rolling the transaction back.
            if (this.queue.length === 1) {
              const job = this.queue.shift() as Job;
              group.push(job);
              outcomes.push({ ok: true, value: await job.work(trx) });
              return;
            }
            // Units that arrive while the group runs join it, up to MAX_GROUP.
            while (group.length < MAX_GROUP && this.queue.length > 0) {
              const job = this.queue.shift() as Job;
              group.push(job);
              await repo.savepoint('unit');
              try {
                const value = await job.work(trx);
                await repo.release('unit');
                outcomes.push({ ok: true, value });
              } catch (error) {
                await repo.rollbackTo('unit');
                await repo.release('unit');
                outcomes.push({ ok: false, error });
              }
            }
          });
        } catch (error) {
          // The shared transaction itself failed (begin or commit), or its unit alone did: nothing of the
          // group was stored. A transaction that could not even begin fails what waits, rather than
          // retrying forever.
          for (const job of group.length > 0 ? group : this.queue.splice(0)) job.reject(error);
          continue;
        }
        this.lastGroup = group.length;
        group.forEach((job, i) => {
          const o = outcomes[i];
          if (o?.ok) job.resolve(o.value);
          else job.reject(o ? o.error : new Error('unreachable: a unit without an outcome'));
        });
      }
    } finally {
      this.running = false;
    }
  }
}

const groups = new WeakMap<Store, GroupCommit>();

/** The store's group committer (one per store). */
export function groupCommitOf(store: Store): GroupCommit {
  let g = groups.get(store);
  if (!g) {
    g = new GroupCommit(store);
    groups.set(store, g);
  }
  return g;
}
