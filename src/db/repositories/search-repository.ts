import { sql, type Kysely, type SqlBool } from 'kysely';
import type { Scope } from '../../core/access/scope.js';
import type { Database } from '../schema.js';
import { partnerInvolved, vendorOwned } from './scoping.js';
import { scopeStatements } from './settlement-repository.js';
import { containsText, nameContains } from './text-search.js';

/**
 * What the global search reads that the lists do not answer by name: orders by number, statements by id,
 * period or partner name, programs by name or code. Every query is within the caller's scope (the lists'
 * own conditions) and reads an index: orders by `orders_external_ix` or the primary key, statements by
 * their key, their partner index or the vendor index, programs by the vendor's few rows.
 */
export function searchRepository(db: Kysely<Database>) {
  return {
    /** Orders whose number (external id) or id is exactly `q`. */
    orders(scope: Scope, q: string, limit: number) {
      return db
        .selectFrom('orders')
        .select([
          'orders.id',
          'orders.vendorId',
          'orders.externalId',
          'orders.endUserName',
          'orders.orderDate',
          'orders.totalMinor',
          'orders.currency',
        ])
        .where((eb) => eb.or([eb('orders.externalId', '=', q), eb('orders.id', '=', q)]))
        .where(
          partnerInvolved(
            scope,
            'orders.vendorId',
            'orders.resellerId',
            'orders.distributorId',
            'orders.region',
          ),
        )
        .orderBy('orders.orderDate', 'desc')
        .orderBy('orders.id')
        .limit(limit)
        .execute();
    },

    /** Statements whose id is `q`, of the period `q`, or of a partner whose name contains `q`. */
    async statements(scope: Scope, q: string, limit: number) {
      const byName = await nameContains(db, 'partners', q);
      const partnerIds = db.selectFrom('partners').select('partners.id').where(byName);
      let query = db
        .selectFrom('statements')
        .innerJoin('partners as p', 'p.id', 'statements.partnerId')
        .select([
          'statements.id',
          'statements.vendorId',
          'statements.partnerId',
          'statements.period',
          'statements.sequence',
          'statements.status',
          'statements.totalMinor',
          'statements.currency',
          'p.name as partnerName',
        ])
        .where((eb) =>
          eb.or([
            eb('statements.id', '=', q),
            eb('statements.period', 'in', [q, q.toUpperCase()]),
            eb('statements.partnerId', 'in', partnerIds),
          ]),
        );
      query = scopeStatements(query, scope);
      return query.orderBy('statements.period', 'desc').orderBy('statements.id').limit(limit).execute();
    },

    /** Programs whose name or code contains `q`. */
    programs(scope: Scope, q: string, limit: number) {
      let query = db
        .selectFrom('programs')
        .select(['programs.id', 'programs.vendorId', 'programs.code', 'programs.name'])
        .where(vendorOwned(scope, 'programs.vendorId'))
        .where(sql<SqlBool>`(${containsText('programs.name', q)} or ${containsText('programs.code', q)})`);
      if (scope.kind === 'partner')
        query = query.where(
          'programs.id',
          'in',
          db
            .selectFrom('enrolments')
            .select('enrolments.programId')
            .where('enrolments.partnerId', '=', scope.partnerId),
        );
      return query.orderBy('programs.name').orderBy('programs.id').limit(limit).execute();
    },
  };
}
