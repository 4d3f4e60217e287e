import { Readable } from 'node:stream';
import { z } from 'zod';
import { CHANNELS } from '../../core/model/orders.js';
import { getOrder, listOrders } from '../../app/queries.js';
import { ingestOrder } from '../../app/orders/ingest-order.js';
import { orderLedger } from '../../app/incentives/order-ledger.js';
import { orderExport } from '../../app/orders/export-orders.js';
import { actorOf } from '../access.js';
import { errorResponses, ID, IsoDate, MessageSchema, pageOf, pageQuery, ProblemSchema } from '../schemas.js';
import type { RouteModule } from '../types.js';

const OrderSchema = z
  .object({
    id: z.string(),
    vendorId: z.string(),
    source: z.string(),
    externalId: z.string(),
    customerId: z.string(),
    endUserName: z.string().describe('The end-user name as the partner entered it'),
    channel: z.string(),
    resellerId: z.string().nullable(),
    distributorId: z.string().nullable(),
    orderDate: z.string(),
    currency: z.string(),
    country: z.string(),
    region: z.string(),
    segment: z.string(),
    totalMinor: z.number().int().describe("The sum of the lines' amounts, in `currency` (the program's)"),
    createdAt: z.string(),
    originalCurrency: z
      .string()
      .nullable()
      .optional()
      .describe("The currency the order was invoiced in, when not the program's (null: the program's)"),
    originalTotalMinor: z
      .number()
      .int()
      .nullable()
      .optional()
      .describe("The sum of the lines' original amounts, in `originalCurrency`"),
    customerName: z
      .string()
      .nullable()
      .optional()
      .describe("The customer account's name (null when the caller cannot read the account)"),
    resellerName: z
      .string()
      .nullable()
      .optional()
      .describe("The reseller's name, when the caller may read that partner"),
    distributorName: z
      .string()
      .nullable()
      .optional()
      .describe("The distributor's name, when the caller may read that partner"),
  })
  .meta({ id: 'Order' });

const OrderDetailSchema = OrderSchema.extend({
  lines: z.array(
    z.object({
      id: z.string(),
      orderId: z.string(),
      lineNo: z.number().int(),
      productId: z.string(),
      family: z.string(),
      quantity: z.number().int(),
      unitPriceMinor: z.number().int(),
      amountMinor: z.number().int(),
      currency: z.string().describe("The program's currency: unitPriceMinor and amountMinor are in it"),
      returnsLineId: z.string().nullable().describe('For a return: the line it returns'),
      originalCurrency: z
        .string()
        .nullable()
        .optional()
        .describe("The currency the line was invoiced in, when not the program's (null: the program's)"),
      originalUnitPriceMinor: z.number().int().nullable().optional().describe('As invoiced'),
      originalAmountMinor: z.number().int().nullable().optional().describe('As invoiced'),
      fxRate: z
        .string()
        .nullable()
        .optional()
        .describe('The exact rate used: 1 originalCurrency = fxRate currency'),
      fxRateDay: z
        .string()
        .nullable()
        .optional()
        .describe('The day of the rate (before the order day when a last known rate bridged a gap)'),
      fxRateSource: z
        .string()
        .nullable()
        .optional()
        .describe('How the rate was had: direct, inverse or cross:EUR'),
      productName: z.string().nullable().optional().describe("The product's name"),
    }),
  ),
}).meta({ id: 'OrderDetail' });

const RoutingSummarySchema = z
  .object({
    routedOrderId: z.string().describe('The decision in the routing log (GET /api/routing/{id})'),
    outcome: z.enum(['direct', 'route']),
    reason: z
      .string()
      .describe(
        'return, direct-named, channel-exclusive, below-threshold, at-or-above-threshold or no-candidate',
      ),
    sentence: z.string().describe('Why, in one sentence'),
    coverage: z.string().describe("The account's coverage on the order day"),
    offeredTo: z
      .object({ partnerId: z.string(), name: z.string(), offerId: z.string(), deadline: z.string() })
      .nullable(),
  })
  .meta({ id: 'RoutingSummary' });

const CreatedOrderSchema = OrderDetailSchema.extend({
  routing: RoutingSummarySchema.nullable()
    .optional()
    .describe('Direct orders: the rules of engagement kept it direct, and why'),
});

