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
  MR_KAFKA_DELETE_RECORDS:
    'Records before an offset could not be deleted (purging a repartition topic); the purge is retried at a later commit.',
  MR_LOCAL_BROKER_PREREQUISITE:
    'The local broker tool needs a program that is not installed (Java 17+ or Maven).',
  MR_LOCAL_BROKER_RESOLVE: 'Apache Kafka could not be resolved from Maven Central.',
  MR_LOCAL_BROKER_START: 'The local Kafka broker did not start or did not answer in time.',
  MR_TOPOLOGY_INVALID: 'A topology is malformed (unknown store, duplicate name, missing serde, cycle).',
  MR_TOPOLOGY_UNKNOWN_TOPIC: 'The partition count of a source topic of the topology is not known.',
  MR_TOPOLOGY_SPEC_INVALID: 'A declarative topology spec (YAML) does not match its JSON schema.',
  MR_TOPOLOGY_SPEC_UNKNOWN_REFERENCE:
    'A topology spec names a processor, function or serde that is not registered.',
  MR_SERDE: 'A key or value could not be serialized or deserialized (or failed schema validation).',
  MR_TASK_PROCESS: 'A processor threw while processing a record or punctuating.',
  MR_TASK_STATE: 'A task was used in a state that does not allow it (after close, or concurrently).',
  MR_TEST_DRIVER: 'The TopologyTestDriver was used with a topic or store the topology does not have.',
  MR_STATE_STORE_INVALID: 'A state store name is invalid, unknown or already registered.',
  MR_STATE_KEY_INVALID: 'A state store key is empty or longer than the backend allows.',
  MR_STATE_OPEN_FAILED:
    'A state store backend could not be opened (directory locked, unreadable or corrupt).',
  MR_STATE_CLOSED: 'A state store or backend was used after it was closed.',
  MR_STATE_COMMIT_FAILED: 'State writes and their checkpoint could not be committed; nothing was written.',
  MR_STATE_FLUSH_IN_PROGRESS: 'A write buffer was flushed while its previous flush was still running.',
  MR_STATE_CHECKPOINT_INVALID: 'A checkpoint offset is out of range or its stored bytes are unreadable.',
  MR_STATE_RESTORE_INVALID: 'Changelog records given to a restore are out of order or belong elsewhere.',
  MR_APP_ILLEGAL_STATE: 'The application was asked to move to a state it cannot reach from its current one.',
  MR_APP_NOT_RUNNING: 'The application is not running (not started, shutting down, or failed).',
  MR_TASK_ILLEGAL_STATE:
    'A task was asked to move to a lifecycle state it cannot reach from its current one.',
  MR_TOPIC_MISSING: 'A source topic of the topology does not exist.',
  MR_TOPIC_NOT_COPARTITIONED: 'Topics that must be co-partitioned have different partition counts.',
  MR_RESTORE_FAILED: 'A task could not restore its stores from their changelogs.',
  MR_COMMIT_FAILED: 'A task commit (outputs, changelogs, offsets, state) failed.',
  MR_STORE_NOT_QUERYABLE:
    'A store was queried that does not exist, or is not available on this instance now.',
  MR_HTTP_BAD_REQUEST: 'An HTTP request has a malformed parameter (the message names it and says why).',
  MR_HTTP_UNAUTHORIZED: 'An HTTP request has no valid bearer token.',
  MR_HTTP_FORBIDDEN: 'An HTTP request has a valid token without the scope its route needs.',
  MR_HTTP_NOT_FOUND: 'An HTTP route, application, store or key does not exist.',
  MR_HTTP_INTERNAL: 'An HTTP request failed on an unexpected server error (the server log has the details).',
  MR_HTTP_FORWARD_FAILED: 'A query forwarded to the instance that owns the key failed or timed out.',
  MR_SERVER_CONFIG_INVALID: 'The HTTP server settings are invalid (TLS files, auth keys, port).',
  MR_RUN_CONFIG_INVALID: 'The `millrace run` config file is missing, not YAML, or does not match its schema.',
  MR_PLUGIN_INVALID:
    'A plugin module named by the run config cannot be loaded or has no MillracePlugin default export.',
  MR_RESET_GROUP_ACTIVE: 'An application reset was refused because its consumer group still has members.',
  MR_RESET_FAILED:
    'An application reset could not set offsets, delete internal topics or remove local state.',
  MR_CLI_USAGE: 'The millrace command line was called with unknown or missing arguments.',
  MR_TIMESTAMP_INVALID:
    'A timestamp is not valid RFC 3339 (the record is dead-lettered with the reason; fix the producer).',
  MR_EVENT_INVALID:
    'An input event failed validation (missing or malformed field); it is dead-lettered with the reason.',
} as const;

/** A stable Millrace error code. */
export type ErrorCode = keyof typeof ERROR_CODES;
