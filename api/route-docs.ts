import type { Role } from '@prisma/client';
import type { z } from 'zod';

/**
 * Who a route admits: anyone (`PUBLIC`: the link's token or the SMS code is the credential), any
 * signed-in user, or the listed roles. The authorisation matrix (R4) refuses every caller a route
 * does not admit, so what the document says here is checked against the routes themselves.
 */
export type Admits = 'PUBLIC' | 'SIGNED_IN' | readonly Role[];

export type RouteKey = `${'GET' | 'POST' | 'PUT' | 'DELETE'} /${string}`;

/** One route as the portal's API document describes it. */
export interface RouteDoc {
  summary: string;
  description?: string;
  /** Else the router's. */
  admits?: Admits;
  /** The schemas the route validates its path, query and body with. */
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** Sent as multipart/form-data: the body's fields (if any) and these file fields. */
  files?: readonly string[];
  /** A request body the body schema accepts (the document test checks it does). */
  example?: unknown;
  /** The success status: 200 unless said. */
  status?: number;
  /** The answer is a file download (XLSX, PDF, CSV, a key) rather than JSON, or nothing at all. */
  answer?: 'file' | 'none';
}

/** A router's part of the document: its menu (the tag), whom it admits, and each of its routes by `METHOD /path`. */
export interface RouterDoc {
  tag: string;
  admits: Admits;
  routes: Partial<Record<RouteKey, RouteDoc>>;
}
