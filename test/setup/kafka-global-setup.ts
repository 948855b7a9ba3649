import type { TestProject } from 'vitest/node';

// Temporary while the local broker tool is being written: an existing broker only.
export default function setup(project: TestProject): void {
  project.provide('kafkaBootstrapServers', process.env.KAFKA_BOOTSTRAP_SERVERS ?? '127.0.0.1:9092');
}
