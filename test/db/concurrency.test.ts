import { describe, expect, it } from 'vitest';
import { retryOnRace } from '../../src/app/concurrency.js';
import { isConcurrencyError, isSerializationFailure } from '../../src/db/concurrency.js';

const failure = (code: string) => Object.assign(new Error(code), { code });

describe('races the store decides', () => {
  it('tells a race a retry can get past (serialization, deadlock, busy) from one already decided (a key)', () => {
    for (const code of ['40001', '40P01', 'SQLITE_BUSY']) {
      expect(isSerializationFailure(failure(code)), code).toBe(true);
      expect(isConcurrencyError(failure(code)), code).toBe(true);
    }
    for (const code of ['23505', 'SQLITE_CONSTRAINT_UNIQUE']) {
      expect(isSerializationFailure(failure(code)), code).toBe(false);
      expect(isConcurrencyError(failure(code)), code).toBe(true);
    }
    expect(isSerializationFailure(new Error('boom'))).toBe(false);
    expect(isSerializationFailure('40001')).toBe(false);
  });

  it('runs work again after a serialization failure, and lets a decided race or a bug through at once', async () => {
    let runs = 0;
    await expect(
      retryOnRace(async () => {
        runs++;
        if (runs < 3) throw failure('40001');
        return 'moved';
      }),
    ).resolves.toBe('moved');
    expect(runs).toBe(3);

    for (const error of [failure('23505'), new TypeError('bug')]) {
      runs = 0;
      await expect(
        retryOnRace(async () => {
          runs++;
          throw error;
        }),
      ).rejects.toBe(error);
      expect(runs).toBe(1);
    }

    runs = 0;
    await expect(
      retryOnRace(async () => {
        runs++;
        throw failure('40P01');
      }, 3),
    ).rejects.toMatchObject({ code: '40P01' });
    expect(runs).toBe(3);
  });
});
