import type { Payload, PayloadCodec } from '@temporalio/common';
import express, { Router } from 'express';

/**
 * Temporal's remote codec protocol (POST …/encode, …/decode with proto-JSON
 * payloads), so the Temporal Web UI can show the product's encrypted payloads
 * decoded. Only for embedded mode, where the UI, this endpoint and the keys all
 * live on the same machine's loopback; production deployments leave it off.
 */
interface JsonPayload {
  metadata?: Record<string, string> | null;
  data?: string | null;
}

const fromJson = (p: JsonPayload): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
  data: p.data ? Buffer.from(p.data, 'base64') : undefined,
});

const toJson = (p: Payload): JsonPayload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
  data: p.data ? Buffer.from(p.data).toString('base64') : undefined,
});

export function codecRouter(codec: PayloadCodec, allowedOrigin: string): Router {
  const router = Router();
  router.use((req, res, next) => {
    if (req.headers.origin === allowedOrigin) {
      res.setHeader('Access-Control-Allow-Origin', allowedOrigin);
      res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
      res.setHeader('Access-Control-Allow-Headers', 'Content-Type, X-Namespace');
      res.setHeader('Vary', 'Origin');
    }
    if (req.method === 'OPTIONS') {
      res.status(204).end();
      return;
    }
    next();
  });
  router.use(express.json({ limit: '4mb' }));
  for (const op of ['encode', 'decode'] as const) {
    router.post(`/${op}`, async (req, res) => {
      const payloads = (req.body as { payloads?: JsonPayload[] }).payloads;
      if (!Array.isArray(payloads)) {
        res.status(400).json({ error: { id: 'request.invalid', message: 'payloads 须为数组' } });
        return;
      }
      try {
        const result = await codec[op](payloads.map(fromJson));
        res.json({ payloads: result.map(toJson) });
      } catch {
        res.status(400).json({ error: { id: 'request.invalid', message: '无法解码：密钥不符或数据已损坏' } });
      }
    });
  }
  return router;
}