export const orderRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/api/orders',
    {
      config: { access: { resource: 'order', action: 'read' } },
      schema: {
        tags: ['orders'],
        summary: 'List orders',
        querystring: pageQuery(['orderDate', 'total', 'createdAt'] as const, 'orderDate').extend({
          vendor: ID.optional(),
          channel: z.enum(CHANNELS).optional(),
          reseller: ID.optional(),
          distributor: ID.optional(),
          customer: ID.optional(),
          from: IsoDate.optional().describe('Order date on or after (YYYY-MM-DD)'),
          to: IsoDate.optional().describe('Order date on or before (YYYY-MM-DD)'),
        }),
        response: { 200: pageOf(OrderSchema), ...errorResponses },
      },
    },
    (request) => {
      const { vendor, channel, reseller, distributor, customer, from, to, ...page } = request.query;
      return listOrders(
        ctx,
        request.scope,
        {
          vendorId: vendor,
          channel,
          resellerId: reseller,
          distributorId: distributor,
          customerId: customer,
          from,
          to,
        },
        page,
      );
    },
  );
  app.get(
    '/api/orders/export',
    {
      config: { access: { resource: 'order', action: 'read' } },
      schema: {
        tags: ['orders'],
        summary:
          "Download the lines of the orders the caller sees as CSV (the list's filters): program_* amounts in program_currency, original_* in original_currency with the rate used (docs/currencies.md)",
        querystring: z.object({
          vendor: ID.optional(),
          channel: z.enum(CHANNELS).optional(),
          reseller: ID.optional(),
          distributor: ID.optional(),
          customer: ID.optional(),
          from: IsoDate.optional().describe('Order date on or after (YYYY-MM-DD)'),
          to: IsoDate.optional().describe('Order date on or before (YYYY-MM-DD)'),
        }),
        response: { ...errorResponses },
      },
    },
    async (request, reply) => {
      const { vendor, channel, reseller, distributor, customer, from, to } = request.query;
      const stream = Readable.from(
        orderExport(ctx, request.scope, {
          vendorId: vendor,
          channel,
          resellerId: reseller,
          distributorId: distributor,
          customerId: customer,
          from,
          to,
        }),
      );
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="orders.csv"')
        .send(stream as never);
    },
  );
  app.get(
    '/api/orders/:orderId',
    {
      config: { access: { resource: 'order', action: 'read' } },
      schema: {
        tags: ['orders'],
        summary: 'Get an order with its lines',
        params: z.object({ orderId: ID }),
        response: { 200: OrderDetailSchema, ...errorResponses },
      },
    },
    (request) => getOrder(ctx, request.scope, request.params.orderId),
  );
  app.get(
    '/api/orders/:orderId/ledger',
    {
      config: { access: { resource: 'order', action: 'read' } },
      schema: {
        tags: ['orders'],
        summary:
          'How each cent of an order came about: every ledger leg on its lines, with its rule, version, inputs and sentence (a partner sees only what it earned)',
        params: z.object({ orderId: ID }),
        response: {
          200: z.object({
            items: z.array(
              z.object({
                transactionId: z.string(),
                transactionKind: z.string(),
                postedAt: z.string(),
                partnerId: z.string().nullable(),
                period: z.string(),
                lineId: z.string().nullable(),
                orderDate: z.string().nullable(),
                family: z.string().nullable(),
                account: z.string(),
                amountMinor: z.number().int().describe('Debits positive, credits negative'),
                currency: z.string(),
                component: z.string(),
                ruleId: z.string(),
                ruleVersion: z.string(),
                tier: z.string(),
                baseMinor: z.number().int(),
                rate: z.number().int().describe('ppm'),
                multiplier: z.number().int().describe('ppm'),
                effectiveRate: z.number().int().describe('ppm'),
                budgetPool: z.string().nullable(),
                explanation: z.string(),
                explanationMessage: MessageSchema.nullable(),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => ({ items: await orderLedger(ctx, request.scope, request.params.orderId) }),
  );

  app.post(
    '/api/orders',
    {
      config: { access: { resource: 'order', action: 'write' } },
      schema: {
        tags: ['orders'],
        summary:
          'Post one order with its lines (all or nothing). The same source and externalId with the same content returns the original (200); with other content, 409. A direct order obeys the rules of engagement: booked direct (201, with the decision) or routed to a partner as an offer (202)',
        body: z.object({
          vendor: z
            .string()
            .min(1)
            .max(64)
            .optional()
            .describe('Vendor id or slug (required for distributors)'),
          source: z
            .string()
            .min(1)
            .max(64)
            .describe('The system the order comes from, e.g. "erp" or "pos:<distributor>"'),
          externalId: z.string().min(1).max(128),
          orderDate: IsoDate,
          currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD'),
          customerId: ID,
          endUserName: z
            .string()
            .min(1)
            .max(300)
            .optional()
            .describe('The end-user name as the partner entered it'),
          channel: z.enum(CHANNELS),
          resellerId: ID.nullable().optional(),
          distributorId: ID.nullable().optional(),
          dealRegistrationId: ID.nullable()
            .optional()
            .describe(
              "The reseller's deal registration this order fulfils: an approved registration protecting the order's customer on its date earns the program's registered-deal benefit and is won",
            ),
          lines: z
            .array(
              z.object({
                productId: ID,
                quantity: z.number().int(),
                unitPriceMinor: z.number().int().min(0),
                returnsLineId: ID.nullable()
                  .optional()
                  .describe('For a return: the line it returns (negative quantity)'),
              }),
            )
            .min(1)
            .max(1000),
        }),
        response: {
          200: OrderDetailSchema,
          201: CreatedOrderSchema,
          202: z
            .object({ status: z.literal('routed'), replayed: z.boolean(), routing: RoutingSummarySchema })
            .describe(
              'A direct order the rules of engagement route to a partner: held as an offer, booked when a partner accepts it (or direct when none does)',
            ),
          409: ProblemSchema,
          403: ProblemSchema,
          401: ProblemSchema,
          422: ProblemSchema.describe(
            "limit_exceeded: the order would take the vendor's gross volume past its limit (docs/limits.md)",
          ),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const outcome = await ingestOrder(
        ctx,
        { actor: actorOf(request), scope: request.scope },
        { ...request.body, requestId: request.id },
      );
      // A created order is shown as written (the caller may see what it wrote), without reading it back.
      if (outcome.status === 'created')
        return reply.status(201).send({ ...outcome.order, routing: outcome.routing });
      if (outcome.status === 'routed')
        return reply
          .status(202)
          .send({ status: 'routed', replayed: outcome.replayed, routing: outcome.routing });
      return reply.status(200).send(await getOrder(ctx, request.scope, outcome.orderId));
    },
  );
};
