import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { loadConfig } from '../../app/config.js';
import { publishDocument } from '../../app/programs/publish-document.js';
import { validateProgramFiles } from '../../app/programs/validate-files.js';
import { openAppStore } from '../../app/store.js';
import { formatProgramFileError } from '../../core/programs/parse.js';
import { TrellisError } from '../../core/shared/errors.js';
import { runCommand } from '../run.js';
import { configuredContext } from '../context.js';

export function registerProgram(program: Command): void {
  const cmd = program
    .command('program')
    .description('programs as code: validate and publish program and agreement files');
  cmd
    .command('validate')
    .description('check program or agreement files; print every error as file:line:column: message')
    .argument('<files...>', 'YAML files')
    .action(async (files: string[]) => {
      await runCommand(Boolean(program.opts().verbose), async () => {
        const results = await validateProgramFiles(files);
        let failed = 0;
        for (const r of results) {
          if (r.ok) {
            process.stdout.write(`${r.file}: ok\n${indent(r.summary ?? '')}\n`);
          } else {
            failed++;
            for (const e of r.errors) process.stderr.write(`${formatProgramFileError(e)}\n`);
          }
        }
        if (failed > 0) {
          process.stderr.write(
            `${failed} of ${results.length} file${results.length === 1 ? '' : 's'} invalid\n`,
          );
          return 1;
        }
        return 0;
      });
    });
  cmd
    .command('publish')
    .description('validate and publish program or agreement files into the database (a new version per file)')
    .argument('<files...>', 'YAML files')
    .action(async (files: string[]) => {
      await runCommand(Boolean(program.opts().verbose), async () => {
        const config = loadConfig();
        const store = await openAppStore(config.store);
        try {
          const ctx = configuredContext(store, config);
          for (const file of files) {
            let text: string;
            try {
              text = await readFile(file, 'utf8');
            } catch (e) {
              throw new TrellisError('invalid_input', `cannot read ${file}: ${(e as Error).message}`);
            }
            const outcome = await store.db
              .transaction()
              .execute((trx) => publishDocument(trx, ctx, text, file));
            const what =
              outcome.kind === 'program'
                ? `program ${outcome.document.code} version ${outcome.document.version} (${outcome.versionId})`
                : `agreement ${outcome.document.code} (${outcome.agreementId})`;
            process.stdout.write(`${file}: ${what} ${outcome.status}\n`);
          }
        } finally {
          await store.close();
        }
      });
    });
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
}
