import 'express-session';
import type { Role } from '@prisma/client';
import type { Client } from '@temporalio/client';
import type { NextFunction, Request, Response } from 'express';
import { BusinessError } from '../domain/errors';
import type { Config } from '../lib/adapters/config';
import type { Services } from '../lib/services';

/** What every use case of the API needs: configuration, services, and the Temporal client (the clock is services.clock). */
export interface AppDeps {
  config: Config;
  services: Services;
  temporal: Client;
  /** How long a new onboarding link lives; 7 days unless a test shortens it. */
  linkValidityMs?: number;
  /** How long a member's action may wait for the workflow before the API answers 503. */
  updateTimeoutMs?: number;
  /** Pauses between attempts of a workflow start that got no answer (tests shorten them). */
  startRetryDelaysMs?: number[];
}

/** The signed-in user, as the use cases see it (no HTTP in it). */
export interface Actor {
  userId: string;
  role: Role;
  applicationId: string | null;
  serviceProviderId: string | null;
  /** 会员门户: the member a MEMBER login belongs to. */
  /** A branch's staff: sees only that branch's applications, queues and migrations (absent or null: headquarters). */
  branchId?: string | null;
  memberId?: string | null;
  /** Acting by signed request (the open API), in service-provider mode for this provider: said in every audit row. */
  via?: { channel: 'OPEN_API'; serviceProviderId: string | null };
}

declare module 'express-session' {
  interface SessionData {
    actor: Actor;
    /** Set at a login with an initial (or reset-by-someone-else) password: only changing it is allowed. */
    mustChangePassword?: boolean;
    /** 会员门户 first login: the phone proven by SMS code, and when (the set-up must follow within 10 minutes). */
    memberPortalPhone?: { digest: string; verifiedAt: number };
    /** A service provider acting inside one of its applications (进入应用): who to return to. */
    providerActor?: Actor;
    /** When the user signed in (ms): a session ends 12 hours after it, however active. */
    signedInAt?: number;
  }
}

/** The longest a sign-in lasts; idle sessions end earlier (the cookie's 8-hour rolling age). */
export const SESSION_MAX_AGE_MS = 12 * 3600 * 1000;

/** Ends a session that outlived its sign-in by more than 12 hours: the user signs in again. */
export function expireOldSessions(req: Request, _res: Response, next: NextFunction): void {
  const session = req.session;
  if (!session?.actor || Date.now() - (session.signedInAt ?? 0) <= SESSION_MAX_AGE_MS) return next();
  session.destroy(() => next(new BusinessError('auth.session_expired')));
}

/**
 * Until a user who logged in with an initial password has changed it, every
 * portal route except the account's own (/api/auth) answers 403
 * `auth.password_change_required`. Members' link pages are not portal routes.
 */
export function requirePasswordChanged(req: Request, _res: Response, next: NextFunction): void {
  const open = req.path.startsWith('/auth/') || req.path.startsWith('/onboarding/') || req.path.startsWith('/signing/');
  next(req.session?.mustChangePassword && !open ? new BusinessError('auth.password_change_required') : undefined);
}

export function actorOf(req: Request): Actor {
  const actor = req.session.actor;
  if (!actor) throw new BusinessError('auth.required');
  return actor;
}

/** Only the given roles pass; everyone else gets 401 (not signed in) or 403. */
export function requireRole(...roles: Role[]) {
  return (req: Request, _res: Response, next: NextFunction) => {
    const actor = req.session.actor;
    if (!actor) return next(new BusinessError('auth.required'));
    if (!roles.includes(actor.role)) return next(new BusinessError('auth.forbidden'));
    next();
  };
}

/** The branch whose applications a staff actor sees, or null for headquarters (every branch). */
export function branchScope(actor: Actor): string | null {
  return actor.branchId ?? null;
}

/** The application a platform user acts for; every member query is scoped by it. */
export function applicationScope(actor: Actor): string {
  if (actor.role !== 'APPLICATION' || !actor.applicationId) throw new BusinessError('auth.forbidden');
  return actor.applicationId;
}

/**
 * Menus of post-settlement applications only (收单商户管理, 会员签约链接查询):
 * other fund-management modes do not see them, and the API refuses them.
 */
export function requirePostSettlement(deps: AppDeps) {
  return (req: Request, _res: Response, next: NextFunction) => {
    const actor = req.session.actor;
    if (!actor?.applicationId) return next(new BusinessError('auth.forbidden'));
    deps.services.prisma.application
      .findUnique({ where: { id: actor.applicationId }, select: { fundMode: true } })
      .then((app) => next(app?.fundMode === 'POST_SETTLEMENT' ? undefined : new BusinessError('application.fund_mode')))
      .catch(next);
  };
}
