/**
 * The open API (/openapi/v1): server-to-server calls of an application,
 * authenticated by its SM2 signature instead of a session (scheme in
 * lib/business/openapi-signing.ts), answered with the platform's signature.
 */
import { createHash, randomUUID } from 'node:crypto';
import express, { type NextFunction, type Request, type Response, Router } from 'express';
import { BusinessError } from '../../domain/errors';
import {
  NONCE_PATTERN,
  SIGNATURE_PATTERN,
  SIGNATURE_WINDOW_MS,
  requestSigningString,
  responseSigningString,
  sm2Sign,
  sm2Verify,
} from '../../lib/business/openapi-signing';
import { platformKeyPair } from '../../lib/business/platform-keys';
import type { AppDeps } from '../context';
import { orderResultByBizOrderNo } from '../../lib/business/order-results';
import { bizOrderNoSchema, createOrderSchema, notifySchema } from '../orders/schemas';
import { placeOrderOf } from '../orders/service';
import { forgetOldRequests } from '../../lib/business/api-requests';
import { auditProviderOrder, mountMemberRoutes } from './members';
import { MAX_PHOTO_BYTES, imageMimeType } from '../uploads';
import { STAGED_UPLOAD_MS } from './credentials';

/** How long a nonce is remembered: twice the timestamp window, so a replay is refused either way. */
const NONCE_MEMORY_MS = 2 * SIGNATURE_WINDOW_MS;

export interface SignedCaller {
  applicationId: string;
  appNo: string;
  /** Service-provider mode: the provider that signed for the application. */
  providerId: string | null;
}

