/**
 * Every stable error code of Millrace, with its one-line meaning. docs/errors.md lists the same codes, and
 * test/src/errors/codes.test.ts checks that the two agree.
 */
export const ERROR_CODES = {
  MR_CONFIG_INVALID: 'A configuration value is missing or invalid.',
  MR_KAFKA_CONNECT: 'The Kafka cluster could not be reached.',
  MR_KAFKA_TOPIC_CREATE: 'A topic could not be created.',
  MR_KAFKA_TOPIC_DESCRIBE: 'Topic metadata or configs could not be read.',
  MR_KAFKA_LIST_OFFSETS: 'Partition offsets could not be listed.',
  MR_KAFKA_PRODUCE: 'Records could not be produced.',
  MR_KAFKA_TRANSACTION: 'A Kafka transaction could not be begun, committed or aborted.',
  MR_KAFKA_CONSUME: 'The consumer failed to join its group, fetch or commit.',
  MR_KAFKA_CLOSED: 'A Kafka client was used after it was closed.',
  MR_KAFKA_TOPIC_DELETE: 'A topic could not be deleted.',
  MR_KAFKA_GROUP_ADMIN: 'Consumer-group offsets or members could not be listed, set or deleted.',
  MR_LOCAL_BROKER_PREREQUISITE:
    'The local broker tool needs a program that is not installed (Java 17+ or Maven).',
  MR_LOCAL_BROKER_RESOLVE: 'Apache Kafka could not be resolved from Maven Central.',
  MR_LOCAL_BROKER_START: 'The local Kafka broker did not start or did not answer in time.',
} as const;

/** A stable Millrace error code. */
export type ErrorCode = keyof typeof ERROR_CODES;
