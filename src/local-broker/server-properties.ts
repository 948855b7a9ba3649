/** Settings of a local single-node KRaft broker. */
export interface LocalBrokerSettings {
  host: string;
  port: number;
  controllerPort: number;
  dataDir: string;
}

/**
 * server.properties for one node that is both broker and controller, on loopback, with every replication
 * factor at 1 (there is one node), auto topic creation off (Millrace creates its topics explicitly, as a
 * production cluster would require), and no initial rebalance delay (tests join groups often).
 */
export function serverProperties(s: LocalBrokerSettings): string {
  const props: Record<string, string | number | boolean> = {
    'process.roles': 'broker,controller',
    'node.id': 1,
    'controller.quorum.voters': `1@${s.host}:${s.controllerPort}`,
    listeners: `PLAINTEXT://${s.host}:${s.port},CONTROLLER://${s.host}:${s.controllerPort}`,
    'advertised.listeners': `PLAINTEXT://${s.host}:${s.port}`,
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'log.dirs': s.dataDir,
    'num.partitions': 1,
    'default.replication.factor': 1,
    'offsets.topic.replication.factor': 1,
    'offsets.topic.num.partitions': 10,
    'transaction.state.log.replication.factor': 1,
    'transaction.state.log.min.isr': 1,
    'transaction.state.log.num.partitions': 10,
    'share.coordinator.state.topic.replication.factor': 1,
    'share.coordinator.state.topic.min.isr': 1,
    'auto.create.topics.enable': false,
    'group.initial.rebalance.delay.ms': 0,
    'delete.topic.enable': true,
    'log.cleaner.backoff.ms': 1000,
  };
  return Object.entries(props)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n')
    .concat('\n');
}

/** Log4j2 configuration: everything at INFO to stdout, which the tool redirects to the broker's log file. */
export const LOG4J2_PROPERTIES = `status = warn
appender.out.type = Console
appender.out.name = out
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = info
rootLogger.appenderRef.out.ref = out
logger.kafka-request.name = kafka.request.logger
logger.kafka-request.level = warn
logger.cleaner.name = kafka.log.LogCleaner
logger.cleaner.level = warn
`;
