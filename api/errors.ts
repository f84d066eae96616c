import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import type { ErrorRequestHandler } from 'express';
import { ZodError } from 'zod';
import { BusinessError, ERRORS, isErrorId } from '../domain/errors';

export interface ErrorBody {
  error: {
    id: string;
    message: string;
    details?: Record<string, unknown>;
    fields?: { path: string; message: string }[];
  };
}

/** Turns what a workflow update or a Temporal call failed with into the business error it means. */
export function fromTemporal(err: unknown): unknown {
  // A business refusal from the update itself, or from an activity it ran (the vendor gave no verdict).
  const failure =
    err instanceof WorkflowUpdateFailedError
      ? err.cause instanceof ActivityFailure && err.cause.cause instanceof ApplicationFailure
        ? err.cause.cause
        : err.cause
      : undefined;
  if (failure instanceof ApplicationFailure) {
    const { type, message, details } = failure;
    if (isErrorId(type)) {
      const detail = details?.[0];
      return new BusinessError(
        type,
        message && message !== type ? message : undefined,
        detail && typeof detail === 'object' ? (detail as Record<string, unknown>) : undefined,
      );
    }
  }
  if (err instanceof WorkflowNotFoundError) return new BusinessError('onboarding.link_expired');
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return new BusinessError('service.unavailable');
  if (err instanceof WorkflowExecutionAlreadyStartedError) return new BusinessError('onboarding.still_active');
  return err;
}

/** The one place that maps failures to HTTP answers with stable error ids. */
export function errorMiddleware(log: (err: unknown) => void): ErrorRequestHandler {
  return (err, _req, res, _next) => {
    // A failure in the middle of a streamed file: the answer is already on its way, so
    // the connection is cut (the client sees an incomplete download) and the cause logged.
    if (res.headersSent) {
      log(err);
      res.destroy();
      return;
    }
    const mapped = fromTemporal(err);
    let status: number;
    let body: ErrorBody;
    if (mapped instanceof ZodError) {
      const fields = mapped.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
      status = 400;
      body = { error: { id: 'request.invalid', message: fields[0]?.message ?? ERRORS['request.invalid'].message, fields } };
    } else if (mapped instanceof BusinessError) {
      status = ERRORS[mapped.id].status;
      body = { error: { id: mapped.id, message: mapped.message, ...(mapped.details ? { details: mapped.details } : {}) } };
    } else if (isBodyParseError(mapped)) {
      status = 400;
      body = { error: { id: 'request.invalid', message: '请求格式有误（JSON 无法解析）' } };
    } else if (isBodyTooLarge(mapped)) {
      status = 413;
      body = { error: { id: 'request.too_large', message: ERRORS['request.too_large'].message } };
    } else if (isTemporalUnavailable(mapped)) {
      log(mapped);
      status = 503;
      body = { error: { id: 'service.unavailable', message: ERRORS['service.unavailable'].message } };
    } else {
      log(mapped);
      status = 500;
      body = { error: { id: 'internal', message: ERRORS.internal.message } };
    }
    res.status(status).json(body);
  };
}

function isBodyTooLarge(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { type?: string }).type === 'entity.too.large';
}

function isBodyParseError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { type?: string }).type === 'entity.parse.failed';
}

function isTemporalUnavailable(err: unknown): boolean {
  const name = (err as { name?: string } | null)?.name ?? '';
  return name === 'ServiceError' || name === 'ConnectionError' || name === 'TransportError';
}
