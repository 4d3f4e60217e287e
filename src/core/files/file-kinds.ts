/**
 * What an uploaded file is, decided from its bytes (magic numbers), never from the name or the type the
 * uploader declared. Only kinds that cannot run script when opened from Trellis are accepted: PDF, PNG,
 * JPEG, GIF, WebP, plain text and CSV (valid UTF-8, no NUL, not markup), and Office Open XML documents
 * (docx, xlsx, pptx: a zip whose `[Content_Types].xml` names the main part). Everything else (executables,
 * HTML, SVG, XML, archives, macro-enabled Office files) is refused with a reason naming the file.
 * Pure: the caller reads the bytes (the first HEAD_BYTES, the text check over every chunk, the zip entry).
 */

export const FILE_KINDS = [
  'pdf',
  'png',
  'jpeg',
  'gif',
  'webp',
  'text',
  'csv',
  'docx',
  'xlsx',
  'pptx',
] as const;
export type FileKind = (typeof FILE_KINDS)[number];

/** The Content-Type each kind is stored and served with. */
export const CONTENT_TYPES: Record<FileKind, string> = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  text: 'text/plain; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
};

/** The file-name extensions that agree with each kind (lower case, without the dot). */
export const EXTENSIONS: Record<FileKind, readonly string[]> = {
  pdf: ['pdf'],
  png: ['png'],
  jpeg: ['jpg', 'jpeg', 'jpe', 'jfif'],
  gif: ['gif'],
  webp: ['webp'],
  text: ['txt', 'text', 'log', 'md'],
  csv: ['csv'],
  docx: ['docx'],
  xlsx: ['xlsx'],
  pptx: ['pptx'],
};

/** How many leading bytes `sniff` needs. */
export const HEAD_BYTES = 64;

/** What the leading bytes say. `zip`: an Office document or an archive, decided by `officeKindOf`. */
export type Sniffed =
  | { kind: 'pdf' | 'png' | 'jpeg' | 'gif' | 'webp' }
  | { kind: 'zip' }
  | { kind: 'maybe-text' }
  | { kind: 'refused'; what: string };

const startsWith = (head: Uint8Array, sig: readonly number[], at = 0) =>
  head.length >= at + sig.length && sig.every((b, i) => head[at + i] === b);
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

/** Signatures refused by name, so the reason says what the file looks like. */
const REFUSED: { sig: readonly number[]; at?: number; what: string }[] = [
  { sig: ascii('MZ'), what: 'a Windows executable' },
  { sig: [0x7f, 0x45, 0x4c, 0x46], what: 'an ELF executable' },
  { sig: [0xcf, 0xfa, 0xed, 0xfe], what: 'a Mach-O executable' },
  { sig: [0xfe, 0xed, 0xfa, 0xcf], what: 'a Mach-O executable' },
  { sig: [0xce, 0xfa, 0xed, 0xfe], what: 'a Mach-O executable' },
  { sig: [0xca, 0xfe, 0xba, 0xbe], what: 'a Mach-O or Java class file' },
  { sig: ascii('#!'), what: 'a script' },
  { sig: [0x00, 0x61, 0x73, 0x6d], what: 'a WebAssembly module' },
  {
    sig: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1],
    what: 'a legacy Office (OLE) file, which may carry macros',
  },
  { sig: [0x1f, 0x8b], what: 'a gzip archive' },
  { sig: ascii('Rar!'), what: 'a RAR archive' },
  { sig: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], what: 'a 7-Zip archive' },
  { sig: ascii('BZh'), what: 'a bzip2 archive' },
  { sig: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], what: 'an xz archive' },
  { sig: ascii('ustar'), at: 257, what: 'a tar archive' },
];

