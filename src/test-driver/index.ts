export {
  createTopologyTestDriver,
  type TopologyTestDriver,
  type TopologyTestDriverOptions,
} from './topology-test-driver.ts';
export type { TestInputTopic, TestOutputTopic, TestRecord, TestInputRecord } from './test-topics.ts';
