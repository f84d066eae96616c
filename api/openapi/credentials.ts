/** How long an uploaded photo waits for the proxy onboarding request that names it. */
export const STAGED_UPLOAD_MS = 24 * 3600 * 1000;
