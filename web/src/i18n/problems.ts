import type { TFunction } from 'i18next';
import type { Problem } from '../lib/api';

/**
 * What a person reads of an API problem, in their language: the status's title, and the message the
 * server gave a code for (`messageKey` with its `params`, translated under `problems.messages.*`), else
 * the server's own detail.
 */
export function problemText(problem: Problem, t: TFunction): { title: string; detail: string } {
  const statusKey = `problems.status.s${problem.status}`;
  const title = t(statusKey, { defaultValue: problem.title });
  const key = problem.messageKey ? `problems.messages.${problem.messageKey}` : null;
  const params = problem.params ?? {};
  const detail = key ? t(key, { ...params, defaultValue: problem.detail }) : problem.detail;
  return { title, detail };
}
