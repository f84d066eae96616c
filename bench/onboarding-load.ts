/**
 * Onboarding load benchmark: N concurrent simulated members each do the whole
 * three-stage flow through the HTTP API, against the system started as in
 * production (API and worker as their own processes, embedded PostgreSQL, the
 * Temporal dev server with its SQLite file, the dev outbox). Prints requests/s,
 * p50/p99 latency per request kind and overall, and completed onboardings/s.
 *
 *   npm run bench                      (50 members, 30 s)
 *   BENCH_CONCURRENCY=20 BENCH_SECONDS=10 npm run bench
 *   BENCH_PROFILE=1 npm run bench      (V8 CPU profiles of API and worker)
 *   BENCH_THINK_MS=2000 npm run bench  (members pause 1–3 s before each step)
 */
import { startBenchSystem, writeResult } from './system';
import { cardNumber, idNumber } from '../test/support/fixtures';

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
/** Pause of a simulated member before each step (a person reading and typing); 0 = back to back. */
const THINK_MS = Number(process.env.BENCH_THINK_MS ?? 0);
const think = () => (THINK_MS > 0 ? new Promise((r) => setTimeout(r, THINK_MS * (0.5 + Math.random()))) : Promise.resolve());
const WARMUP = 5;

const samples = new Map<string, number[]>();
function record(kind: string, ms: number) {
  let list = samples.get(kind);
  if (!list) samples.set(kind, (list = []));
  list.push(ms);
}
function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

class HttpClient {
  private cookies = new Map<string, string>();
  constructor(private readonly base: string) {}
  async call(kind: string, method: string, url: string, body?: unknown): Promise<any> {
    const started = performance.now();
    const res = await fetch(this.base + url, {
      method,
      headers: {
        ...(body ? { 'content-type': 'application/json' } : {}),
        cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    record(kind, performance.now() - started);
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [k, v] = pair!.split('=');
      this.cookies.set(k!, v!);
    }
    if (!res.ok) throw new Error(`${kind}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  }
}

async function main() {
  const system = await startBenchSystem('onboarding');
  const { outbox } = system;
  try {
    const base = system.base;

    const platform = new HttpClient(base);
    await platform.call('login', 'POST', '/api/auth/login', { username: '1001001', password: 'Demo@2026' });

    let seq = 0;
    let completed = 0;
    let failures = 0;
    let measuring = false;
    // Each simulated member has its own phone; the SMS text tells binding and signing codes apart.
    const codeFor = async (phone: string, purpose: '绑定手机号' | '签署') => {
      const m = await outbox.waitFor((x) => x.channel === 'sms' && x.to === `+86${phone}` && x.body.includes(purpose), 15_000);
      return /验证码(\d{6})/.exec(m.body)![1]!;
    };
    const onboardOne = async () => {
      const n = ++seq;
      const phone = `137${String(n).padStart(8, '0')}`;
      const created = await platform.call('add member', 'POST', '/api/members', { type: 'INDIVIDUAL', bizUserId: `B${n}`, name: '压测会员' });
      const token = (created.link.url as string).split('/onboard/')[1];
      const member = new HttpClient(base);
      const at = `/api/onboarding/${token}`;
      await think();
      await member.call('open link', 'GET', at);
      await think();
      await member.call('real-name', 'POST', `${at}/real-name`, { name: '压测会员', idNumber: idNumber(), cardNumber: cardNumber(), phone });
      await think();
      await member.call('phone code', 'POST', `${at}/phone-code`, { source: 'ON_FILE' });
      await think();
      await member.call('bind phone', 'POST', `${at}/phone-binding`, { code: await codeFor(phone, '绑定手机号') });
      const signCode = await codeFor(phone, '签署');
      await think();
      await member.call('sign', 'POST', `${at}/agreement-signature`, { code: signCode });
    };

    console.log(`[bench] ${CONCURRENCY} concurrent members, ${WARMUP} s warm-up + ${SECONDS} s measured`);
    const warmupEnd = Date.now() + WARMUP * 1000;
    const end = warmupEnd + SECONDS * 1000;
    let measureStart = 0;
    const timer = setTimeout(() => {
      samples.clear();
      completed = 0;
      measuring = true;
      measureStart = performance.now();
    }, WARMUP * 1000);
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (Date.now() < end) {
          try {
            await onboardOne();
            completed++;
          } catch (err) {
            failures++;
            if (failures <= 3) console.error('[bench] onboarding failed:', (err as Error).message);
          }
        }
      }),
    );
    clearTimeout(timer);
    const elapsed = (performance.now() - measureStart) / 1000;
    if (!measuring) throw new Error('benchmark ended before measuring');

    const all = [...samples.values()].flat().sort((a, b) => a - b);
    const lines = [
      `onboarding load: ${CONCURRENCY} concurrent members, think time ${THINK_MS} ms, over ${elapsed.toFixed(1)} s (API and worker as separate processes)`,
      `  requests/s:              ${(all.length / elapsed).toFixed(1)}  (${all.length} requests)`,
      `  latency p50 / p99:       ${pct(all, 50).toFixed(1)} ms / ${pct(all, 99).toFixed(1)} ms`,
      `  completed onboardings/s: ${(completed / elapsed).toFixed(2)}  (${completed} completed, ${failures} failed)`,
      '  per request kind (p50 / p99 ms):',
      ...[...samples].map(([k, v]) => {
        const s = [...v].sort((a, b) => a - b);
        return `    ${k.padEnd(12)} ${pct(s, 50).toFixed(1).padStart(7)} / ${pct(s, 99).toFixed(1).padStart(7)}   n=${s.length}`;
      }),
    ];
    writeResult('onboarding-load.txt', lines);
  } finally {
    await system.stop();
  }
}

main().catch((err) => {
  console.error('[bench] failed:', err);
  process.exit(1);
});
