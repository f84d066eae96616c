/**
 * Application environments (seed 003 §5.3.1): a test environment is verified at the sandbox
 * vendor whatever the deployment's VERIFIER is, so 测试联调 never asks (or pays) the real vendor
 * and its made-up people never meet production's verdict store.
 */
import type pg from 'pg';
import type { BankCardVerifier, EnterpriseVerifier, VerificationScope, VerifyOptions } from '../adapters/verification';

export type ApplicationEnvironment = 'TEST' | 'PRODUCTION';

export type EnvironmentOf = (scope: VerificationScope | undefined) => Promise<ApplicationEnvironment>;

/** An application's environment never changes: each one is read once per process. */
export function environmentLookup(sql: pg.Pool): EnvironmentOf {
  const known = new Map<string, ApplicationEnvironment>();
  return async (scope) => {
    if (!scope) return 'PRODUCTION';
    const key = 'applicationId' in scope ? `a:${scope.applicationId}` : `m:${scope.memberId}`;
    const cached = known.get(key);
    if (cached) return cached;
    const { rows } = await sql.query<{ environment: ApplicationEnvironment }>(
      'applicationId' in scope
        ? { text: `SELECT environment FROM "Application" WHERE id = $1::uuid`, values: [scope.applicationId] }
        : {
            text: `SELECT a.environment FROM "Member" m JOIN "Application" a ON a.id = m."applicationId" WHERE m.id = $1::uuid`,
            values: [scope.memberId],
          },
    );
    // Unknown ids are production's: the stricter vendor answers for them.
    const environment = rows[0]?.environment ?? 'PRODUCTION';
    if (rows[0]) known.set(key, environment);
    return environment;
  };
}

interface ByEnvironment<V> {
  production: V;
  test: V;
  environmentOf: EnvironmentOf;
}

const pick = async <V>(v: ByEnvironment<V>, opts?: VerifyOptions) => ((await v.environmentOf(opts?.scope)) === 'TEST' ? v.test : v.production);

export function verifierByEnvironment(v: ByEnvironment<BankCardVerifier>): BankCardVerifier {
  return { verifyFourElements: async (input, opts) => (await pick(v, opts)).verifyFourElements(input, opts) };
}

export function enterpriseVerifierByEnvironment(v: ByEnvironment<EnterpriseVerifier>): EnterpriseVerifier {
  return { verifyEnterprise: async (input, opts) => (await pick(v, opts)).verifyEnterprise(input, opts) };
}
