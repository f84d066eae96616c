/** The API client: same origin, session cookie, errors carry the API's stable ids. */
import type { ZodType } from 'zod';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly id: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export async function api<T>(method: string, url: string, body?: unknown): Promise<T> {
  const init: RequestInit = { method, credentials: 'same-origin', headers: {} };
  if (body instanceof FormData) init.body = body;
  else if (body !== undefined) {
    init.body = JSON.stringify(body);
    (init.headers as Record<string, string>)['content-type'] = 'application/json';
  }
  const res = await fetch(url, init);
  if (res.status === 204) return undefined as T;
  const data = await res.json().catch(() => ({}));
  if (!res.ok) {
    const e = (data as { error?: { id: string; message: string; details?: Record<string, unknown> } }).error;
    throw new ApiError(res.status, e?.id ?? 'internal', e?.message ?? '系统繁忙，请稍后重试', e?.details);
  }
  return data as T;
}

/** An antd form rule that applies one field of the API's own zod schema. */
export function zodRule(schema: ZodType) {
  return {
    validator: async (_: unknown, value: unknown) => {
      const r = schema.safeParse(value ?? undefined);
      if (!r.success) throw new Error(r.error.issues[0]?.message ?? '格式不正确');
    },
  };
}

export interface Me {
  user: {
    id: string;
    username: string;
    role: 'SERVICE_PROVIDER' | 'APPLICATION' | 'MEMBER' | 'REVIEWER' | 'OPERATOR' | 'BRANCH_USER';
    displayName: string;
    mustChangePassword: boolean;
    /** A service provider acting inside one of its applications (进入应用). */
    actingForProvider?: boolean;
    /** False for a member portal login by phone (no password to change). */
    hasPassword?: boolean;
    application: { id: string; appNo: string; name: string; fundMode: string; environment: 'TEST' | 'PRODUCTION' } | null;
  };
  links: { temporalUi: string; outbox: string | null; sandboxBankStatement: string | null };
}

export interface OnboardingLink {
  url: string;
  expiresAt: string;
  qrCode: string;
}
