/**
 * The OpenAPI 3.1 document of the portal's JSON API (/api), generated from what each router declares
 * of its routes (RouterDoc: the zod schemas the routes validate with, who they admit, an example of
 * each body). Served at /api/openapi.json and read as a page at /api/docs; a test checks that every
 * mounted route is here (and nothing else) and that every example validates.
 */
import { ERRORS, type ErrorId } from '../domain/errors';
import { documentPath, errorResponses, inputSchema } from './document-parts';
import type { Admits, RouteDoc, RouteKey, RouterDoc } from './route-docs';

const ROLE_LABELS: Record<string, string> = {
  APPLICATION: '应用（平台）',
  SERVICE_PROVIDER: '服务商',
  MEMBER: '会员',
  REVIEWER: '分公司（审核）',
  BRANCH_USER: '分公司（业务）',
  OPERATOR: '总部运营',
};

export const admitsLabel = (admits: Admits) =>
  admits === 'PUBLIC' ? '无需登录' : admits === 'SIGNED_IN' ? '任何已登录用户' : admits.map((r) => ROLE_LABELS[r] ?? r).join('、');

/** Path and query parameters: one per property of the route's schema (path names from the path when it declares none). */
function parametersOf(path: string, doc: RouteDoc) {
  const params: Record<string, unknown>[] = [];
  const pathSchema = doc.params ? inputSchema(doc.params) : undefined;
  for (const [, name] of path.matchAll(/:(\w+)/g)) {
    const property = (pathSchema?.properties as Record<string, Record<string, unknown>> | undefined)?.[name!];
    params.push({ name, in: 'path', required: true, schema: property ?? { type: 'string' } });
  }
  if (doc.query) {
    const query = inputSchema(doc.query);
    const required = new Set((query.required as string[] | undefined) ?? []);
    for (const [name, schema] of Object.entries((query.properties as Record<string, Record<string, unknown>>) ?? {})) {
      params.push({ name, in: 'query', required: required.has(name), schema, ...(schema.description ? { description: schema.description } : {}) });
    }
  }
  return params;
}

/** The error ids any route of this kind may answer with (each route's own business errors are in the catalogue, components.x-errors). */
function errorsOf(admits: Admits, doc: RouteDoc): ErrorId[] {
  const errors: ErrorId[] = [];
  if (doc.params || doc.query || doc.body || doc.files) errors.push('request.invalid');
  if (doc.body || doc.files) errors.push('request.too_large');
  if (admits !== 'PUBLIC') errors.push('auth.required', 'auth.session_expired', 'auth.password_change_required');
  if (Array.isArray(admits)) errors.push('auth.forbidden');
  if (doc.params) errors.push('resource.not_found');
  errors.push('service.unavailable', 'internal');
  return errors;
}

function requestBodyOf(doc: RouteDoc) {
  if (doc.files) {
    const properties: Record<string, unknown> = Object.fromEntries(doc.files.map((f) => [f, { type: 'string', contentMediaType: 'application/octet-stream' }]));
    // 平台代开户 sends its JSON in one `data` field; the other uploads send their few fields as form fields.
    const fields = doc.body ? inputSchema(doc.body) : undefined;
    const multipart = fields?.properties
      ? { ...(fields.properties as object), ...properties }
      : { data: { type: 'string', contentMediaType: 'application/json' }, ...properties };
    return {
      required: true,
      content: {
        'multipart/form-data': { schema: { type: 'object', properties: multipart } },
        ...(doc.body && !fields?.properties ? { 'application/json': { schema: fields, example: doc.example } } : {}),
      },
    };
  }
  if (!doc.body) return undefined;
  return { required: true, content: { 'application/json': { schema: inputSchema(doc.body), ...(doc.example !== undefined ? { example: doc.example } : {}) } } };
}

function operationOf(tag: string, key: string, path: string, admits: Admits, doc: RouteDoc) {
  const status = doc.status ?? 200;
  const responses: Record<string, unknown> = {
    [status]:
      doc.answer === 'none'
        ? { description: '无内容' }
        : doc.answer === 'file'
          ? { description: '文件下载（Content-Disposition 带文件名）', content: { 'application/octet-stream': { schema: { type: 'string' } } } }
          : { description: doc.summary, content: { 'application/json': { schema: { type: 'object' } } } },
    ...errorResponses(errorsOf(admits, doc)),
  };
  const parameters = parametersOf(path, doc);
  const requestBody = requestBodyOf(doc);
  return {
    operationId: `${tag}:${key}`,
    tags: [tag],
    summary: doc.summary,
    ...(doc.description ? { description: doc.description } : {}),
    'x-admits': admitsLabel(admits),
    ...(admits === 'PUBLIC' ? { security: [] } : {}),
    ...(parameters.length ? { parameters } : {}),
    ...(requestBody ? { requestBody } : {}),
    responses,
  };
}

/** Every route of every router, with whom it admits (the route's own rule, else its router's). */
export function documentedRoutes(routers: readonly (readonly [string, RouterDoc])[]) {
  return routers.flatMap(([prefix, router]) =>
    (Object.entries(router.routes) as [RouteKey, RouteDoc][]).map(([key, doc]) => {
      const [method, relative] = key.split(' ') as [string, string];
      return { tag: router.tag, key, method, path: `${prefix}${relative === '/' ? '' : relative}`, admits: doc.admits ?? router.admits, doc };
    }),
  );
}

export function portalApiDocument(routers: readonly (readonly [string, RouterDoc])[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of documentedRoutes(routers)) (paths[documentPath(r.path)] ??= {})[r.method.toLowerCase()] = operationOf(r.tag, r.key, r.path, r.admits, r.doc);
  return {
    openapi: '3.1.0',
    info: {
      title: '云商通开户平台 门户接口',
      version: '1',
      description:
        '门户（应用、服务商、会员、分公司、总部运营）网页所用的 JSON 接口，以会话 Cookie（yst_sid，登录接口获得）认证。时间为 UTC 的 ISO 8601。错误：{"error": {"id", "message", "fields"?}}，错误编号见 x-errors。服务器到服务器的对接请用开放接口（/openapi/v1/docs）。',
    },
    servers: [{ url: '' }],
    security: [{ Session: [] }],
    tags: routers.map(([, r]) => ({ name: r.tag })).filter((t, i, all) => all.findIndex((o) => o.name === t.name) === i),
    paths,
    components: {
      securitySchemes: { Session: { type: 'apiKey', in: 'cookie', name: 'yst_sid', description: '登录（POST /api/auth/login）后的会话，8 小时无操作失效' } },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['id', 'message'],
              properties: {
                id: { type: 'string', enum: Object.keys(ERRORS) },
                message: { type: 'string' },
                details: { type: 'object' },
                fields: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } } },
              },
            },
          },
        },
      },
      'x-errors': Object.fromEntries(Object.entries(ERRORS).map(([id, e]) => [id, { status: e.status, message: e.message }])),
    },
  };
}