/** Decides from the leading bytes (at least HEAD_BYTES of them, or the whole file when shorter). */
export function sniff(head: Uint8Array): Sniffed {
  if (startsWith(head, ascii('%PDF-'))) return { kind: 'pdf' };
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { kind: 'png' };
  if (startsWith(head, [0xff, 0xd8, 0xff])) return { kind: 'jpeg' };
  if (startsWith(head, ascii('GIF87a')) || startsWith(head, ascii('GIF89a'))) return { kind: 'gif' };
  if (startsWith(head, ascii('RIFF')) && startsWith(head, ascii('WEBP'), 8)) return { kind: 'webp' };
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) return { kind: 'zip' };
  if (startsWith(head, [0x50, 0x4b, 0x05, 0x06]) || startsWith(head, [0x50, 0x4b, 0x07, 0x08]))
    return { kind: 'refused', what: 'an empty or spanned zip archive' };
  for (const r of REFUSED) if (startsWith(head, r.sig, r.at ?? 0)) return { kind: 'refused', what: r.what };
  return { kind: 'maybe-text' };
}

/**
 * Whether a whole file is plain text: valid UTF-8 (a BOM allowed) without NUL bytes. Fed chunk by chunk
 * (`push`), answered at the end (`end`), so a file is never held whole for it.
 */
export interface TextCheck {
  push(chunk: Uint8Array): void;
  /** True when every chunk was valid UTF-8 without NUL. */
  end(): boolean;
}

export function textCheck(): TextCheck {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let ok = true;
  return {
    push(chunk) {
      if (!ok) return;
      if (chunk.includes(0)) {
        ok = false;
        return;
      }
      try {
        decoder.decode(chunk, { stream: true });
      } catch {
        ok = false;
      }
    },
    end() {
      if (!ok) return false;
      try {
        decoder.decode();
        return true;
      } catch {
        return false;
      }
    },
  };
}

/**
 * Text that a browser or a viewer would take for markup (HTML, SVG, XML): refused, as it could run script
 * when opened. Looks at the start of the text, past a BOM and white space, as browsers' sniffing does.
 */
export function markupIn(headText: string): string | null {
  const t = headText
    .replace(/^\uFEFF/, '')
    .trimStart()
    .toLowerCase();
  if (
    /^<!doctype\s+html/.test(t) ||
    /^<(html|head|body|script|iframe|style|title|a|div|p|br|b|table|img|font|h1)[\s>/]/.test(t)
  )
    return 'HTML';
  if (/^<svg[\s>]/.test(t) || /^<!doctype\s+svg/.test(t)) return 'SVG';
  if (t.startsWith('<?xml') || /^<!--/.test(t)) return 'XML or markup';
  return null;
}

/** The Office Open XML main-part content types Trellis accepts (macro-enabled variants are not here). */
const OFFICE_MAIN_PARTS: readonly [FileKind, string][] = [
  ['docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml'],
  ['xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml'],
  ['pptx', 'application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml'],
];

/**
 * Which Office document a zip is, from its `[Content_Types].xml` (null: no such entry, or not a docx,
 * xlsx or pptx: an archive, or a macro-enabled document, both refused). A document that also declares a
 * VBA project is refused.
 */
export function officeKindOf(contentTypesXml: string | null): FileKind | null {
  if (contentTypesXml === null) return null;
  if (/vbaProject|macroEnabled/i.test(contentTypesXml)) return null;
  const found = OFFICE_MAIN_PARTS.filter(([, type]) =>
    new RegExp(`ContentType\\s*=\\s*["']${type.replaceAll('.', '\\.').replaceAll('+', '\\+')}["']`).test(
      contentTypesXml,
    ),
  );
  return found.length === 1 ? (found[0] as [FileKind, string])[0] : null;
}

/** The extension of a file name (lower case, no dot), or null when it has none. */
export function extensionOf(fileName: string): string | null {
  const m = /\.([A-Za-z0-9]{1,10})$/.exec(fileName);
  return m ? (m[1] as string).toLowerCase() : null;
}

/**
 * The kind of a text file: CSV when named .csv, else plain text; null when its extension belongs to
 * something else (an .html, a .js, a .svg named so: refused as the name disagrees with the bytes).
 */
export function textKindFor(fileName: string): 'text' | 'csv' | null {
  const ext = extensionOf(fileName);
  if (ext === null) return 'text';
  if (EXTENSIONS.csv.includes(ext)) return 'csv';
  if (EXTENSIONS.text.includes(ext)) return 'text';
  return null;
}

/** Whether a file's name agrees with the kind its bytes show (a name without an extension agrees). */
export function extensionAgrees(fileName: string, kind: FileKind): boolean {
  const ext = extensionOf(fileName);
  return ext === null || EXTENSIONS[kind].includes(ext);
}

