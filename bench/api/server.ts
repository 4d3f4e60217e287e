import type { AddressInfo } from 'node:net';
import { createContext } from '../../src/app/context.js';
import { openAppStore } from '../../src/app/store.js';
import type { StoreTarget } from '../../src/db/connection.js';
import { buildServer } from '../../src/server/app.js';

/**
 * The api bench's server process: the real Fastify server over the bench's store (argv[2], a JSON
 * StoreTarget), listening on 127.0.0.1 on an ephemeral port that it sends to its parent. A separate
 * process, so that a request the server is stuck on can be measured (and the process killed) from outside.
 */
const target = JSON.parse(process.argv[2] ?? '') as StoreTarget;
const store = await openAppStore(target);
const server = await buildServer(createContext(store));
await server.listen({ host: '127.0.0.1', port: 0 });
process.send?.({ port: (server.server.address() as AddressInfo).port });
process.once('SIGTERM', () => {
  void server
    .close()
    .then(() => store.close())
    .then(() => process.exit(0));
});