interface Caller {
  id: string | null;
  owned: boolean | null;
  sm2PublicKey: string | null;
  enabled: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const callers = new WeakMap<Request, SignedCaller>();
export function signedCaller(req: Request): SignedCaller {
  const caller = callers.get(req);
  if (!caller) throw new BusinessError('openapi.unsigned');
  return caller;
}

export function openApiRouter(deps: AppDeps): Router {
  const router = Router();
  const { prisma, crypto } = deps.services;
  let requests = 0;
  let uploads = 0;

  // Photos up to the portal's 5 MB; every other body up to 100 kB.
  router.use('/uploads', express.raw({ type: () => true, limit: MAX_PHOTO_BYTES }));
  router.use(express.raw({ type: () => true, limit: '100kb' }));

  // Every answer, errors included, is signed by the platform over the request's timestamp and nonce.
  router.use((req: Request, res: Response, next: NextFunction) => {
    res.json = (body: unknown) => {
      const bytes = Buffer.from(JSON.stringify(body), 'utf8');
      const timestamp = String(Date.now());
      const nonce = String(req.header('x-yst-nonce') ?? '').slice(0, 64);
      void platformKeyPair(prisma, crypto)
        .then((platform) => {
          res.setHeader('X-YST-Timestamp', timestamp);
          res.setHeader('X-YST-Nonce', nonce);
          res.setHeader('X-YST-Signature', sm2Sign(responseSigningString(timestamp, nonce, bytes), platform.privateKey, platform.publicKey));
        })
        .catch(() => undefined) // unsigned rather than unanswered; the client's check says so
        .finally(() => {
          res.type('application/json');
          res.send(bytes);
        });
      return res;
    };
    next();
  });

  router.use(async (req: Request, _res: Response, next: NextFunction) => {
    try {
      const appNo = req.header('x-yst-appno') ?? '';
      const timestamp = req.header('x-yst-timestamp') ?? '';
      const nonce = req.header('x-yst-nonce') ?? '';
      const signature = req.header('x-yst-signature') ?? '';
      if (!/^[A-Za-z0-9]{1,32}$/.test(appNo) || !/^\d{13}$/.test(timestamp) || !NONCE_PATTERN.test(nonce) || !SIGNATURE_PATTERN.test(signature)) {
        throw new BusinessError('openapi.unsigned');
      }
      if (Math.abs(Date.now() - Number(timestamp)) > SIGNATURE_WINDOW_MS) throw new BusinessError('openapi.timestamp');
      // Service-provider mode (服务商模式): the provider names itself and signs with its own key for an application it owns.
      const providerId = req.header('x-yst-provider');
      if (providerId !== undefined && !UUID.test(providerId)) throw new BusinessError('openapi.unsigned');
      // Plain SQL: every signed request asks this (Prisma's per-query CPU would be a third of the request's).
      const { rows } = providerId
        ? await deps.services.sql.query<Caller>({
            name: 'openapi-provider-caller',
            text: `SELECT a.id, a."serviceProviderId" = $2::uuid AS owned, c."sm2PublicKey", c."openApiEnabledAt" IS NOT NULL AS enabled
                     FROM "ServiceProviderCredential" c LEFT JOIN "Application" a ON a."appNo" = $1 WHERE c."serviceProviderId" = $2::uuid`,
            values: [appNo, providerId],
          })
        : await deps.services.sql.query<Caller>({
            name: 'openapi-caller',
            text: `SELECT a.id, true AS owned, c."sm2PublicKey", true AS enabled
                     FROM "Application" a LEFT JOIN "ApplicationCredential" c ON c."applicationId" = a.id WHERE a."appNo" = $1`,
            values: [appNo],
          });
      const caller = rows[0];
      if (!caller?.sm2PublicKey) throw new BusinessError('openapi.no_public_key');
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      if (!sm2Verify(requestSigningString(req.method, req.originalUrl, timestamp, nonce, body), signature, caller.sm2PublicKey)) {
        throw new BusinessError('openapi.signature_invalid');
      }
      if (!caller.enabled) throw new BusinessError('openapi.provider_not_enabled');
      if (!caller.id || !caller.owned) throw new BusinessError('openapi.not_provider_application');
      const app = { id: caller.id };
      // Remembered only once the signature is good, so noise cannot fill the table; a provider's nonces are its own.
      const remembered = await deps.services.sql.query({
        name: 'openapi-nonce',
        text: `INSERT INTO "ApiNonce" ("appNo", nonce, "createdAt") VALUES ($1, $2, now() AT TIME ZONE 'UTC') ON CONFLICT DO NOTHING`,
        values: [providerId ? `sp:${providerId}` : appNo, nonce],
      });
      if (remembered.rowCount === 0) throw new BusinessError('openapi.replayed');
      if (++requests % 100 === 0) {
        await prisma.apiNonce.deleteMany({ where: { createdAt: { lt: new Date(Date.now() - NONCE_MEMORY_MS) } } });
        await forgetOldRequests(deps.services.sql, new Date());
      }
      callers.set(req, { applicationId: app.id, appNo, providerId: providerId ?? null });
      next();
    } catch (err) {
      next(err);
    }
  });

  /** The calling application itself. */
  router.get('/application', async (req, res) => {
    const app = await prisma.application.findUniqueOrThrow({ where: { id: signedCaller(req).applicationId } });
    res.json({ appNo: app.appNo, name: app.name, fundMode: app.fundMode, live: !!app.liveAt, environment: app.environment });
  });

  mountMemberRoutes(router, deps, { caller: signedCaller, body: jsonBody });

  /**
   * A photo for a proxy onboarding (营业执照, 法人身份证人像面 / 国徽面): the image bytes as the body,
   * signed like any request; JPG or PNG by content, at most 5 MB. The answer's uploadId is named by
   * `POST /openapi/v1/members/proxy` within a day.
   */
  router.post('/uploads', async (req, res) => {
    const caller = signedCaller(req);
    const bytes = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (bytes.length === 0) throw new BusinessError('upload.missing', '请求体须为图片文件');
    const mimeType = imageMimeType(bytes);
    if (!mimeType) throw new BusinessError('upload.wrong_type');
    const upload = {
      id: randomUUID(),
      applicationId: caller.applicationId,
      mimeType,
      size: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
    };
    // On the app's clock, which the proxy request that names it reads too.
    const now = deps.services.clock.now();
    await prisma.openApiUpload.create({ data: { ...upload, data: new Uint8Array(bytes), createdAt: now } });
    if (++uploads % 50 === 0) await prisma.openApiUpload.deleteMany({ where: { createdAt: { lt: new Date(now.getTime() - STAGED_UPLOAD_MS) } } });
    res.status(201).json({ uploadId: upload.id, mimeType, size: upload.size, sha256: upload.sha256 });
  });

  /**
   * 下单: an order of any kind, exactly as the portal places it (same rules, same error ids): 201 with
   * the order when it is new, 200 with the first answer when the same request comes again. An order
   * with a flow (through the payment channel, or a 担保支付) placed with `notifyUrl` gets its result
   * there once known (activities/webhooks/order-results.ts).
   */
  router.post('/orders', async (req, res) => {
    const caller = signedCaller(req);
    const body = jsonBody(req);
    const input = { ...createOrderSchema.parse(body), ...notifySchema.parse(body) };
    const placed = await placeOrderOf(deps, caller.applicationId, null, input);
    // The order is the application's own record; a provider placing it for the application leaves a trace too.
    if (placed.created && caller.providerId) await auditProviderOrder(deps, caller, { id: placed.order.id, bizOrderNo: input.bizOrderNo, kind: input.kind });
    const order = await orderResultByBizOrderNo(deps.services.sql, caller.applicationId, placed.order.bizOrderNo);
    res.status(placed.created ? 201 : 200).json(order);
  });

  /** 订单查询: the order by its 商户订单号 (another application's is not found). */
  router.get('/orders/:bizOrderNo', async (req, res) => {
    const { bizOrderNo } = bizOrderNoSchema.parse(req.params);
    const order = await orderResultByBizOrderNo(deps.services.sql, signedCaller(req).applicationId, bizOrderNo);
    if (!order) throw new BusinessError('order.not_found');
    res.json(order);
  });

  return router;
}

/** The signed bytes as JSON (the signature covers the bytes, so the body is parsed only here). */
function jsonBody(req: Request): unknown {
  const raw = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
  try {
    return raw ? JSON.parse(raw) : {};
  } catch {
    throw new BusinessError('request.invalid', '请求格式有误（JSON 无法解析）');
  }
}
