import { z } from 'zod';
import { CHANNELS } from '../../core/model/orders.js';
import { getOrder, listOrders } from '../../app/queries.js';
import { errorResponses, ID, IsoDate, pageOf, pageQuery } from '../schemas.js';
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
    totalMinor: z.number().int(),
    createdAt: z.string(),
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
      currency: z.string(),
      returnsLineId: z.string().nullable().describe('For a return: the line it returns'),
    }),
  ),
}).meta({ id: 'OrderDetail' });

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
};
