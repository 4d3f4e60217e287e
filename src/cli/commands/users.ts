import type { Command } from 'commander';
import { addPerson } from '../../app/access/people.js';
import { createPasswordReset } from '../../app/access/sessions.js';
import { loadConfig } from '../../app/config.js';
import { openAppStore } from '../../app/store.js';
import { runCommand } from '../run.js';
import { configuredContext } from '../context.js';

export function registerUsers(program: Command): void {
  const users = program.command('users').description('people who sign in');
  users
    .command('add')
    .description(
      'create a person with one role for a vendor or a partner (then set a password with reset-password)',
    )
    .requiredOption('--email <email>', 'email address (sign-in name)')
    .requiredOption('--name <name>', 'full name')
    .requiredOption(
      '--role <role>',
      'vendor-admin, channel-manager, auditor, partner-admin, partner-sales-rep or distributor',
    )
    .option('--vendor <slug>', 'the vendor, for vendor roles')
    .option('--partner <id>', 'the partner id, for partner roles')
    .option('--regions <list>', 'comma-separated regions for a channel manager (na, latam, emea, apj)')
    .action(
      async (opts: {
        email: string;
        name: string;
        role: string;
        vendor?: string;
        partner?: string;
        regions?: string;
      }) => {
        await runCommand(Boolean(program.opts().verbose), async () => {
          const config = loadConfig();
          const store = await openAppStore(config.store);
          try {
            const { personId } = await addPerson(configuredContext(store, config), {
              ...opts,
              regions: opts.regions ? opts.regions.split(',').map((r) => r.trim()) : [],
            });
            process.stdout.write(
              `created ${personId} (${opts.email}); set a password with: trellis users reset-password ${opts.email}\n`,
            );
          } finally {
            await store.close();
          }
        });
      },
    );
  users
    .command('reset-password')
    .description(
      'print a one-time token (valid one hour) to set a new password with POST /api/auth/reset-password',
    )
    .argument('<email>', 'the person’s email')
    .action(async (email: string) => {
      await runCommand(Boolean(program.opts().verbose), async () => {
        const config = loadConfig();
        const store = await openAppStore(config.store);
        try {
          const { token, expiresAt } = await createPasswordReset(configuredContext(store, config), email);
          process.stdout.write(
            [
              `reset token for ${email} (valid until ${expiresAt}, usable once):`,
              `  ${token}`,
              'set the new password (at least 12 characters) with:',
              `  curl -H 'content-type: application/json' -d '{"token":"${token}","password":"<new password>"}' http://localhost:3000/api/auth/reset-password`,
              `or in the web app: /reset-password?token=${encodeURIComponent(token)}`,
              '',
            ].join('\n'),
          );
        } finally {
          await store.close();
        }
      });
    });
}
