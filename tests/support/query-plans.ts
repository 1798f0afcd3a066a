import type pg from 'pg';

/** A node of a plan from EXPLAIN (ANALYZE, FORMAT JSON), with the fields the plan tests read. */
export interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Actual Rows': number;
  'Actual Loops': number;
  'Rows Removed by Filter'?: number;
  Plans?: PlanNode[];
}

/** The node and every node below it. */
export const nodesOf = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodesOf)];

/**
 * Every node of the plan of the one query `read` sends, run on `pool` under EXPLAIN ANALYZE: the
 * real statement with its real parameters. `read` gets an empty result back.
 */
export async function planOfQuery(
  pool: pg.Pool,
  read: (db: pg.Pool) => Promise<unknown>,
): Promise<PlanNode[]> {
  let plan: PlanNode | undefined;
  const explaining = {
    query: async (text: string, values: unknown[]) => {
      const { rows } = await pool.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${text}`, values);
      plan = rows[0]['QUERY PLAN'][0].Plan;
      return { rows: [] };
    },
  } as unknown as pg.Pool;
  await read(explaining);
  if (plan === undefined) throw new Error('the read sent no query');
  return nodesOf(plan);
}

/** Rows the plan's scans of `relation` read: returned, or read and filtered out. */
export const rowsReadFrom = (nodes: readonly PlanNode[], relation: string): number =>
  nodes
    .filter((node) => node['Relation Name'] === relation)
    .reduce(
      (sum, node) =>
        sum + (node['Actual Rows'] + (node['Rows Removed by Filter'] ?? 0)) * node['Actual Loops'],
      0,
    );
