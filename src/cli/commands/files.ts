import type { Command } from 'commander';
import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { actingAs } from '../../app/access/acting-as.js';
import { loadConfig } from '../../app/config.js';
import { createContext, type AppContext } from '../../app/context.js';
import { openStoredFile, storeFile, type StoredFile } from '../../app/files/files.js';
import { openAppStore } from '../../app/store.js';
import { SYSTEM_SCOPE, type Scope } from '../../core/access/scope.js';
import { FILE_PURPOSES } from '../../core/files/purposes.js';
import { TrellisError } from '../../core/shared/errors.js';
import { runCommand } from '../run.js';

/**
 * Stored files from the command line (docs/files.md), on the configured store and file store: an upload
 * made as a person (`--as <email>`: the same policy, scope and checks as POST /api/files, and the audit
 * event names the person), and a file's bytes read back (as a person, or by the operator).
 */
async function withContext<T>(run: (ctx: AppContext) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const store = await openAppStore(config.store);
  try {
    return await run(createContext(store, { files: config.files }));
  } finally {
    await store.close();
  }
}

function describeFile(f: StoredFile): string {
  return `${f.id}  ${f.fileName}  ${f.contentType}  ${f.sizeBytes} bytes  sha256 ${f.sha256}`;
}

export function registerFiles(program: Command): void {
  const verbose = () => Boolean(program.opts().verbose);
  const files = program.command('files').description('stored files: proof of MDF claims (docs/files.md)');

  files
    .command('upload <path>')
    .description(
      "upload a file as a person (--as): its type is detected from the bytes; stored for the person's vendor, or for its partner and a vendor it is enrolled with",
    )
    .requiredOption('--as <email>', 'the person uploading (a vendor or partner person)')
    .requiredOption('--purpose <purpose>', `what the file is for (${FILE_PURPOSES.join(', ')})`)
    .option('--vendor <vendor>', 'vendor id or slug (a partner enrolled with several vendors names one)')
    .option('--name <name>', 'the file name to keep (default: the name of <path>)')
    .option('--json', 'print the record as JSON')
    .action(
      async (
        path: string,
        opts: { as: string; purpose: string; vendor?: string; name?: string; json?: boolean },
      ) => {
        await runCommand(verbose(), async () => {
          const info = await stat(path).catch(() => null);
          if (!info?.isFile()) throw new TrellisError('invalid_input', `${path}: no such file`);
          await withContext(async (ctx) => {
            const who = await actingAs(ctx, opts.as, { resource: 'file', action: 'write' }, 'files upload');
            const stored = await storeFile(ctx, who, {
              purpose: opts.purpose,
              fileName: opts.name ?? basename(path),
              vendorId: opts.vendor,
              stream: createReadStream(path),
            });
            process.stdout.write(
              opts.json ? `${JSON.stringify(stored)}\n` : `stored ${describeFile(stored)}\n`,
            );
          });
        });
      },
    );

  files
    .command('get <id>')
    .description("a stored file's bytes (to --out, else standard output); the record goes to standard error")
    .option(
      '--as <email>',
      "read as this person (its scope: a partner its own partner's files); else the operator",
    )
    .option('--out <path>', 'write the bytes to this file (not replaced if it exists)')
    .action(async (id: string, opts: { as?: string; out?: string }) => {
      await runCommand(verbose(), async () => {
        await withContext(async (ctx) => {
          const scope: Scope = opts.as
            ? (await actingAs(ctx, opts.as, { resource: 'file', action: 'read' }, 'files get')).scope
            : SYSTEM_SCOPE;
          const { file, stream } = await openStoredFile(ctx, scope, id);
          if (opts.out) {
            await pipeline(stream, createWriteStream(opts.out, { flags: 'wx', mode: 0o600 }));
            process.stdout.write(`wrote ${opts.out}: ${describeFile(file)}\n`);
          } else {
            process.stderr.write(`${describeFile(file)}\n`);
            await pipeline(stream, process.stdout, { end: false });
          }
        });
      });
    });
}
