import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  classify,
  extensionAgrees,
  markupIn,
  officeKindOf,
  sanitizeFileName,
  sniff,
  textCheck,
  type FileKind,
  type Sniffed,
} from './file-kinds.js';
import { zipEntry } from './zip-entry.js';

const bytes = (...parts: (string | number[])[]) =>
  new Uint8Array(
    Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p)))),
  );

const isText = (b: Uint8Array, chunk = 3) => {
  const check = textCheck();
  for (let i = 0; i < b.length; i += chunk) check.push(b.subarray(i, i + chunk));
  return check.end();
};

/** A zip with deflated entries (central directory included). */
function zip(entries: Record<string, string>): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(entries)) {
    const data = deflateRawSync(Buffer.from(content));
    const n = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(content.length, 22);
    local.writeUInt16LE(n.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(content.length, 24);
    central.writeUInt16LE(n.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, n, data);
    centrals.push(central, n);
    offset += 30 + n.length + data.length;
  }
  const dir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(entries).length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, dir, end]));
}

describe('what the leading bytes say', () => {
  it.each<[string, Uint8Array, Sniffed['kind']]>([
    ['PDF', bytes('%PDF-1.7\n'), 'pdf'],
    ['PNG', bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]), 'png'],
    ['JPEG', bytes([0xff, 0xd8, 0xff, 0xe0]), 'jpeg'],
    ['GIF87a', bytes('GIF87a'), 'gif'],
    ['GIF89a', bytes('GIF89a..'), 'gif'],
    ['WebP', bytes('RIFF', [1, 2, 3, 4], 'WEBPVP8 '), 'webp'],
    ['a RIFF that is not WebP (WAV)', bytes('RIFF', [1, 2, 3, 4], 'WAVEfmt '), 'maybe-text'],
    ['a zip', bytes([0x50, 0x4b, 0x03, 0x04]), 'zip'],
    ['a Windows executable', bytes('MZ', [0x90, 0]), 'refused'],
    ['an ELF executable', bytes([0x7f, 0x45, 0x4c, 0x46]), 'refused'],
    ['a script', bytes('#!/bin/sh\n'), 'refused'],
    ['gzip', bytes([0x1f, 0x8b, 8]), 'refused'],
    ['a legacy Office file', bytes([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), 'refused'],
    ['text', bytes('hello'), 'maybe-text'],
  ])('%s', (_name, head, kind) => {
    expect(sniff(head).kind).toBe(kind);
  });
});

describe('the text check', () => {
  it('accepts UTF-8 split anywhere across chunks, with or without a BOM', () => {
    expect(isText(bytes('caf\u00c3\u00a9, na\u00c3\u00afve; \u00e2\u0082\u00ac 12'), 1)).toBe(true);
    expect(isText(bytes([0xef, 0xbb, 0xbf], 'a,b\n1,2\n'))).toBe(true);
  });
  it('refuses NUL bytes, invalid UTF-8 and a sequence cut at the end', () => {
    expect(isText(bytes('abc', [0], 'def'))).toBe(false);
    expect(isText(bytes([0xc3, 0x28]))).toBe(false);
    expect(isText(bytes('ok', [0xe2, 0x82]))).toBe(false);
  });
});

describe('markup in text', () => {
  it.each([
    ['<!DOCTYPE html><p>x', 'HTML'],
    ['  \n<html lang="en">', 'HTML'],
    ['\uFEFF<script>alert(1)</script>', 'HTML'],
    ['<svg xmlns="http://www.w3.org/2000/svg">', 'SVG'],
    ['<?xml version="1.0"?><svg/>', 'XML or markup'],
  ])('finds %s', (text, what) => expect(markupIn(text)).toBe(what));
  it('leaves CSV and prose alone', () => {
    expect(markupIn('name,amount\n<none>,1\n')).toBeNull();
    expect(markupIn('Booth photos from the trade show')).toBeNull();
  });
});

