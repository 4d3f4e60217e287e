import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { trellis } from '../support/cli.js';
import { dealDataDir } from '../support/cli-deals.js';
import { SAMPLES } from '../support/multipart.js';

describe('trellis files', () => {
  let env: Record<string, string> = {};
  let dir = '';
  const work = mkdtempSync(join(tmpdir(), 'trellis-files-cli-'));

  beforeAll(async () => {
    ({ dir, env } = await dealDataDir());
    writeFileSync(join(work, 'invoice.pdf'), SAMPLES.pdf);
    writeFileSync(join(work, 'setup.pdf'), SAMPLES.exe);
  });

  it('uploads as a partner person and reads the bytes back; another partner is told it does not exist', () => {
    const up = trellis(
      [
        'files',
        'upload',
        join(work, 'invoice.pdf'),
        '--purpose',
        'mdf-proof',
        '--vendor',
        'dell',
        '--as',
        'admin@alpha.test',
        '--json',
      ],
      env,
    );
    expect(up.code, up.stderr).toBe(0);
    const stored = JSON.parse(up.stdout) as {
      id: string;
      fileName: string;
      contentType: string;
      partnerId: string;
    };
    expect(stored).toMatchObject({
      fileName: 'invoice.pdf',
      contentType: 'application/pdf',
      partnerId: 'ptn_alpha',
    });
    // The bytes are under <data dir>/files, owner-only.
    const vendorDirs = readdirSync(join(dir, 'files')).filter((d) => d !== '.tmp');
    expect(vendorDirs).toHaveLength(1);
    expect(statSync(join(dir, 'files', vendorDirs[0] as string)).mode & 0o077).toBe(0);

    const out = join(work, 'back.pdf');
    const get = trellis(['files', 'get', stored.id, '--as', 'admin@alpha.test', '--out', out], env);
    expect(get.code, get.stderr).toBe(0);
    expect(readFileSync(out).equals(SAMPLES.pdf)).toBe(true);

    const other = trellis(
      ['files', 'get', stored.id, '--as', 'admin@bravo.test', '--out', join(work, 'no.pdf')],
      env,
    );
    expect(other.code).not.toBe(0);
    expect(other.stderr).toContain(`file ${stored.id} was not found`);

    const operator = trellis(['files', 'get', stored.id], env);
    expect(operator.code, operator.stderr).toBe(0);
    expect(operator.stdout).toBe(SAMPLES.pdf.toString('latin1'));
  });

  it('refuses an executable named .pdf, naming it, and keeps nothing', () => {
    const up = trellis(
      [
        'files',
        'upload',
        join(work, 'setup.pdf'),
        '--purpose',
        'mdf-proof',
        '--vendor',
        'dell',
        '--as',
        'admin@alpha.test',
      ],
      env,
    );
    expect(up.code).not.toBe(0);
    expect(up.stderr).toContain('setup.pdf is a Windows executable');
    expect(readdirSync(join(dir, 'files', '.tmp'))).toEqual([]);
  });
});
