export {
  STREAMS_CONFIG,
  envName,
  loadStreamsConfig,
  type StreamsConfig,
  type StreamsConfigInput,
} from './streams-config.ts';
export type { ConfigKey } from './config-def.ts';
