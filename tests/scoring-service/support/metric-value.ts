import type { Registry } from 'prom-client';

/** The value of a counter or gauge on the app's registry, for one label set (0 when absent). */
export async function metricValue(
  registry: Registry,
  name: string,
  labels: Readonly<Record<string, string>> = {},
): Promise<number> {
  const metric = registry.getSingleMetric(name);
  if (!metric) throw new Error(`metric ${name} is not registered`);
  const { values } = await metric.get();
  return values
    .filter((value) => Object.entries(labels).every(([label, v]) => value.labels[label] === v))
    .reduce((sum, value) => sum + value.value, 0);
}
