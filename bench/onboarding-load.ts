/**
 * Onboarding load benchmark: simulated members each do the whole three-stage flow through the
 * HTTP API, against the system started as in production (compiled API and worker as their own
 * processes, embedded PostgreSQL, the Temporal dev server with its SQLite file, the dev outbox).
 * One run, one server, four phases, printed side by side:
 *   1. 50 concurrent members back to back (requests/s, p50/p99 per step);
 *   2. 200 concurrent members pausing 1–3 s before each step (the busy-moment case: p99 per step);
 *   3. adding members (POST /api/members, which starts each member's workflow), 50 concurrent;
 *   4. the bare engine on the same server: no-op Updates, Updates with one local activity,
 *      workflow starts (bench/engine/), 50 concurrent clients.
 *
 *   npm run bench                      (all benchmarks)
 *   BENCH_SECONDS=10 npx tsx bench/onboarding-load.ts
 *   BENCH_PROFILE=1 …                  (V8 CPU profiles of API and worker)
 *   BENCH_PHASES=1 …                   (only the phases listed, e.g. "1,4"; the others print as skipped)
 *   BENCH_TOPOLOGY=cluster …           (on the Temporal cluster server instead of the dev server)
 */
import { TOPOLOGY, startBenchSystem, writeResult } from './system';
import { cardNumber, idNumber, withConsent } from '../test/support/fixtures';
import { measureBareEngine } from './engine/measure';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const WARMUP_MS = 5000;
const PHASES = new Set((process.env.BENCH_PHASES ?? '1,2,3,4').split(',').map((p) => p.trim()));

type Samples = Map<string, number[]>;
function record(samples: Samples, kind: string, ms: number) {
  let list = samples.get(kind);
  if (!list) samples.set(kind, (list = []));
  list.push(ms);
}
function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

class HttpClient {
  constructor(
    private readonly base: string,
    private readonly samples: () => Samples | null,
    private readonly cookies = new Map<string, string>(),
  ) {}