/** Every accepted extension, for messages ("accepted: pdf, png, ...") and the upload form's `accept`. */
export const ACCEPTED_EXTENSIONS: readonly string[] = FILE_KINDS.flatMap((k) => EXTENSIONS[k]);

const MAX_NAME = 200;

/**
 * The uploader's file name made safe to store and to send back in Content-Disposition: its last path
 * segment (either slash), control characters and characters that are unsafe in names or headers replaced
 * by `_`, Unicode NFC, no leading dots or spaces, at most 200 characters (the extension kept); `file` when
 * nothing is left.
 */
export function sanitizeFileName(name: string): string {
  const last = name.split(/[/\\]/).pop() ?? '';
  let clean = last
    .normalize('NFC')
    // eslint-disable-next-line no-control-regex -- control characters are what is replaced
    .replace(/[\u0000-\u001f\u007f-\u009f"*:<>?|;\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, '_')
    .replace(/^[\s.]+/, '')
    .replace(/[\s.]+$/, '')
    .trim();
  if (clean.length > MAX_NAME) {
    const ext = extensionOf(clean);
    const keep = ext ? `.${ext}` : '';
    clean = clean.slice(0, MAX_NAME - keep.length) + keep;
  }
  return clean === '' ? 'file' : clean;
}

/** The outcome of classifying a whole file. */
export type Classification =
  | { accepted: true; kind: FileKind; contentType: string }
  /** `kind`: a kind Trellis does not accept; `name`: an accepted kind under a name that disagrees. */
  | { accepted: false; problem: 'kind' | 'name'; reason: string };

/**
 * The decision, from what the caller gathered: the sniffed head, whether the whole file is text, the
 * Office kind of a zip, and the (sanitised) name. Reasons name the file.
 */
export function classify(input: {
  fileName: string;
  sniffed: Sniffed;
  /** The whole file passed the text check. */
  isText: boolean;
  /** For text: the first characters, checked for markup. */
  headText: string;
  /** For a zip: `officeKindOf` its content types. */
  officeKind: FileKind | null;
}): Classification {
  const name = input.fileName;
  const refuse = (what: string): Classification => ({
    accepted: false,
    problem: 'kind',
    reason: `${name} is ${what}; accepted are PDF, PNG, JPEG, GIF, WebP, plain text and CSV, and Word, Excel and PowerPoint (docx, xlsx, pptx) documents`,
  });
  const accept = (kind: FileKind): Classification =>
    extensionAgrees(name, kind)
      ? { accepted: true, kind, contentType: CONTENT_TYPES[kind] }
      : {
          accepted: false,
          problem: 'name',
          reason: `${name} is named .${extensionOf(name) ?? ''} but its content is ${describe(kind)}; rename it to .${EXTENSIONS[kind][0] ?? kind} or upload the right file`,
        };
  const s = input.sniffed;
  switch (s.kind) {
    case 'refused':
      return refuse(s.what);
    case 'zip':
      return input.officeKind
        ? accept(input.officeKind)
        : refuse('a zip archive (or a macro-enabled Office document)');
    case 'maybe-text': {
      if (!input.isText) return refuse('a binary file of a kind Trellis does not accept');
      const markup = markupIn(input.headText);
      if (markup) return refuse(`${markup}, which could run script when opened`);
      const kind = textKindFor(name);
      if (kind === null)
        return {
          accepted: false,
          problem: 'name',
          reason: `${name} is named .${extensionOf(name) ?? ''} but holds plain text; only .txt and .csv text files are accepted`,
        };
      return accept(kind);
    }
    default:
      return accept(s.kind);
  }
}

function describe(kind: FileKind): string {
  const words: Record<FileKind, string> = {
    pdf: 'a PDF document',
    png: 'a PNG image',
    jpeg: 'a JPEG image',
    gif: 'a GIF image',
    webp: 'a WebP image',
    text: 'plain text',
    csv: 'CSV text',
    docx: 'a Word document',
    xlsx: 'an Excel workbook',
    pptx: 'a PowerPoint presentation',
  };
  return words[kind];
}
