import type { RouteOptions, ZodApp } from '../route-types.js';
import { type ChangeStageManually, changeStageRoute } from './change-stage.js';
import { getLeadRoutes } from './get-lead.js';
import { leadEventsRoute } from './lead-events.js';
import { leadScoreRoute } from './lead-score.js';
import { leadStagesRoute } from './lead-stages.js';
import { listLeadsRoute } from './list-leads.js';

export type LeadRoutesOptions = RouteOptions & { readonly changeStageManually: ChangeStageManually };

/** /v1/leads...: leads, their scores, history and stages, and moving them by hand. */
export async function leadRoutes(app: ZodApp, options: LeadRoutesOptions): Promise<void> {
  listLeadsRoute(app, options);
  getLeadRoutes(app, options);
  leadScoreRoute(app, options);
  leadEventsRoute(app, options);
  leadStagesRoute(app, options);
  changeStageRoute(app, options);
}
