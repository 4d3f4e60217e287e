import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext, type AppContext } from '../../src/app/context.js';
import { diskFileStore } from '../../src/app/files/file-store.js';
import { requireOwnFiles } from '../../src/app/files/own-files.js';
import { buildServer } from '../../src/server/app.js';
import type { Server } from '../../src/server/types.js';
import { loadFixture } from '../support/fixtures.js';
import { signIn, type Session } from '../support/http.js';
import { multipart, SAMPLES } from '../support/multipart.js';
import { openTestStore, STORE_KINDS, type TestStore } from '../support/stores.js';

/** Every file under a folder, recursively (the store's objects and any temporary file). */
function filesUnder(dir: string): string[] {
  let out: string[] = [];
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  for (const name of names) {
    const path = join(dir, name);
    out = statSync(path).isDirectory() ? [...out, ...filesUnder(path)] : [...out, path];
  }
  return out;
}

const LIMIT = 64 * 1024;

for (const kind of STORE_KINDS) {
  describe(`stored files on ${kind}`, () => {
    let t: TestStore;
    let ctx: AppContext;
    let app: Server;
    let dir: string;
    const sessions: Record<string, Session> = {};
    let dellId = '';

    beforeAll(async () => {
      t = await openTestStore(kind);
      dir = mkdtempSync(join(tmpdir(), 'trellis-files-test-'));
      ctx = createContext(t.store, {
        files: { store: diskFileStore(dir), spoolDir: join(dir, '.tmp'), maxUploadBytes: LIMIT },
      });
      dellId = (await loadFixture(ctx)).dell.vendorId;
      app = await buildServer(ctx);
      for (const email of ['admin@alpha.test', 'admin@bravo.test', 'admin@dell.test', 'admin@vmware.test'])
        sessions[email] = await signIn(app, email);
    });

    afterAll(async () => {
      await app?.close();
      await t?.cleanup();
      rmSync(dir, { recursive: true, force: true });
    });

    const upload = async (
      who: string,
      file: { name: string; bytes: Buffer; field?: string } | null,
      fields?: Record<string, string>,
    ) => {
      const s = sessions[who] as Session;
      // Alpha is enrolled with two vendors: it names Dell.
      fields ??=
        who === 'admin@alpha.test' ? { purpose: 'mdf-proof', vendorId: dellId } : { purpose: 'mdf-proof' };
      const body = multipart(fields, file ? [file] : []);
      const res = await app.inject({
        method: 'POST',
        url: '/api/files',
        headers: { ...body.headers, cookie: s.cookie, 'x-csrf-token': s.csrf },
        payload: body.payload,
      });
      return { status: res.statusCode, body: res.json() as Record<string, unknown>, headers: res.headers };
    };
    const get = async (who: string, url: string) => {
      const s = sessions[who] as Session;
      return app.inject({ method: 'GET', url, headers: { cookie: s.cookie } });
    };
    const rowCount = async () =>
      Number(
        (
          await ctx.store.db
            .selectFrom('storedFiles')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const objects = () => filesUnder(dir).filter((p) => !p.includes(`${join(dir, '.tmp')}`));
    const temporaries = () => filesUnder(join(dir, '.tmp'));

    it('stores an upload and gives it back byte for byte, with safe headers', async () => {
      const up = await upload('admin@alpha.test', { name: 'invoice 2026.pdf', bytes: SAMPLES.pdf });
      expect(up.status, JSON.stringify(up.body)).toBe(201);
      expect(up.body).toMatchObject({
        fileName: 'invoice 2026.pdf',
        contentType: 'application/pdf',
        sizeBytes: SAMPLES.pdf.length,
        partnerId: 'ptn_alpha',
        vendorId: dellId,
        purpose: 'mdf-proof',
      });
      const id = up.body.id as string;
      expect(id).toMatch(/^fil_/);
      const meta = await get('admin@alpha.test', `/api/files/${id}`);
      expect(meta.statusCode).toBe(200);
      expect(meta.json()).toMatchObject({ id, sha256: up.body.sha256 });
      const content = await get('admin@alpha.test', `/api/files/${id}/content`);
      expect(content.statusCode).toBe(200);
      expect(content.rawPayload.equals(SAMPLES.pdf)).toBe(true);
      expect(content.headers['content-type']).toBe('application/pdf');
      expect(content.headers['x-content-type-options']).toBe('nosniff');
      expect(content.headers['content-security-policy']).toBe('sandbox');
      expect(content.headers['content-disposition']).toBe(
        `attachment; filename="invoice 2026.pdf"; filename*=UTF-8''invoice%202026.pdf`,
      );
      // The vendor reads its partner's proof; the upload is audited.
      expect((await get('admin@dell.test', `/api/files/${id}/content`)).statusCode).toBe(200);
      const audit = await ctx.store.db
        .selectFrom('auditEvents')
        .selectAll()
        .where('targetId', '=', id)
        .execute();
      expect(audit.map((a) => a.action)).toEqual(['file.upload']);
      // Owner-only permissions on the stored object.
      for (const p of objects()) expect(statSync(p).mode & 0o077).toBe(0);
    });

    it('answers 404 to another partner and another vendor, for the record and the bytes', async () => {
      const up = await upload('admin@alpha.test', { name: 'photo.png', bytes: SAMPLES.png });
      expect(up.status).toBe(201);
      const id = up.body.id as string;
      for (const who of ['admin@bravo.test', 'admin@vmware.test'])
        for (const url of [`/api/files/${id}`, `/api/files/${id}/content`]) {
          const r = await get(who, url);
          expect(r.statusCode, `${who} ${url}`).toBe(404);
          expect(r.headers['content-type']).toContain('application/problem+json');
        }
    });

    it('refuses an upload past the limit with 413 while it streams, keeping nothing', async () => {
      const rows = await rowCount();
      const before = objects().length;
      const big = Buffer.concat([SAMPLES.pdf, Buffer.alloc(LIMIT * 3, 0x20)]);
      const up = await upload('admin@alpha.test', { name: 'big.pdf', bytes: big });
      expect(up.status).toBe(413);
      expect(up.body).toMatchObject({ code: 'too_large', messageKey: 'fileTooLarge' });
      expect(String(up.body.detail)).toContain('big.pdf');
      expect(await rowCount()).toBe(rows);
      expect(objects().length).toBe(before);
      expect(temporaries()).toEqual([]);
    });

    it.each([
      ['an executable renamed .pdf', 'setup.pdf', SAMPLES.exe, 'Windows executable'],
      ['an HTML page', 'page.html', SAMPLES.html, 'HTML'],
      ['an HTML page named .txt', 'notes.txt', SAMPLES.html, 'HTML'],
      ['a PNG named .pdf', 'scan.pdf', SAMPLES.png, 'PNG image'],
      ['a zip archive', 'files.zip', SAMPLES.zip, 'zip archive'],
      [
        'an SVG image',
        'logo.svg',
        Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        'SVG',
      ],
    ])('refuses %s with 415 naming the file', async (_what, name, bytes, reason) => {
      const rows = await rowCount();
      const up = await upload('admin@alpha.test', { name, bytes });
      expect(up.status, JSON.stringify(up.body)).toBe(415);
      expect(up.body.code).toBe('unsupported_type');
      expect(up.body.messageKey).toBe(reason === 'PNG image' ? 'fileNameDisagrees' : 'fileTypeRefused');
      expect(String(up.body.detail)).toContain(name);
      expect(String(up.body.detail)).toContain(reason);
      expect(await rowCount()).toBe(rows);
      expect(temporaries()).toEqual([]);
    });

    it('refuses an empty file, a missing file part and a missing purpose with 400 naming the field', async () => {
      const empty = await upload('admin@alpha.test', { name: 'empty.pdf', bytes: Buffer.alloc(0) });
      expect(empty.status).toBe(400);
      expect(empty.body).toMatchObject({ errors: [{ location: 'file', message: 'is empty' }] });
      const none = await upload('admin@alpha.test', null);
      expect(none.status).toBe(400);
      expect(none.body).toMatchObject({ errors: [{ location: 'file' }] });
      const noPurpose = await upload(
        'admin@alpha.test',
        { name: 'a.pdf', bytes: SAMPLES.pdf },
        { vendorId: dellId },
      );
      expect(noPurpose.status).toBe(400);
      expect(noPurpose.body).toMatchObject({ errors: [{ location: 'purpose' }] });
      const badPurpose = await upload(
        'admin@alpha.test',
        { name: 'a.pdf', bytes: SAMPLES.pdf },
        { purpose: 'x', vendorId: dellId },
      );
      expect(badPurpose.status).toBe(400);
      const json = await app.inject({
        method: 'POST',
        url: '/api/files',
        headers: {
          cookie: sessions['admin@alpha.test']?.cookie ?? '',
          'x-csrf-token': sessions['admin@alpha.test']?.csrf ?? '',
        },
        payload: { purpose: 'mdf-proof' },
      });
      expect(json.statusCode).toBe(400);
      expect(temporaries()).toEqual([]);
    });

    it('accepts CSV and Word documents, typed from their bytes', async () => {
      const csv = await upload('admin@alpha.test', { name: 'attendees.csv', bytes: SAMPLES.csv });
      expect(csv.status).toBe(201);
      expect(csv.body.contentType).toBe('text/csv; charset=utf-8');
      const docx = await upload('admin@alpha.test', { name: '../../etc/report.docx', bytes: SAMPLES.docx });
      expect(docx.status, JSON.stringify(docx.body)).toBe(201);
      expect(docx.body).toMatchObject({
        fileName: 'report.docx',
        contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      });
    });

    it('keeps one stored object for the same bytes uploaded twice, with two records', async () => {
      const bytes = Buffer.from('%PDF-1.7\nthe same proof twice\n%%EOF\n');
      const a = await upload('admin@alpha.test', { name: 'a.pdf', bytes });
      const before = objects().length;
      const b = await upload('admin@alpha.test', { name: 'b.pdf', bytes });
      expect([a.status, b.status]).toEqual([201, 201]);
      expect(a.body.id).not.toBe(b.body.id);
      expect(a.body.sha256).toBe(b.body.sha256);
      expect(objects().length).toBe(before);
      const back = await get('admin@alpha.test', `/api/files/${b.body.id as string}/content`);
      expect(back.rawPayload.equals(bytes)).toBe(true);
    });

    it('races ten uploads of the same bytes: ten records, ten audit events, one stored object', async () => {
      const bytes = Buffer.from('%PDF-1.7\nraced proof\n%%EOF\n');
      const rows = await rowCount();
      const replies = await Promise.all(
        Array.from({ length: 10 }, (_, i) => upload('admin@alpha.test', { name: `race-${i}.pdf`, bytes })),
      );
      expect(replies.map((r) => r.status)).toEqual(Array(10).fill(201));
      expect(new Set(replies.map((r) => r.body.id)).size).toBe(10);
      expect(await rowCount()).toBe(rows + 10);
      const sha = replies[0]?.body.sha256 as string;
      expect(objects().filter((p) => p.endsWith(sha))).toHaveLength(1);
      expect(temporaries()).toEqual([]);
      const audited = await ctx.store.db
        .selectFrom('auditEvents')
        .select('targetId')
        .where('action', '=', 'file.upload')
        .where(
          'targetId',
          'in',
          replies.map((r) => r.body.id as string),
        )
        .execute();
      expect(audited).toHaveLength(10);
    });

    it('lets a vendor upload for itself, and refuses a vendor it is not', async () => {
      const up = await upload('admin@dell.test', { name: 'brief.pdf', bytes: SAMPLES.pdf });
      expect(up.status).toBe(201);
      expect(up.body).toMatchObject({ vendorId: dellId, partnerId: null });
      expect((await get('admin@alpha.test', `/api/files/${up.body.id as string}`)).statusCode).toBe(404);
      const other = await upload(
        'admin@dell.test',
        { name: 'brief.pdf', bytes: SAMPLES.pdf },
        { purpose: 'mdf-proof', vendorId: 'vnd_elsewhere' },
      );
      expect(other.status).toBe(404);
    });

    it('requireOwnFiles returns the owner’s files and names any other id', async () => {
      const mine = await upload('admin@alpha.test', { name: 'mine.pdf', bytes: SAMPLES.pdf });
      const theirs = await upload('admin@bravo.test', { name: 'theirs.pdf', bytes: SAMPLES.pdf });
      expect([mine.status, theirs.status]).toEqual([201, 201]);
      const owner = { vendorId: dellId, partnerId: 'ptn_alpha' };
      const ok = await ctx.store.db
        .transaction()
        .execute((trx) => requireOwnFiles(trx, owner, [mine.body.id as string]));
      expect(ok.map((f) => f.id)).toEqual([mine.body.id]);
      await expect(
        requireOwnFiles(
          ctx.store.db,
          owner,
          [mine.body.id as string, theirs.body.id as string, 'fil_nothing'],
          {
            location: 'body.proofFileIds',
          },
        ),
      ).rejects.toMatchObject({
        code: 'invalid_input',
        details: [
          { location: 'body.proofFileIds.1', message: expect.stringContaining(theirs.body.id as string) },
          { location: 'body.proofFileIds.2', message: expect.stringContaining('fil_nothing') },
        ],
      });
    });
  });
}
