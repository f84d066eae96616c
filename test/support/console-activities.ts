/**
 * Doubles of the activities every flow uses to show itself in the operator
 * console; the reports are kept so workflow tests can assert what operators see.
 */
import type { Activities } from '../../activities';
import type { FlowStateReport } from '../../activities/db/flow-states';

export function consoleActivities() {
  const reports: FlowStateReport[] = [];
  const withdrawn: { reviewItemId: string; reason: string }[] = [];
  const activities: Partial<Activities> = {
    async recordFlowState(r) {
      reports.push(r);
    },
    async withdrawReview(req) {
      withdrawn.push(req);
    },
  };
  return { activities, reports, withdrawn, last: () => reports[reports.length - 1] };
}
