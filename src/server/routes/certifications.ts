import { z } from 'zod';
import { PRODUCT_FAMILIES } from '../../core/model/catalog.js';
import { CERTIFICATION_KINDS } from '../../core/model/people.js';
import {
  DEFAULT_EXPIRY_WINDOW_DAYS,
  expiringCertifications,
  listCertifications,
  MAX_CODE_LENGTH,
  recordCertifications,
} from '../../app/tiers/certifications.js';
import { actorOf } from '../access.js';
import { ID, IsoDate, pageOf, pageQuery, ProblemSchema } from '../schemas.js';
import type { RouteModule } from '../types.js';

/** Most rows one POST may carry; larger files go through `trellis import certifications`. */
export const MAX_CERTIFICATIONS_PER_REQUEST = 5_000;

const CertificationSchema = z
  .object({
    id: z.string(),
    vendorId: z.string(),
    partnerId: z.string(),
    personId: z.string(),
    personName: z.string(),
    personEmail: z.string(),
    code: z.string(),
    kind: z.string().describe(CERTIFICATION_KINDS.join(', ')),
    family: z.string().describe('A product family'),
    earnedOn: z.string().describe('Grant date (YYYY-MM-DD)'),
    expiresOn: z.string().describe('First day it is no longer active (YYYY-MM-DD)'),
  })
  .meta({ id: 'Certification' });

const ExpiringCertificationSchema = CertificationSchema.extend({
  daysLeft: z.number().int().describe('Days from asOf to expiresOn'),
}).meta({ id: 'ExpiringCertification' });

/*
 * Rows are checked by the use case rather than by enums here, so that a batch with several bad rows is
 * answered with every error at once (each naming its row and field), not only the first schema error.
 */
const CertificationInputSchema = z
  .object({
    personId: z.string().max(64).optional().describe('The person, by id (or give email)'),
    email: z.string().max(320).optional().describe('The person, by email (or give personId)'),
    code: z.string().max(MAX_CODE_LENGTH).describe("The vendor's certification code, e.g. DELL-STOR-TEC"),
    kind: z.string().max(32).describe(CERTIFICATION_KINDS.join(', ')),
    family: z
      .string()
      .max(64)
      .describe(`A product family: ${PRODUCT_FAMILIES.join(', ')}`),
    earnedOn: z.string().max(32).describe('Grant date (YYYY-MM-DD)'),
    expiresOn: z.string().max(32).describe('Expiry date (YYYY-MM-DD), after the grant date'),
  })
  .meta({ id: 'NewCertification' });

const filters = {
  vendor: ID.optional(),
  partner: ID.optional(),
  person: z.string().min(1).max(64).optional().describe('A person id'),
  kind: z.enum(CERTIFICATION_KINDS).optional(),
  family: z.enum(PRODUCT_FAMILIES).optional(),
};

const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };

export const certificationRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/api/certifications',
    {
      config: { access: { resource: 'certification', action: 'read' } },
      schema: {
        tags: ['tiers'],
        summary: 'List certifications (a vendor: those it granted; a partner: its people’s)',
        querystring: pageQuery(['expiresOn', 'earnedOn', 'code'] as const, 'expiresOn').extend({
          ...filters,
          expiringBefore: IsoDate.optional().describe('Expires before this day (YYYY-MM-DD)'),
        }),
        response: { 200: pageOf(CertificationSchema), ...errors },
      },
    },
    (request) => {
      const { vendor, partner, person, kind, family, expiringBefore, ...page } = request.query;
      return listCertifications(
        ctx,
        request.scope,
        { vendorId: vendor, partnerId: partner, personId: person, kind, family, expiringBefore },
        page,
      );
    },
  );

  app.get(
    '/api/certifications/expiring',
    {
      config: { access: { resource: 'certification', action: 'read' } },
      schema: {
        tags: ['tiers'],
        summary: 'Certifications that lapse soon: active on asOf and expiring within withinDays',
        querystring: pageQuery(['expiresOn', 'earnedOn', 'code'] as const, 'expiresOn').extend({
          ...filters,
          withinDays: z.coerce
            .number()
            .int()
            .min(1)
            .max(1_095)
            .default(DEFAULT_EXPIRY_WINDOW_DAYS)
            .describe('Window in days (1-1095, default 60)'),
          asOf: IsoDate.optional().describe('The day to count from (default today, UTC)'),
        }),
        response: {
          200: pageOf(ExpiringCertificationSchema).extend({
            asOf: z.string(),
            withinDays: z.number().int(),
          }),
          ...errors,
        },
      },
    },
    (request) => {
      const { vendor, partner, person, kind, family, withinDays, asOf, ...page } = request.query;
      return expiringCertifications(
        ctx,
        request.scope,
        {
          withinDays,
          asOf,
          filter: { vendorId: vendor, partnerId: partner, personId: person, kind, family },
        },
        page,
      );
    },
  );

  app.post(
    '/api/certifications',
    {
      config: { access: { resource: 'certification', action: 'write' } },
      // 5,000 rows of long emails do not fit the default 1 MiB.
      bodyLimit: 4 * 1024 * 1024,
      schema: {
        tags: ['tiers'],
        summary:
          'Record certifications the vendor granted, all or nothing: any bad row refuses the batch, every error listed',
        body: z.object({
          certifications: z.array(CertificationInputSchema).min(1).max(MAX_CERTIFICATIONS_PER_REQUEST),
        }),
        response: {
          201: z.object({
            count: z.number().int(),
            ids: z.array(z.string()).describe('The created certifications, in the order of the rows'),
          }),
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const recorded = await recordCertifications(
        ctx,
        { actor: actorOf(request), scope: request.scope, requestId: request.id, source: 'api' },
        request.body.certifications,
        {
          locate: (i, field) => `body.certifications.${i}.${field}`,
          rowLabel: (i) => `body.certifications.${i}`,
        },
      );
      return reply.status(201).send({ count: recorded.ids.length, ids: recorded.ids });
    },
  );
};