describe('Office documents', () => {
  const types = (main: string) =>
    `<?xml version="1.0"?><Types><Override PartName="/x.xml" ContentType="${main}"/></Types>`;
  it.each<[string, FileKind | null]>([
    ['application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml', 'docx'],
    ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml', 'xlsx'],
    ['application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml', 'pptx'],
    ['application/vnd.ms-word.document.macroEnabled.main+xml', null],
    ['application/xml', null],
  ])('%s is %s', (main, kind) => expect(officeKindOf(types(main))).toBe(kind));
  it('refuses a document that declares a VBA project, and a zip without content types', () => {
    expect(
      officeKindOf(
        types('application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml') +
          '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>',
      ),
    ).toBeNull();
    expect(officeKindOf(null)).toBeNull();
  });
  it('reads an entry through the central directory', () => {
    const z = zip({ 'a.txt': 'first', '[Content_Types].xml': '<Types/>' });
    const entry = zipEntry(z, '[Content_Types].xml');
    expect(entry?.method).toBe(8);
    expect(zipEntry(z, 'missing.xml')).toBeNull();
    expect(zipEntry(z.subarray(0, z.length - 10), 'a.txt')).toBeNull();
  });
});

describe('names', () => {
  it.each([
    ['../../etc/passwd', 'passwd'],
    ['C:\\Users\\me\\invoice.pdf', 'invoice.pdf'],
    ['bad"name<>.pdf', 'bad_name__.pdf'],
    ['line\nbreak.pdf', 'line_break.pdf'],
    ['...hidden.txt', 'hidden.txt'],
    ['', 'file'],
    ['   ', 'file'],
    ['right\u202eto-left.pdf', 'right_to-left.pdf'],
  ])('sanitises %j to %j', (name, clean) => expect(sanitizeFileName(name)).toBe(clean));
  it('keeps the extension of a name cut to 200 characters', () => {
    const clean = sanitizeFileName(`${'x'.repeat(300)}.pdf`);
    expect(clean).toHaveLength(200);
    expect(clean.endsWith('.pdf')).toBe(true);
  });
  it('agrees when the extension belongs to the kind, or when there is none', () => {
    expect(extensionAgrees('a.JPG', 'jpeg')).toBe(true);
    expect(extensionAgrees('scan', 'pdf')).toBe(true);
    expect(extensionAgrees('a.pdf', 'png')).toBe(false);
  });
});

describe('the decision', () => {
  const base = { isText: false, headText: '', officeKind: null };
  it('accepts a kind whose name agrees, with its content type', () => {
    expect(classify({ ...base, fileName: 'a.pdf', sniffed: { kind: 'pdf' } })).toEqual({
      accepted: true,
      kind: 'pdf',
      contentType: 'application/pdf',
    });
    expect(
      classify({
        ...base,
        fileName: 'list.csv',
        sniffed: { kind: 'maybe-text' },
        isText: true,
        headText: 'a,b',
      }),
    ).toMatchObject({ accepted: true, kind: 'csv' });
  });
  it('refuses with a reason naming the file', () => {
    const cases = [
      classify({ ...base, fileName: 'setup.pdf', sniffed: sniff(bytes('MZ')) }),
      classify({ ...base, fileName: 'a.pdf', sniffed: { kind: 'png' } }),
      classify({ ...base, fileName: 'x.bin', sniffed: { kind: 'maybe-text' } }),
      classify({
        ...base,
        fileName: 'page.txt',
        sniffed: { kind: 'maybe-text' },
        isText: true,
        headText: '<html>',
      }),
      classify({
        ...base,
        fileName: 'app.js',
        sniffed: { kind: 'maybe-text' },
        isText: true,
        headText: 'alert(1)',
      }),
      classify({ ...base, fileName: 'all.zip', sniffed: { kind: 'zip' } }),
    ];
    for (const c of cases) {
      expect(c.accepted).toBe(false);
      if (!c.accepted) expect(c.reason).toMatch(/^(setup\.pdf|a\.pdf|x\.bin|page\.txt|app\.js|all\.zip) /);
    }
  });
});
