import type { Command } from 'commander';
import {
  removeSsoConfig,
  saveSsoConfig,
  ssoConfigOf,
  ssoOwnerNamed,
  type SsoConfigView,
} from '../../app/access/sso.js';
import { TrellisError } from '../../core/shared/errors.js';
import { withContext } from '../context.js';
import { runCommand } from '../run.js';

const OPERATOR = { kind: 'system' as const, id: 'cli' };

function onOff(value: string, option: string): boolean {
  if (value === 'on') return true;
  if (value === 'off') return false;
  throw new TrellisError('invalid_input', `${option} must be on or off, not "${value}"`);
}

/** `group=role` lines of --map. */
function mapping(lines: string[]): { group: string; role: string }[] {
  return lines.map((line) => {
    const eq = line.lastIndexOf('=');
    if (eq <= 0 || eq === line.length - 1)
      throw new TrellisError('invalid_input', `--map "${line}": write it as <group>=<role>`);
    return { group: line.slice(0, eq), role: line.slice(eq + 1) };
  });
}

function describe(c: SsoConfigView): string {
  return [
    `issuer          ${c.issuer}`,
    `client id       ${c.clientId}`,
    `client secret   (saved, encrypted; never shown)`,
    `scopes          ${c.scopes.join(' ')}`,
    `groups claim    ${c.groupsClaim}`,
    ...c.roleMapping.map(
      (m, i) => `${i === 0 ? 'role mapping   ' : '               '} ${m.group} -> ${m.role}`,
    ),
    `e-mail domains  ${c.emailDomains.join(', ') || '(none: people start with the organisation name)'}`,
    `just-in-time    ${c.jitProvisioning ? 'on' : 'off'}`,
    `require SSO     ${c.requireSso ? 'on (no password sign-in)' : 'off (passwords still work)'}`,
    `updated         ${c.updatedAt} by ${c.updatedBy}`,
    '',
  ].join('\n');
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerSso(program: Command): void {
  const sso = program
    .command('sso')
    .description("single sign-on: an organisation's OpenID Connect provider (docs/single-sign-on.md)");
  const org = (c: Command) =>
    c
      .option('--vendor <slug>', 'the vendor (slug or id)')
      .option('--partner <id>', 'the partner company (id)');

  org(sso.command('configure'))
    .description(
      'save the provider (discovery is checked first; nothing is saved when it fails). The client secret is read from TRELLIS_SSO_CLIENT_SECRET or --client-secret',
    )
    .requiredOption(
      '--issuer <url>',
      'the issuer URL (https://...; discovery reads /.well-known/openid-configuration)',
    )
    .requiredOption('--client-id <id>', 'the client id registered at the provider')
    .option(
      '--client-secret <secret>',
      'the client secret (prefer TRELLIS_SSO_CLIENT_SECRET: it stays out of the shell history)',
    )
    .option('--map <group=role>', 'a provider group and the Trellis role it gives (repeat)', collect, [])
    .option('--groups-claim <claim>', 'the ID token claim listing groups', 'groups')
    .option('--scopes <list>', 'space- or comma-separated scopes besides openid', 'email profile')
    .option('--domains <list>', 'comma-separated e-mail domains whose people start here', '')
    .option('--jit <on|off>', 'create unknown people on first sign-in', 'on')
    .option('--require-sso <on|off>', 'refuse password sign-in for the organisation', 'off')
    .action(
      async (opts: {
        vendor?: string;
        partner?: string;
        issuer: string;
        clientId: string;
        clientSecret?: string;
        map: string[];
        groupsClaim: string;
        scopes: string;
        domains: string;
        jit: string;
        requireSso: string;
      }) => {
        await runCommand(Boolean(program.opts().verbose), async () => {
          const { config, created } = await withContext(async (ctx) =>
            saveSsoConfig(ctx, await ssoOwnerNamed(ctx, opts), OPERATOR, {
              issuer: opts.issuer,
              clientId: opts.clientId,
              clientSecret: opts.clientSecret ?? process.env.TRELLIS_SSO_CLIENT_SECRET,
              roleMapping: mapping(opts.map),
              groupsClaim: opts.groupsClaim,
              scopes: opts.scopes.split(/[\s,]+/).filter(Boolean),
              emailDomains: opts.domains
                .split(',')
                .map((d) => d.trim())
                .filter(Boolean),
              jitProvisioning: onOff(opts.jit, '--jit'),
              requireSso: onOff(opts.requireSso, '--require-sso'),
            }),
          );
          process.stdout.write(
            `${created ? 'configured' : 'updated'} single sign-on (${config.id}):\n${describe(config)}`,
          );
        });
      },
    );

  org(sso.command('show'))
    .description("show an organisation's provider (never the client secret)")
    .action(async (opts: { vendor?: string; partner?: string }) => {
      await runCommand(Boolean(program.opts().verbose), async () => {
        const config = await withContext(async (ctx) => ssoConfigOf(ctx, await ssoOwnerNamed(ctx, opts)));
        process.stdout.write(
          config ? describe(config) : 'no single sign-on: people sign in with passwords\n',
        );
      });
    });

  org(sso.command('remove'))
    .description('remove the provider; the organisation signs in with passwords again')
    .action(async (opts: { vendor?: string; partner?: string }) => {
      await runCommand(Boolean(program.opts().verbose), async () => {
        await withContext(async (ctx) => removeSsoConfig(ctx, await ssoOwnerNamed(ctx, opts), OPERATOR));
        process.stdout.write('removed single sign-on; passwords work again\n');
      });
    });
}
