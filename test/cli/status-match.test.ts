import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { trellis } from '../support/cli.js';

describe('trellis tiers status-match', () => {
  it('reads its file with the one CSV reader: every problem as file:line:column, nothing written', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trellis-cli-'));
    const file = join(dir, 'legacy.csv');
    writeFileSync(
      file,
      ['partner_id,legacy_program,legacy_tier', 'ptn_a,dell-partnerdirect,', 'ptn_b,"emc"x,gold', ''].join(
        '\n',
      ),
    );
    const run = trellis(['tiers', 'status-match', 'dell-emc-partner-program', file], {
      TRELLIS_DATA_DIR: dir,
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${file}: 2 problems; nothing was written`);
    expect(run.stderr).toContain(`${file}:2:3: missing legacy_tier`);
    expect(run.stderr).toContain(
      `${file}:3:2: characters after the closing quote of a field; quote the whole field`,
    );
  });
});
