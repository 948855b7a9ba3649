export {
  TIMESTAMP_NANOS_HEADER,
  type TimestampExtractor,
  type ExtractorInput,
  type ExtractedTimestamp,
} from './timestamp-extractor.ts';
export { recordTimestampExtractor } from './record-timestamp-extractor.ts';
export {
  valueFieldTimestampExtractor,
  type ValueFieldTimestampOptions,
} from './value-field-timestamp-extractor.ts';
export { recordEpochNanos } from './record-epoch-nanos.ts';
export {
  parseRfc3339,
  tryParseRfc3339,
  formatRfc3339Utc,
  epochNanosToMillis,
  type Rfc3339Options,
  type Rfc3339Result,
} from './rfc3339.ts';