  /** The same signed-in client, recording into another phase's samples. */
  recordingInto(samples: () => Samples | null): HttpClient {
    return new HttpClient(this.base, samples, this.cookies);
  }

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
    const samples = this.samples();
    if (samples) record(samples, kind, performance.now() - started);
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [k, v] = pair!.split('=');
      this.cookies.set(k!, v!);
    }
    if (!res.ok) throw new Error(`${kind}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  }
}

interface PhaseResult {
  seconds: number;
  requests: number;
  completed: number;
  failures: number;
  samples: Samples;
  skipped?: boolean;
}

const SKIPPED: PhaseResult = { seconds: NaN, requests: 0, completed: 0, failures: 0, samples: new Map(), skipped: true };

/** Runs `one` in `concurrency` closed loops: WARMUP_MS unmeasured, then `seconds` measured. */
async function phase(concurrency: number, seconds: number, one: (measured: () => Samples | null) => Promise<void>): Promise<PhaseResult> {
  let samples: Samples | null = null;
  const measuredSamples = new Map<string, number[]>();
  let completed = 0;
  let failures = 0;
  const end = Date.now() + WARMUP_MS + seconds * 1000;
  let measureStart = 0;
  const timer = setTimeout(() => {
    samples = measuredSamples;
    measureStart = performance.now();
  }, WARMUP_MS);
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < end) {
        try {
          await one(() => samples);
          if (samples) completed++;
        } catch (err) {
          if (samples) failures++;
          if (failures <= 3 && samples) console.error('[bench] failed:', (err as Error).message);
        }
      }
    }),
  );
  clearTimeout(timer);
  const elapsed = (performance.now() - measureStart) / 1000;
  return { seconds: elapsed, requests: [...measuredSamples.values()].reduce((n, v) => n + v.length, 0), completed, failures, samples: measuredSamples };
}

function describe(title: string, r: PhaseResult): string[] {
  if (r.skipped) return [`${title}: skipped (BENCH_PHASES)`];
  const all = [...r.samples.values()].flat().sort((a, b) => a - b);
  return [
    `${title}, over ${r.seconds.toFixed(1)} s`,
    `  requests/s:              ${(r.requests / r.seconds).toFixed(1)}  (${r.requests} requests)`,
    `  latency p50 / p99:       ${pct(all, 50).toFixed(1)} ms / ${pct(all, 99).toFixed(1)} ms`,
    `  completed/s:             ${(r.completed / r.seconds).toFixed(2)}  (${r.completed} completed, ${r.failures} failed)`,
    '  per step (p50 / p99 ms):',
    ...[...r.samples].map(([k, v]) => {
      const sorted = [...v].sort((a, b) => a - b);
      return `    ${k.padEnd(12)} ${pct(sorted, 50).toFixed(1).padStart(7)} / ${pct(sorted, 99).toFixed(1).padStart(7)}   n=${sorted.length}`;
    }),
  ];
}

async function main() {
  const system = await startBenchSystem('onboarding');
  const { outbox } = system;
  try {
    const base = system.base;
    const platform = new HttpClient(base, () => null);
    await platform.call('login', 'POST', '/api/auth/login', { username: '1001001', password: 'Demo@2026' });

    let seq = 0;
    // Each simulated member has its own phone; the SMS text tells binding and signing codes apart.
    const codeFor = async (phone: string, purpose: '绑定手机号' | '签署') => {
      const m = await outbox.waitFor((x) => x.channel === 'sms' && x.to === `+86${phone}` && x.body.includes(purpose), 30_000);
      return /验证码(\d{6})/.exec(m.body)![1]!;
    };
    const addMember = async (client: HttpClient) => {
      const n = ++seq;
      const created = await client.call('add member', 'POST', '/api/members', { type: 'INDIVIDUAL', bizUserId: `B${n}`, name: '压测会员' });
      return { n, token: (created.link.url as string).split('/onboard/')[1]! };
    };
    const onboardOne = (thinkMs: number) => async (samples: () => Samples | null) => {
      const think = () => (thinkMs > 0 ? new Promise((r) => setTimeout(r, thinkMs * (0.5 + Math.random()))) : Promise.resolve());
      const { n, token } = await addMember(platform.recordingInto(samples));
      const phone = `137${String(n).padStart(8, '0')}`;
      const member = new HttpClient(base, samples);
      const at = `/api/onboarding/${token}`;
      await think();
      await member.call('open link', 'GET', at);
      await think();
      await member.call('real-name', 'POST', `${at}/real-name`, withConsent({ name: '压测会员', idNumber: idNumber(), cardNumber: cardNumber(), phone }));
      await think();
      await member.call('phone code', 'POST', `${at}/phone-code`, { source: 'ON_FILE' });
      await think();
      await member.call('bind phone', 'POST', `${at}/phone-binding`, { code: await codeFor(phone, '绑定手机号') });
      const signCode = await codeFor(phone, '签署');
      await think();
      await member.call('sign', 'POST', `${at}/agreement-signature`, { code: signCode });
    };

    console.log(`[bench] phase 1: 50 concurrent members back to back, ${SECONDS} s`);
    const backToBack = PHASES.has('1') ? await phase(50, SECONDS, onboardOne(0)) : SKIPPED;
    console.log(`[bench] phase 2: 200 concurrent members with 1–3 s think time, ${SECONDS} s`);
    const thinking = PHASES.has('2') ? await phase(200, SECONDS, onboardOne(2000)) : SKIPPED;
    console.log(`[bench] phase 3: adding members, 50 concurrent, ${SECONDS} s`);
    const adding = PHASES.has('3')
      ? await phase(50, SECONDS, async (samples) => {
          await addMember(platform.recordingInto(samples));
        })
      : SKIPPED;
    console.log(`[bench] phase 4: the bare engine on the same server, 50 concurrent clients, ${SECONDS} s each`);
    const bare = PHASES.has('4')
      ? await measureBareEngine(system.temporalAddress, { concurrency: 50, seconds: SECONDS })
      : { noopUpdatesPerSecond: NaN, localActivityUpdatesPerSecond: NaN, localActivityUpdateP99Ms: NaN, startsPerSecond: NaN };

    const rate = (r: PhaseResult) => r.requests / r.seconds;
    const p99 = (r: PhaseResult) =>
      Math.max(
        ...[...r.samples.values()].map((v) =>
          pct(
            [...v].sort((a, b) => a - b),
            99,
          ),
        ),
      );
    const lines = [
      `onboarding load (compiled API and worker as separate processes, Temporal ${TOPOLOGY === 'cluster' ? 'cluster server on PostgreSQL' : 'dev server'}, embedded PostgreSQL, dev outbox in the benchmark process)`,
      ...describe('1. 50 concurrent members back to back', backToBack),
      ...describe('2. 200 concurrent members, 1–3 s think time before each step', thinking),
      ...describe('3. adding members (POST /api/members), 50 concurrent', adding),
      '4. the bare engine, same server and run, 50 concurrent clients (bench/engine/)',
      `  no-op Updates/s:                      ${bare.noopUpdatesPerSecond.toFixed(1)}`,
      `  Updates with one local activity/s:    ${bare.localActivityUpdatesPerSecond.toFixed(1)}  (p99 ${bare.localActivityUpdateP99Ms.toFixed(1)} ms)`,
      `  workflow starts/s:                    ${bare.startsPerSecond.toFixed(1)}`,
      'side by side (target in brackets)',
      `  member requests/s vs bare Update with a local activity: ${rate(backToBack).toFixed(1)} / ${bare.localActivityUpdatesPerSecond.toFixed(1)} = ${((100 * rate(backToBack)) / bare.localActivityUpdatesPerSecond).toFixed(0)} %  [≥ 150/s and ≥ 75 %]`,
      `  slowest step p99 with think time:      ${p99(thinking).toFixed(1)} ms  [< 150 ms]`,
      `  members added/s vs bare starts/s:     ${rate(adding).toFixed(1)} / ${bare.startsPerSecond.toFixed(1)} = ${((100 * rate(adding)) / bare.startsPerSecond).toFixed(0)} %  [≥ 200/s]`,
    ];
    // A partial run (BENCH_PHASES) prints its figures but keeps the recorded full run.
    if (PHASES.size === 4) writeResult(TOPOLOGY === 'cluster' ? 'onboarding-load-cluster.txt' : 'onboarding-load.txt', lines);
    else console.log(lines.join('\n'));
  } finally {
    await system.stop();
  }
}

main().catch((err) => {
  console.error('[bench] failed:', err);
  process.exit(1);
});
