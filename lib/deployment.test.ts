import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { parseConfig } from './adapters/config';
import { SEARCH_ATTRIBUTES } from './dev-stack/local-stack';
import { CLUSTER_CONFIG_DIR, TEMPORAL_SERVER_VERSION } from './dev-stack/temporal-cluster';

/** docker-compose.yml cannot run on these machines; these checks keep it honest. */
describe('docker-compose.yml', () => {
  const compose = parse(fs.readFileSync(path.join(__dirname, '../docker-compose.yml'), 'utf8'), { merge: true }) as {
    services: Record<string, { image?: string; environment?: Record<string, string>; command?: string[] | string; volumes?: string[]; depends_on?: unknown }>;
  };

  it('describes the Temporal cluster with its own database, its UI, the app database, API, worker, web UI, SMTP relay and sandbox payment channel', () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      [
        'api',
        'app-db',
        'migrate',
        'payment-channel',
        'smtp',
        'temporal',
        'temporal-db',
        'temporal-schema',
        'temporal-setup',
        'temporal-ui',
        'verifier',
        'web',
        'worker',
      ].sort(),
    );
    // The API and the worker reach the sandbox channel with the keys it checks.
    const channel = compose.services['payment-channel']?.environment ?? {};
    expect(String(compose.services.api?.environment?.PAYMENT_CHANNEL_URL)).toContain(`payment-channel:${channel.PAYMENT_CHANNEL_PORT}`);
    // And the sandbox verification vendor with the keys it checks.
    const verifier = compose.services.verifier?.environment ?? {};
    for (const name of ['api', 'worker']) {
      expect(String(compose.services[name]?.environment?.VERIFIER_URL)).toContain(`verifier:${verifier.VERIFIER_PORT}`);
      expect(compose.services[name]?.environment?.VERIFIER_SECRET_KEY).toBe(verifier.VERIFIER_SECRET_KEY);
    }
    // The web service forwards /api to the API's port.
    const apiPort = compose.services.api?.environment?.API_PORT;
    expect(compose.services.web?.environment?.API_URL).toBe(`http://api:${apiPort}`);
    expect(compose.services.temporal?.environment?.POSTGRES_SEEDS).toBe('temporal-db');
    expect(compose.services['temporal-schema']?.environment?.SQL_HOST).toBe('temporal-db');
  });

  it('gives the API and the worker a configuration the app accepts', () => {
    for (const name of ['api', 'worker']) {
      const env = { ...compose.services[name]!.environment } as Record<string, string>;
      // Required secrets are interpolated from the operator's .env; fill them as an operator would.
      for (const [k, v] of Object.entries(env)) {
        if (typeof v === 'string' && v.startsWith('${') && v.includes(':?')) {
          env[k] = k === 'DATA_ENCRYPTION_KEY' ? Buffer.alloc(32, 1).toString('base64') : 'x'.repeat(40);
        } else if (typeof v === 'string') {
          env[k] = v.replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1');
        }
      }
      expect(() => parseConfig(env)).not.toThrow();
    }
  });

  it('runs the compiled code of `npm run build` (node dist/…), each from a source the build compiles', () => {
    const build = JSON.parse(fs.readFileSync(path.join(__dirname, '../tsconfig.build.json'), 'utf8')) as { include: string[] };
    for (const name of ['migrate', 'api', 'web', 'worker']) {
      const [node, file, ...rest] = compose.services[name]!.command as string[];
      expect([node, rest]).toEqual(['node', []]);
      expect(file).toMatch(/^dist\/.+\.js$/);
      const source = file!.replace(/^dist\//, '').replace(/\.js$/, '.ts');
      expect(fs.existsSync(path.join(__dirname, '..', source))).toBe(true);
      expect(build.include.some((dir) => source.startsWith(`${dir}/`))).toBe(true);
    }
  });

  it('the image runs without dev dependencies, TypeScript or the Prisma CLI', () => {
    const dockerfile = fs.readFileSync(path.join(__dirname, '../Dockerfile'), 'utf8');
    const runtime = dockerfile.split(/^FROM /m).at(-1)!;
    expect(runtime).toContain('npm ci --omit=dev --ignore-scripts');
    expect(runtime).toContain('COPY --from=build /app/dist dist');
    expect(runtime).not.toMatch(/tsx|prisma\.mjs|vite/);
    expect(runtime).toMatch(/CMD \["node", "dist\/api\/main\.js"\]/);
  });

  it('runs the maintained Temporal images at the server version the cluster mode builds, with its configuration', () => {
    const setup = fs.readFileSync(path.join(__dirname, '../scripts/setup.sh'), 'utf8');
    expect(setup).toContain(`TEMPORAL_SERVER_VERSION=v${TEMPORAL_SERVER_VERSION}`);
    const temporalImages = Object.values(compose.services)
      .map((s) => s.image ?? '')
      .filter((image) => image.startsWith('temporalio/') && !image.startsWith('temporalio/ui'));
    expect(temporalImages.sort()).toEqual(
      [
        `temporalio/admin-tools:${TEMPORAL_SERVER_VERSION}`,
        `temporalio/admin-tools:${TEMPORAL_SERVER_VERSION}`,
        `temporalio/server:${TEMPORAL_SERVER_VERSION}`,
      ].sort(),
    );
    expect(JSON.stringify(compose)).not.toContain('auto-setup');
    // The configuration directory the cluster mode starts the server with, mounted where the command reads it.
    const [mount] = compose.services.temporal!.volumes!;
    expect(mount).toBe(`./${path.relative(path.join(__dirname, '..'), CLUSTER_CONFIG_DIR)}:/etc/temporal/config:ro`);
    expect(String(compose.services.temporal!.command)).toContain('--config /etc/temporal/config --env production');
    expect(compose.services.temporal!.environment!.DYNAMIC_CONFIG_FILE_PATH).toBe('/etc/temporal/config/dynamicconfig/production.yaml');
    for (const file of ['production.yaml', 'dynamicconfig/production.yaml']) expect(fs.existsSync(path.join(CLUSTER_CONFIG_DIR, file))).toBe(true);
  });

  it('registers every search attribute the workflows set', () => {
    const command = String(compose.services['temporal-setup']?.command);
    for (const sa of SEARCH_ATTRIBUTES) expect(command).toContain(`--name ${sa.split('=')[0]} --type ${sa.split('=')[1]}`);
  });
});
