import { secretsKeyOf } from '../app/access/secret-box.js';
import { loadConfig, type Config } from '../app/config.js';
import { createContext, type AppContext, type ContextOptions } from '../app/context.js';
import { openAppStore } from '../app/store.js';
import { webhookSettingsOf } from '../app/webhooks/settings.js';

/**
 * The context a command runs with: everything the configuration sets (the secrets key, the file store,
 * the webhook settings), as `trellis serve` has it, so that what a command writes (a proof file, a sealed
 * secret, an event) lands where the server reads it. `options` adds the rest (a clock, ids).
 */
export function configuredContext(
  store: AppContext['store'],
  config: Config,
  options: Omit<
    ContextOptions,
    'secretsKey' | 'files' | 'webhooks' | 'closeShards' | 'shardQueue' | 'simulationThreads'
  > = {},
): AppContext {
  return createContext(store, {
    ...options,
    secretsKey: secretsKeyOf(config),
    webhooks: webhookSettingsOf(config),
    files: config.files,
    closeShards: config.closeShards,
    shardQueue: config.shardQueue,
    simulationThreads: config.simulationThreads,
  });
}

/** Opens the configured store, runs `run` with the configured context, and closes the store. */
export async function withContext<T>(run: (ctx: AppContext) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const store = await openAppStore(config.store);
  try {
    return await run(configuredContext(store, config));
  } finally {
    await store.close();
  }
}
