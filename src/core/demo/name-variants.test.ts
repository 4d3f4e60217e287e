import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { seededRandom } from '../shared/random.js';
import { LEGAL_FORMS } from './geo.js';
import {
  ABBREVIATIONS,
  LEGAL_SUFFIX_GROUPS,
  NAME_VARIANT_KINDS,
  applicableVariantKinds,
  nameVariant,
  randomNameVariant,
  splitLegalSuffix,
} from './name-variants.js';
import type { NameVariantKind } from './name-variants.js';
import { customerName } from './names.js';
import { SEGMENTS } from '../model/geography.js';

const collapse = (s: string): string => s.trim().replace(/ +/g, ' ');
const ABBREV_WORDS = new Map<string, Set<string>>();
for (const [long, short] of ABBREVIATIONS) {
  for (const [a, b] of [
    [long, short],
    [short, long],
  ] as const) {
    const set = ABBREV_WORDS.get(a) ?? new Set<string>();
    set.add(b);
    set.add(`${b}.`);
    ABBREV_WORDS.set(a, set);
  }
}

/** Damerau-Levenshtein distance (optimal string alignment), for the typo check. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const row = d[i] as number[];
      const prev = d[i - 1] as number[];
      row[j] = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        row[j] = Math.min(row[j] as number, ((d[i - 2] as number[])[j - 2] as number) + 1);
      }
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}

/** Checks that `variant` is what `kind` says it is, for `name`. */
function expectKind(name: string, kind: NameVariantKind, variant: string): void {
  const split = splitLegalSuffix(name);
  switch (kind) {
    case 'exact':
      expect(variant).toBe(name);
      return;
    case 'suffix-change': {
      const v = splitLegalSuffix(variant);
      expect(v.body).toBe(split.body);
      expect(split.group).toContain(v.suffix);
      expect(v.suffix).not.toBe(split.suffix);
      return;
    }
    case 'suffix-drop':
      expect(variant).toBe(split.body);
      expect(split.suffix).not.toBe('');
      return;
    case 'abbreviation': {
      const a = split.body.split(' ');
      const b = splitLegalSuffix(variant).body.split(' ');
      expect(b).toHaveLength(a.length);
      const changed = a.map((w, i) => [w, b[i] as string] as const).filter(([x, y]) => x !== y);
      expect(changed).toHaveLength(1);
      const [from, to] = changed[0] as readonly [string, string];
      expect(ABBREV_WORDS.get(from)?.has(to)).toBe(true);
      expect(variant.endsWith(split.suffix)).toBe(true);
      return;
    }
    case 'ampersand':
      expect(variant).not.toBe(name);
      expect(variant.replace(/ & /g, ' and ').toLowerCase()).toBe(
        name.replace(/ & /g, ' and ').toLowerCase(),
      );
      return;
    case 'word-order': {
      const words = split.body.split(' ');
      expect(words).toHaveLength(2);
      expect(splitLegalSuffix(variant).body).toBe(`${words[1]} ${words[0]}`);
      expect(variant.endsWith(split.suffix)).toBe(true);
      return;
    }
    case 'case':
      expect(variant).not.toBe(name);
      expect(variant.toLowerCase()).toBe(name.toLowerCase());
      return;
    case 'typo':
      expect(variant).not.toBe(name);
      expect(editDistance(name, variant)).toBe(1);
      return;
    case 'whitespace':
      expect(variant).not.toBe(name);
      expect(collapse(variant)).toBe(collapse(name));
      return;
  }
}

