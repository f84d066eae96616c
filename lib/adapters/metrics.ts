/**
 * Prometheus metrics of this process (API or worker); each serves its own
 * registry at /metrics. Names follow Prometheus conventions; labels stay few.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export const registry = new Registry();
collectDefaultMetrics({ register: registry });

export const httpRequestDuration = new Histogram({
  name: 'yst_http_request_duration_seconds',
  help: 'API request latency by route and status class',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

export const workflowStarts = new Counter({
  name: 'yst_workflow_starts_total',
  help: 'Workflow executions started, by flow (continue-as-new not counted)',
  labelNames: ['flow'] as const,
  registers: [registry],
});

export const workflowCompletions = new Counter({
  name: 'yst_workflow_completions_total',
  help: 'Workflow executions finished, by flow and outcome (continue-as-new not counted)',
  labelNames: ['flow', 'outcome'] as const,
  registers: [registry],
});

export const smsSent = new Counter({
  name: 'yst_sms_sent_total',
  help: 'SMS handed to the provider (each idempotency key once)',
  labelNames: ['purpose'] as const,
  registers: [registry],
});

export const activityFailures = new Counter({
  name: 'yst_activity_failures_total',
  help: 'Activity attempts that failed unexpectedly (business answers excluded)',
  labelNames: ['activity'] as const,
  registers: [registry],
});

export const webhookDeliveries = new Counter({
  name: 'yst_webhook_deliveries_total',
  help: 'Member event delivery attempts, by result',
  labelNames: ['result'] as const,
  registers: [registry],
});

/** Alert on it (e.g. > 900 for 5 minutes): the verification vendor has given no verdict for that long. */
export const verificationPendingOldest = new Gauge({
  name: 'yst_verification_pending_oldest_seconds',
  help: 'How long the oldest 实名信息 has waited for the verification vendor (认证中); 0 when none waits',
  registers: [registry],
});
