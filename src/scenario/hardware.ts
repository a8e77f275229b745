import { HARDWARE_PRESETS } from '../model/kafka/hardware-presets';
import type { Scenario } from './schema';

/**
 * `kafka.hardware`: the preset (model/kafka/hardware-presets.ts) fills `kafka.brokerResources`
 * field by field and `kafka.networkLatencyMs`, except where the scenario sets a field itself
 * (in the file or with --set): explicit fields win, so a scenario can take a preset and change
 * one thing (a slower disk, a longer link). Whether a field was set is read from the raw data,
 * since the parsed scenario already holds the schema's defaults.
 */
export function applyHardwarePreset(scenario: Scenario, raw: unknown): Scenario {
  const kafka = scenario.kafka;
  if (kafka?.hardware === undefined) return scenario;
  const preset = HARDWARE_PRESETS[kafka.hardware];
  const rawKafka = field(raw, 'kafka');
  const rawResources = field(rawKafka, 'brokerResources');
  const given = (name: string): boolean => field(rawResources, name) !== undefined;
  const resources = kafka.brokerResources;
  const presetResources = preset.brokerResources;
  return {
    ...scenario,
    kafka: {
      ...kafka,
      networkLatencyMs: field(rawKafka, 'networkLatencyMs') !== undefined ? kafka.networkLatencyMs : preset.networkLatencyMs,
      brokerResources: {
        requestCpuMicros: given('requestCpuMicros') ? resources!.requestCpuMicros : presetResources.requestCpuMicros,
        cpuNanosPerByte: given('cpuNanosPerByte') ? resources!.cpuNanosPerByte : presetResources.cpuNanosPerByte,
        diskMBps: given('diskMBps') ? resources!.diskMBps : presetResources.diskMBps,
        nicMBps: given('nicMBps') ? resources!.nicMBps : presetResources.nicMBps,
        ...(resources?.clientNicMBps === undefined ? {} : { clientNicMBps: resources.clientNicMBps }),
      },
    },
  };
}

function field(data: unknown, name: string): unknown {
  return typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as Record<string, unknown>)[name] : undefined;
}