describe('splitLegalSuffix', () => {
  it.each([
    ['Harbor Logistics Inc.', 'Harbor Logistics', 'Inc.'],
    ['Acme Co., Ltd.', 'Acme', 'Co., Ltd.'],
    ['Weber & Rossi GmbH & Co. KG', 'Weber & Rossi', 'GmbH & Co. KG'],
    ['Grupo Norte S.A. de C.V.', 'Grupo Norte', 'S.A. de C.V.'],
    ['Acme, Inc.', 'Acme', 'Inc.'],
    ['Atlas', 'Atlas', ''],
    ['City of Lyon', 'City of Lyon', ''],
    ['Inc.', 'Inc.', ''],
  ])('%s -> %s + %s', (name, body, suffix) => {
    const split = splitLegalSuffix(name);
    expect(split.body).toBe(body);
    expect(split.suffix).toBe(suffix);
  });

  it('recognises every legal form the generator uses', () => {
    for (const forms of Object.values(LEGAL_FORMS)) {
      for (const form of forms) {
        if (form === '') continue;
        expect(splitLegalSuffix(`Harbor Logistics ${form}`)).toMatchObject({
          body: 'Harbor Logistics',
          suffix: form,
        });
      }
    }
  });

  it('has disjoint suffix groups (ignoring case)', () => {
    const groupOf = new Map<string, number>();
    LEGAL_SUFFIX_GROUPS.forEach((group, i) => {
      for (const s of group) {
        const prev = groupOf.get(s.toLowerCase());
        expect(prev === undefined || prev === i, s).toBe(true);
        groupOf.set(s.toLowerCase(), i);
      }
    });
  });
});

describe('nameVariant', () => {
  const names = [
    'Harbor Logistics Inc.',
    'Weber & Rossi GmbH',
    'Northwind Systems International Corp.',
    'Smith Brothers Foods LLC',
    'Cedar and Pine Ltd',
    'Global Manufacturing Co., Ltd.',
    'City of Lyon',
    'Bluepeak Technologies',
  ];

  it.each(names)('each applicable kind does what it says for %s', (name) => {
    const rng = seededRandom(11);
    for (const kind of applicableVariantKinds(name)) {
      for (let i = 0; i < 20; i++) expectKind(name, kind, nameVariant(name, kind, rng));
    }
  });

  it('returns the name unchanged when a kind does not apply', () => {
    const rng = seededRandom(1);
    expect(nameVariant('City of Lyon', 'suffix-drop', rng)).toBe('City of Lyon');
    expect(nameVariant('Northwind Systems International', 'word-order', rng)).toBe(
      'Northwind Systems International',
    );
    expect(nameVariant('Harbor Logistics', 'ampersand', rng)).toBe('Harbor Logistics');
  });

  it('knows which kinds apply', () => {
    expect(applicableVariantKinds('Harbor Logistics Inc.')).toEqual(
      expect.arrayContaining(['suffix-change', 'suffix-drop', 'word-order', 'case', 'typo', 'whitespace']),
    );
    expect(applicableVariantKinds('Weber & Rossi AG')).toContain('ampersand');
    expect(applicableVariantKinds('Weber & Rossi AG')).not.toContain('suffix-change');
    expect(applicableVariantKinds('Cobalt Intl')).toContain('abbreviation');
  });

  it('holds for generated customer names (property)', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.constantFrom(...SEGMENTS),
        fc.constantFrom('US', 'GB', 'DE', 'FR', 'JP', 'MX', 'BR', 'IN'),
        fc.constantFrom(...NAME_VARIANT_KINDS),
        (seed, segment, country, kind) => {
          const rng = seededRandom(seed);
          const { name } = customerName(rng, segment, country);
          const variant = nameVariant(name, kind, rng);
          if (applicableVariantKinds(name).includes(kind)) expectKind(name, kind, variant);
          else expect(variant).toBe(name);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('randomNameVariant', () => {
  it('is usually exact, often not, and always what its kind says', () => {
    const rng = seededRandom(5);
    const kinds = new Map<NameVariantKind, number>();
    let changed = 0;
    for (let i = 0; i < 4000; i++) {
      const name = customerName(rng, 'commercial', 'US').name;
      const v = randomNameVariant(name, rng);
      kinds.set(v.kind, (kinds.get(v.kind) ?? 0) + 1);
      expectKind(name, v.kind, v.name);
      if (v.name !== name) changed++;
    }
    expect(kinds.get('exact')).toBeGreaterThan(2000);
    expect(changed).toBeGreaterThan(1000);
    for (const kind of NAME_VARIANT_KINDS) expect(kinds.get(kind) ?? 0, kind).toBeGreaterThan(0);
  });

  it('is deterministic for a seed', () => {
    const a = randomNameVariant('Harbor Logistics Inc.', seededRandom(3), 0);
    const b = randomNameVariant('Harbor Logistics Inc.', seededRandom(3), 0);
    expect(a).toEqual(b);
  });
});
