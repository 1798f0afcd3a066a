/** Plain-text rendering of API answers for `pnpm demo`: what a person reads in a terminal. */

type Line = (text?: string) => void;

interface ScoreAnswer {
  readonly ruleset: string;
  readonly eventsCounted: number;
  readonly score: {
    at: string;
    total: number;
    engagement: number;
    fit: number;
    grade: string;
    temperature: string;
  };
  readonly explanation: {
    engagement: {
      total: number;
      rules: { ruleId: string; counted: number; dropped: number; rawPoints: number; decayedPoints: number }[];
    };
    fit: { total: number; rules: { ruleId: string; points: number }[] };
    clampAdjustment: number;
  };
}

interface StagesAnswer {
  readonly current: { stage: string; since: string | null };
  readonly history: {
    from: string;
    to: string;
    at: string;
    reason: string;
    eventId: string;
    score: { total: number };
  }[];
}

const points = (value: number) => value.toFixed(2).padStart(8);

export function printExplanation(line: Line, answer: ScoreAnswer): void {
  const { score, explanation } = answer;
  line(`Score at ${score.at} (ruleset ${answer.ruleset}, ${answer.eventsCounted} events)`);
  line(
    `  total ${score.total.toFixed(2)} = engagement ${score.engagement.toFixed(2)} + fit ${score.fit}` +
      `   grade ${score.grade}, ${score.temperature}`,
  );
  line('Why:');
  line('  engagement rule              counted  dropped   points  decayed now');
  for (const rule of explanation.engagement.rules) {
    line(
      `  ${rule.ruleId.padEnd(28)} ${String(rule.counted).padStart(7)}  ${String(rule.dropped).padStart(7)} ` +
        `${points(rule.rawPoints)} ${points(rule.decayedPoints)}`,
    );
  }
  for (const rule of explanation.fit.rules) line(`  fit: ${rule.ruleId.padEnd(23)} ${points(rule.points)}`);
  if (explanation.clampAdjustment !== 0)
    line(`  floor/cap adjustment ${points(explanation.clampAdjustment)}`);
}

export function printStages(line: Line, answer: StagesAnswer): void {
  line(`Stage: ${answer.current.stage}${answer.current.since ? ` since ${answer.current.since}` : ''}`);
  for (const change of answer.history) {
    line(
      `  ${change.at}  ${change.from.padEnd(8)} -> ${change.to.padEnd(8)} ${change.reason.padEnd(15)}` +
        ` at score ${change.score.total.toFixed(2)}  (CloudEvents id ${change.eventId})`,
    );
  }
}
