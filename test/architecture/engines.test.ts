import { readFileSync } from 'node:fs';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

/**
 * Trellis runs on Node 20 (package.json `engines`): every installed package, direct or not, must declare a
 * Node range that the lowest Node Trellis supports satisfies. Several newer releases need Node 22 (cookie
 * 2.x did, through Fastify's cookie plugin); this fails before such a release lands in the lock file.
 */
describe('the dependencies run on the Node versions Trellis supports', () => {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string } };
  const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as {
    packages: Record<string, { version?: string; engines?: unknown; optional?: boolean }>;
  };
  const lowest = semver.minVersion(pkg.engines.node);

  it('reads the lowest supported Node from package.json', () => {
    expect(lowest?.major).toBe(20);
  });

  it('finds no package in the lock file that needs a newer Node', () => {
    const refusing: string[] = [];
    for (const [path, p] of Object.entries(lock.packages)) {
      if (path === '' || p.optional) continue;
      const node =
        p.engines && typeof p.engines === 'object' && !Array.isArray(p.engines)
          ? (p.engines as { node?: unknown }).node
          : undefined;
      if (typeof node !== 'string' || !semver.validRange(node)) continue;
      if (lowest && !semver.satisfies(lowest, node, { includePrerelease: true }))
        refusing.push(`${path.replace(/^.*node_modules\//, '')}@${p.version ?? '?'} needs node ${node}`);
    }
    expect(refusing).toEqual([]);
  });
});
