/**
 * Search attributes every workflow keeps current, so the Temporal Web UI (and
 * `temporal workflow list --query`) can filter by business key and stage.
 * Registered by the dev server at start (lib/dev-stack/local-stack.ts) and in docker-compose.
 */
import { SearchAttributeType, defineSearchAttributeKey } from '@temporalio/common';

export const BUSINESS_KEY = defineSearchAttributeKey('BusinessKey', SearchAttributeType.KEYWORD);
export const ONBOARDING_STAGE = defineSearchAttributeKey('OnboardingStage', SearchAttributeType.KEYWORD);
