import fastifyMultipart from '@fastify/multipart';
import { z } from 'zod';
import { getStoredFile, openStoredFile, storeFile } from '../../app/files/files.js';
import { FILE_PURPOSES } from '../../core/files/purposes.js';
import { TrellisError } from '../../core/shared/errors.js';
import { actorOf } from '../access.js';
import { ID, ProblemSchema } from '../schemas.js';
import type { RouteModule, Server } from '../types.js';

const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };

export const StoredFileSchema = z
  .object({
    id: z.string(),
    vendorId: z.string(),
    partnerId: z.string().nullable().describe('The partner that uploaded it; null: the vendor'),
    purpose: z.string(),
    fileName: z.string().describe("The uploader's name for it, sanitised"),
    contentType: z.string().describe('Detected from the bytes (never the type the upload declared)'),
    sizeBytes: z.number().int(),
    sha256: z.string().describe('SHA-256 of the bytes, hex'),
    uploadedBy: z.string(),
    uploadedAt: z.string(),
  })
  .meta({ id: 'StoredFile' });

const Params = z.object({ fileId: ID });

/** `attachment` with the name: ASCII in `filename`, the exact name in `filename*` (RFC 6266, RFC 8187). */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** A form field's value (the first, when sent more than once), or undefined. */
function field(fields: Record<string, unknown>, name: string): string | undefined {
  const raw = fields[name];
  const first = Array.isArray(raw) ? raw[0] : raw;
  if (
    first &&
    typeof first === 'object' &&
    'value' in first &&
    (first as { type?: string }).type === 'field'
  ) {
    const value = (first as { value: unknown }).value;
    return typeof value === 'string' && value !== '' ? value : undefined;
  }
  return undefined;
}

/**
 * Stored files (docs/files.md): upload (multipart/form-data, one file), its record, its bytes. The bytes
 * are served as an attachment with the detected type, `nosniff` and a `sandbox` policy, so nothing
 * uploaded runs in the app's origin.
 */
export const fileRoutes: RouteModule = (app, ctx) => {
  const max = ctx.settings.files.maxUploadBytes;
  // multipart/form-data is parsed in this module's scope only; the file part is read as a stream.
  void app.register(async (scope) => {
    const scoped = scope as unknown as Server;
    await scoped.register(fastifyMultipart, {
      // One more byte than allowed reaches the use case, which then refuses the upload (413).
      limits: { fileSize: max + 1, files: 1, fields: 10, fieldSize: 1024, parts: 12, headerPairs: 100 },
      throwFileSizeLimit: false,
    });

    scoped.post(
      '/api/files',
      {
        config: { access: { resource: 'file', action: 'write' } },
        schema: {
          tags: ['files'],
          summary: `Upload a file (multipart/form-data: the fields purpose (${FILE_PURPOSES.join(', ')}) and, for a partner enrolled with several vendors, vendorId, then one part "file"). The type is detected from the bytes: PDF, PNG, JPEG, GIF, WebP, plain text or CSV, docx, xlsx, pptx; anything else, or a name whose extension disagrees, is 415. Larger than the limit (TRELLIS_MAX_UPLOAD_BYTES, 10 MiB by default): 413. Empty or no file part: 400`,
          consumes: ['multipart/form-data'],
          response: { 201: StoredFileSchema, 413: ProblemSchema, 415: ProblemSchema, ...errors },
        },
      },
      async (request, reply) => {
        if (!request.isMultipart())
          throw new TrellisError(
            'invalid_input',
            'send the file as multipart/form-data with a part named "file"',
            [{ location: 'file', message: 'required (multipart/form-data)' }],
          );
        const part = await request.file();
        if (!part || part.fieldname !== 'file') {
          part?.file.resume();
          throw new TrellisError('invalid_input', 'send one file in a part named "file"', [
            { location: 'file', message: 'required' },
          ]);
        }
        const purpose = field(part.fields, 'purpose');
        if (purpose === undefined) {
          part.file.resume();
          throw new TrellisError('invalid_input', 'purpose is required (a form field before the file)', [
            { location: 'purpose', message: `required: one of ${FILE_PURPOSES.join(', ')}` },
          ]);
        }
        const stored = await storeFile(
          ctx,
          { actor: actorOf(request), scope: request.scope, requestId: request.id },
          { purpose, fileName: part.filename, vendorId: field(part.fields, 'vendorId'), stream: part.file },
        );
        return reply.status(201).header('location', `/api/files/${stored.id}`).send(stored);
      },
    );
  });

  app.get(
    '/api/files/:fileId',
    {
      config: { access: { resource: 'file', action: 'read' } },
      schema: {
        tags: ['files'],
        summary: "A stored file's record (a partner its own partner's files, a vendor its vendor's)",
        params: Params,
        response: { 200: StoredFileSchema, ...errors },
      },
    },
    (request) => getStoredFile(ctx, request.scope, request.params.fileId),
  );

  app.get(
    '/api/files/:fileId/content',
    {
      config: { access: { resource: 'file', action: 'read' }, contentSecurityPolicy: 'sandbox' },
      schema: {
        tags: ['files'],
        summary:
          "A stored file's bytes, as an attachment with the type detected at upload (X-Content-Type-Options: nosniff, Content-Security-Policy: sandbox)",
        params: Params,
        response: { 200: z.any().describe('The file'), ...errors },
      },
    },
    async (request, reply) => {
      const { file, stream } = await openStoredFile(ctx, request.scope, request.params.fileId);
      return reply
        .header('content-type', file.contentType)
        .header('content-length', String(file.sizeBytes))
        .header('content-disposition', contentDisposition(file.fileName))
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-store')
        .send(stream);
    },
  );
};
