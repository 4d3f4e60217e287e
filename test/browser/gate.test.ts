import { describe, expect, it } from 'vitest';
import { browserGate, DEFAULT_CHROMIUM } from './browser.js';

/** The gate alone, without a browser: when the browser suite runs, skips, or fails. */
describe('browser gate', () => {
  const missing = '/nonexistent/chromium-for-trellis-tests';

  it('runs with the Chromium TRELLIS_CHROMIUM names', () => {
    expect(browserGate({ TRELLIS_CHROMIUM: process.execPath })).toEqual({
      run: true,
      executablePath: process.execPath,
    });
  });

  it('skips with a reason when Chromium is missing', () => {
    const gate = browserGate({ TRELLIS_CHROMIUM: missing });
    expect(gate).toMatchObject({ run: false, required: false });
    expect(gate.run ? '' : gate.reason).toContain(missing);
  });

  it('fails instead of skipping when TRELLIS_REQUIRE_BROWSER=1', () => {
    expect(browserGate({ TRELLIS_CHROMIUM: missing, TRELLIS_REQUIRE_BROWSER: '1' })).toMatchObject({
      run: false,
      required: true,
    });
  });

  it('looks at /usr/bin/chromium when TRELLIS_CHROMIUM is unset or blank', () => {
    for (const env of [{}, { TRELLIS_CHROMIUM: '  ' }]) {
      const gate = browserGate(env);
      if (gate.run) expect(gate.executablePath).toBe(DEFAULT_CHROMIUM);
      else expect(gate.reason).toContain(DEFAULT_CHROMIUM);
    }
  });

  it('does not take a directory for a browser', () => {
    expect(browserGate({ TRELLIS_CHROMIUM: '/usr/bin' }).run).toBe(false);
  });
});
