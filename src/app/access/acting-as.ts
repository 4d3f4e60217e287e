import { toPersonActor } from './sessions.js';
import type { AppContext } from '../context.js';
import type { PersonActor } from '../../core/access/actor.js';
import { authorize, type Permission } from '../../core/access/policy.js';
import type { Scope } from '../../core/access/scope.js';
import { TrellisError } from '../../core/shared/errors.js';
import { authRepository } from '../../db/repositories/auth-repository.js';

/**
 * The CLI acting as a named person (`--as <email>`), for decisions that are a vendor's or a partner's and
 * not the operator's: the person's roles and data scope are those a sign-in would give (a channel
 * manager keeps its regions), the same policy decides (`authorize`), and the history and audit trail
 * name the person. There is no session: the actor's session id is `cli`.
 */
export async function actingAs(
  ctx: AppContext,
  email: string | undefined,
  permission: Permission,
  what: string,
): Promise<{ actor: PersonActor; scope: Scope }> {
  if (!email)
    throw new TrellisError(
      'invalid_input',
      `${what} is a decision of the vendor: name the reviewer with --as <email> (a vendor admin or channel manager)`,
    );
  const person = await authRepository(ctx.store.db).personByEmail(email);
  if (!person) throw new TrellisError('not_found', `--as: nobody has the email ${email}`);
  const actor = toPersonActor(person, 'cli');
  const decision = authorize(actor, permission);
  if (!decision.allowed) throw new TrellisError('forbidden', `--as ${email}: ${decision.reason}`);
  return { actor, scope: decision.scope };
}
