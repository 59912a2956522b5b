import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../src/config';
import { SEARCH_ATTRIBUTE_NAMES } from '../../src/temporal/search-attributes';

const root = join(__dirname, '..', '..');
const composeFile = join(root, 'docker-compose.yml');

/** `docker-compose -f docker-compose.yml config -q` with the given extra environment (JWT_SECRET left out unless given). */
function composeConfig(env: Record<string, string>) {
  const { JWT_SECRET: _ignored, ...inherited } = process.env;
  return spawnSync('docker-compose', ['-f', composeFile, 'config', '-q'], { cwd: root, env: { ...inherited, ...env }, encoding: 'utf8' });
}

/** The production compose file (docker-compose.yml): valid, and in step with the code it runs. */
describe('docker-compose.yml', function () {
  this.timeout(30_000);

  describe('with docker-compose', function () {
    before(function () {
      if (spawnSync('docker-compose', ['version']).error) {
        console.log('      (skipped: no docker-compose binary; on Debian: apt-get install docker-compose)');
        this.skip();
      }
    });

    it('restarts every long-running service and checks its health; only the one-shot set-up steps do neither', () => {
      const resolved = spawnSync('docker-compose', ['-f', composeFile, 'config'], { cwd: root, encoding: 'utf8' });
      assert.equal(resolved.status, 0, resolved.stderr);
      // docker-compose v1 prints YAML only; Debian's docker-compose brings PyYAML with it.
      const asJson = spawnSync('python3', ['-c', 'import json, sys, yaml; print(json.dumps(yaml.safe_load(sys.stdin)))'], { input: resolved.stdout, encoding: 'utf8' });
      assert.equal(asJson.status, 0, asJson.stderr);
      const services = (JSON.parse(asJson.stdout) as { services: Record<string, { restart?: string; healthcheck?: { test?: unknown } }> }).services;
      const oneShots = Object.keys(services).filter((name) => services[name]!.restart === 'no').sort();
      assert.deepEqual(oneShots, ['deps', 'mongo-init', 'temporal-search-attributes']);
      for (const [name, service] of Object.entries(services)) {
        if (oneShots.includes(name)) continue;
        assert.equal(service.restart, 'unless-stopped', `${name} restarts`);
        assert.ok(Array.isArray(service.healthcheck?.test) && service.healthcheck.test.length > 1, `${name} has a health check`);
      }
      assert.match(JSON.stringify(services.api!.healthcheck!.test), /\/health'/);
      assert.match(JSON.stringify(services.worker!.healthcheck!.test), /worker-health\.json/);
    });

    it('is a valid compose file, with or without settings in the environment', () => {
      for (const env of [{}, { JWT_SECRET: 'a-secret-of-at-least-16-characters' }] as Record<string, string>[]) {
        const result = composeConfig(env);
        assert.equal(result.status, 0, result.stderr);
      }
    });
  });

  it('runs the service in production mode, where a missing JWT_SECRET stops start-up', () => {
    const compose = readFileSync(composeFile, 'utf8');
    assert.match(compose, /NODE_ENV: production/);
    assert.throws(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: '' }), /JWT_SECRET/);
  });

  it("registers exactly the service's Temporal search attributes, as Keyword", () => {
    const compose = readFileSync(composeFile, 'utf8');
    const registered = [...compose.matchAll(/--name=(\w+)\s+- --type=(\w+)/g)].map(([, name, type]) => `${name}=${type}`);
    assert.deepEqual(registered.sort(), SEARCH_ATTRIBUTE_NAMES.map((name) => `${name}=Keyword`).sort());
  });
});
